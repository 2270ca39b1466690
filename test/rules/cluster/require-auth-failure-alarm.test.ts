import rule from '../../../src/rules/cluster/require-auth-failure-alarm.js';
import { HARDENED_DUMP, WEAK_DUMP, describeCluster } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

const filter = (logGroupName: string, pattern: string) => ({
  metricFilters: [{ filterName: 'auth', filterPattern: pattern, logGroupName, metricTransformations: [{ metricName: 'AuthFailures', metricNamespace: 'EKS', metricValue: '1' }] }],
});
const alarms = (...list: Record<string, unknown>[]) => ({ MetricAlarms: list, CompositeAlarms: [] });
const PATTERN = '{ ($.responseStatus.code = "401") || ($.responseStatus.code = "403") }';

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: filter and alarm', aws: HARDENED_DUMP },
    {
      name: 'an alarm on a metric-math expression over the filter\'s metric',
      aws: [describeCluster(), filter('/aws/eks/demo/cluster', PATTERN), alarms({ AlarmName: 'auth', Metrics: [{ Id: 'm1', MetricStat: { Metric: { Namespace: 'EKS', MetricName: 'AuthFailures' }, Period: 300, Stat: 'Sum' } }] })],
    },
  ],
  invalid: [
    { name: 'the weak dump: no metric filter at all', aws: WEAK_DUMP, findings: [{ messageId: 'noMetricFilter', path: '/logging', data: { cluster: 'shop-weak', logGroup: '/aws/eks/shop-weak/cluster' } }] },
    {
      name: 'a 401/403 filter on another cluster\'s log group',
      aws: [describeCluster(), filter('/aws/eks/other/cluster', PATTERN), alarms({ AlarmName: 'auth', Namespace: 'EKS', MetricName: 'AuthFailures' })],
      findings: [{ messageId: 'noMetricFilter', path: '/logging', data: { cluster: 'demo', logGroup: '/aws/eks/demo/cluster' } }],
    },
    {
      name: 'a filter nobody alarms on',
      aws: [describeCluster(), filter('/aws/eks/demo/cluster', PATTERN), alarms({ AlarmName: 'cpu', Namespace: 'AWS/EC2', MetricName: 'CPUUtilization' })],
      findings: [{ messageId: 'noAlarm', path: '/logging', data: { cluster: 'demo', filter: 'auth', namespace: 'EKS', metric: 'AuthFailures' } }],
    },
  ],
  notEvaluated: [
    { name: 'a dump without describe-metric-filters output', aws: describeCluster(), reason: 'no aws logs describe-metric-filters output' },
  ],
});
