import rule from '../../../src/rules/tenancy/no-workloads-in-default-namespace.js';
import { RuleTester, cronJob, deployment, pod } from '../../rule-tester.js';

const unnamespaced = (object: Record<string, unknown>) => ({ ...object, metadata: { name: 'chart-app' } });

new RuleTester().run(rule, {
  valid: [
    { name: 'workload in its own namespace', manifests: deployment({ name: 'dont-fire', namespace: 'team-a' }) },
    { name: 'a chart that leaves the namespace to the installer', manifests: unnamespaced(deployment()) },
    { name: 'odd input: a namespace of the wrong type', manifests: { ...deployment(), metadata: { name: 'odd', namespace: 7 } } },
    { name: 'a Service in default is not a workload', manifests: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubernetes', namespace: 'default' }, spec: { ports: [{ port: 443 }] } } },
  ],
  invalid: [
    {
      name: 'Deployment in default',
      manifests: deployment({ name: 'web' }),
      findings: [{ messageId: 'inDefaultNamespace', path: '/metadata/namespace', data: { kind: 'Deployment', name: 'web' }, resource: 'Deployment default/web', severity: 'low' }],
      fixed: null,
    },
    {
      name: 'a dump of default: the ReplicaSet-owned pod is judged through its Deployment',
      manifests: [
        deployment({ name: 'web' }),
        { ...pod({ name: 'web-abc' }), metadata: { name: 'web-abc', namespace: 'default', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', controller: true }] } },
        cronJob({ name: 'report' }),
      ],
      findings: [
        { messageId: 'inDefaultNamespace', path: '/metadata/namespace', resource: 'Deployment default/web' },
        { messageId: 'inDefaultNamespace', path: '/metadata/namespace', resource: 'CronJob default/report', data: { kind: 'CronJob', name: 'report' } },
      ],
    },
  ],
});
