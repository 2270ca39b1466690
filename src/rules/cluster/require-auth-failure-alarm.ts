import type { Report } from '../../core/finding.js';
import { defineRule } from '../define-rule.js';
import { allOf, clusterName, needsAwsCalls } from '../shared/aws.js';

export type MessageId = 'noMetricFilter' | 'noAlarm';

/** A filter pattern that picks out authorization failures: it names status 401 or 403. */
const AUTH_FAILURE = /\b40[13]\b/;

export default defineRule({
  id: 'require-auth-failure-alarm',
  meta: {
    area: 'cluster',
    severity: 'medium',
    docs: { description: 'Require a CloudWatch alarm on 401 and 403 responses of the EKS API server', controls: ['eks-bp:detective-controls'] },
    evidence: ['aws'],
    messages: {
      noMetricFilter: 'Cluster {{cluster}} has no metric filter on log group {{logGroup}} that counts 401/403 responses: a burst of failed or denied API requests goes unnoticed.',
      noAlarm: 'Cluster {{cluster}}: metric filter {{filter}} counts 401/403 responses into {{namespace}}/{{metric}}, but no CloudWatch alarm watches that metric.',
    },
    rationale: 'Someone probing the cluster with stolen or guessed credentials, or a workload trying permissions it lacks, shows up first as a rise in 401 Unauthorized and 403 Forbidden responses in the audit log. The guide recommends a metric filter on the cluster\'s log group and an alarm on it, so that the rise pages someone instead of waiting in the logs.',
    remediation: 'Create a metric filter on /aws/eks/CLUSTER/cluster with the pattern { ($.responseStatus.code = "401") || ($.responseStatus.code = "403") } and an alarm on its metric (aws logs put-metric-filter, aws cloudwatch put-metric-alarm). The control-plane audit log must be enabled for the filter to see anything.',
  },
  defaultOptions: {},
  notEvaluated: allOf(needsAwsCalls('logs:DescribeMetricFilters'), needsAwsCalls('cloudwatch:DescribeAlarms')),
  create: () => ({
    *'aws:eks:cluster'(target, inventory): Generator<Report<MessageId>> {
      const aws = inventory.aws;
      if (aws === undefined) return;
      const cluster = clusterName(target.data);
      const logGroup = `/aws/eks/${cluster}/cluster`;
      const filters = aws.evidence.logs.metricFilters.map((f) => f.data).filter((f) => f.logGroupName === logGroup && AUTH_FAILURE.test(f.filterPattern ?? ''));
      if (filters.length === 0) {
        yield { messageId: 'noMetricFilter', path: ['logging'], data: { cluster, logGroup } };
        return;
      }
      const alarms = aws.evidence.cloudwatch.alarms.map((a) => a.data);
      const watched = (namespace: string | undefined, metric: string | undefined) => alarms.some((a) =>
        (a.MetricName === metric && a.Namespace === namespace)
        || (a.Metrics ?? []).some((m) => m.MetricStat?.Metric?.MetricName === metric && m.MetricStat?.Metric?.Namespace === namespace));
      const transformations = filters.flatMap((f) => (f.metricTransformations ?? []).map((t) => ({ filter: f.filterName ?? '', namespace: t.metricNamespace, metric: t.metricName })));
      if (transformations.some((t) => watched(t.namespace, t.metric))) return;
      const first = transformations[0] ?? { filter: filters[0]?.filterName ?? '', namespace: '(none)', metric: '(none)' };
      yield { messageId: 'noAlarm', path: ['logging'], data: { cluster, filter: first.filter, namespace: first.namespace ?? '', metric: first.metric ?? '' } };
    },
  }),
});
