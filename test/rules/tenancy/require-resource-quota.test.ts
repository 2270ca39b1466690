import rule from '../../../src/rules/tenancy/require-resource-quota.js';
import { namespace, resourceQuota } from '../../builders-tenancy.js';
import { RuleTester, daemonSet, deployment, pod, statefulSet } from '../../rule-tester.js';

new RuleTester().run(rule, {
  valid: [
    { name: 'a quota in the namespace of the workloads', manifests: [resourceQuota('team-a'), deployment({ name: 'dont-fire', namespace: 'team-a' })] },
    { name: 'a declared namespace without workloads needs no quota', manifests: [namespace('empty'), resourceQuota('other')] },
    { name: 'system namespaces are skipped', manifests: [namespace('kube-system'), daemonSet({ name: 'aws-node', namespace: 'kube-system' }), deployment({ name: 'coredns', namespace: 'kube-system' })] },
    { name: 'a quota with object counts only still caps something', manifests: [resourceQuota('team-a', { 'count/deployments.apps': '10' }), deployment({ name: 'dont-fire', namespace: 'team-a' })] },
    { name: 'several quotas, one with hard limits', manifests: [resourceQuota('team-a', {}, 'empty'), resourceQuota('team-a'), deployment({ name: 'dont-fire', namespace: 'team-a' })] },
  ],
  invalid: [
    {
      name: 'a cluster dump: a namespace with workloads and no quota',
      manifests: [namespace('team-a'), namespace('team-b'), resourceQuota('team-b'), deployment({ name: 'web', namespace: 'team-a' }), statefulSet({ name: 'db', namespace: 'team-a' }), deployment({ name: 'ok', namespace: 'team-b' })],
      findings: [{ messageId: 'noResourceQuota', path: '', data: { namespace: 'team-a', workloads: 'Deployment web and StatefulSet db' }, resource: 'Namespace team-a', severity: 'medium' }],
      fixed: null,
    },
    {
      name: 'quotas elsewhere: a namespace the input only implies',
      manifests: [resourceQuota('team-b'), pod({ name: 'a', namespace: 'team-a' }), pod({ name: 'b', namespace: 'team-a' }), pod({ name: 'c', namespace: 'team-a' }), pod({ name: 'd', namespace: 'team-a' })],
      findings: [{ messageId: 'noResourceQuota', path: '', data: { namespace: 'team-a', workloads: 'Pod a, Pod b, Pod c and 1 more' }, resource: 'Namespace team-a' }],
    },
    {
      name: 'a quota without hard limits caps nothing',
      manifests: [resourceQuota('team-a', {}), deployment({ namespace: 'team-a' })],
      findings: [{ messageId: 'noResourceQuota', path: '', data: { namespace: 'team-a', workloads: 'Deployment app' } }],
    },
    {
      name: 'a quota in another namespace does not count, nor does a CRD called ResourceQuota',
      manifests: [namespace('team-a'), resourceQuota('team-b'), { ...resourceQuota('team-a'), apiVersion: 'example.com/v1' }, deployment({ namespace: 'team-a' })],
      findings: [{ messageId: 'noResourceQuota', path: '', resource: 'Namespace team-a' }],
    },
    {
      name: 'odd input: a quota whose spec is a string',
      manifests: [namespace('team-a'), { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'team-a' }, spec: 'hard' }, deployment({ namespace: 'team-a' })],
      findings: [{ messageId: 'noResourceQuota', path: '' }],
    },
  ],
  notEvaluated: [
    { name: 'one chart, no quotas and no Namespace objects', manifests: [deployment(), pod({ name: 'p', namespace: 'team-a' })], reason: 'no ResourceQuota objects in the input' },
  ],
});
