import rule from '../../../src/rules/node/require-managed-node-lifecycle.js';
import { HARDENED_DUMP, describeCluster, describeInstances, instance } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

const node = (name: string, labels: Record<string, string>, created: string) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels, creationTimestamp: created } });

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: node group instances launched weeks before the dump', aws: HARDENED_DUMP },
    {
      name: 'Karpenter and Auto Mode instances, young enough',
      aws: [describeCluster(), describeInstances(instance('i-01', { Tags: [{ Key: 'karpenter.sh/nodepool', Value: 'default' }] }), instance('i-02', { Tags: [], Operator: { Managed: true, Principal: 'eks.amazonaws.com' } }))],
      options: { asOf: '2026-11-20' },
    },
    { name: 'an old instance when no date is known', aws: [describeCluster(), describeInstances(instance('i-01', { LaunchTime: '2020-01-01T00:00:00Z' }))] },
    { name: 'Fargate and managed Nodes from a cluster dump', manifests: [node('fargate-ip-1', { 'eks.amazonaws.com/compute-type': 'fargate' }, '2026-11-19T00:00:00Z'), node('ip-2', { 'eks.amazonaws.com/nodegroup': 'general' }, '2026-11-01T00:00:00Z')], options: { asOf: '2026-11-20' } },
  ],
  invalid: [
    {
      name: 'a self-managed instance older than the limit',
      aws: [describeCluster(), describeInstances(instance('i-01', { Tags: [{ Key: 'kubernetes.io/cluster/demo', Value: 'owned' }], LaunchTime: '2026-08-01T00:00:00Z' }))],
      options: { asOf: '2026-11-20', maxNodeAgeDays: 30 },
      findings: [
        { messageId: 'unmanagedInstance', path: '/Tags', data: { instance: 'i-01' } },
        { messageId: 'oldInstance', path: '/LaunchTime', data: { instance: 'i-01', days: 111, since: '2026-08-01', max: 30 } },
      ],
    },
    {
      name: 'Nodes from a cluster dump: one unmanaged, one old',
      manifests: [node('ip-1', {}, '2026-11-19T00:00:00Z'), node('ip-2', { 'eks.amazonaws.com/nodegroup': 'general' }, '2026-01-01T00:00:00Z')],
      options: { asOf: '2026-11-20' },
      findings: [
        { messageId: 'unmanagedNode', path: '/metadata/labels', data: { node: 'ip-1' } },
        { messageId: 'oldNode', path: '/metadata/creationTimestamp', data: { node: 'ip-2', days: 323, since: '2026-01-01', max: 60 } },
      ],
    },
  ],
});
