import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/tenancy/require-tenant-node-isolation.js';
import { RuleTester, daemonSet, deployment, pod } from '../../rule-tester.js';

const tenants = {
  'team-a': { nodeSelector: { 'tenant': 'team-a' }, taint: { key: 'tenant', value: 'team-a', effect: 'NoSchedule' } },
  'team-a-batch': { nodeSelector: { 'tenant': 'team-a' }, taint: { key: 'tenant', value: 'team-a', effect: 'NoSchedule' } },
  'team-b': { nodeSelector: { 'tenant': 'team-b', 'pool': 'dedicated' } },
  'team-c': { taint: { key: 'dedicated' } },
};
const options = { tenants };
const TOLERATE_A = { key: 'tenant', operator: 'Equal', value: 'team-a', effect: 'NoSchedule' };
const isolatedA = { nodeSelector: { tenant: 'team-a' }, tolerations: [TOLERATE_A] };
const affinity = (terms: unknown[]) => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });

new RuleTester().run(rule, {
  valid: [
    { name: 'tenant pod selects and tolerates', manifests: deployment({ name: 'dont-fire', namespace: 'team-a', podSpec: isolatedA }), options },
    {
      name: 'required node affinity in every term, and an Exists toleration on the key',
      manifests: deployment({ name: 'dont-fire', namespace: 'team-a', podSpec: { ...affinity([{ matchExpressions: [{ key: 'tenant', operator: 'In', values: ['team-a'] }] }, { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }, { key: 'tenant', operator: 'In', values: ['team-a'] }] }]), tolerations: [{ key: 'tenant', operator: 'Exists' }] } }),
      options,
    },
    { name: 'several labels', manifests: pod({ name: 'dont-fire', namespace: 'team-b', podSpec: { nodeSelector: { tenant: 'team-b', pool: 'dedicated', zone: 'a' } } }), options },
    { name: 'a taint-only tenant with an effect-less config', manifests: pod({ name: 'dont-fire', namespace: 'team-c', podSpec: { tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }] } }), options },
    { name: 'two namespaces of one tenant share its nodes', manifests: deployment({ name: 'dont-fire', namespace: 'team-a-batch', podSpec: isolatedA }), options },
    { name: 'pods outside the tenants that tolerate nothing', manifests: deployment({ name: 'dont-fire', namespace: 'shared' }), options },
    { name: 'node agents tolerate everything by design', manifests: daemonSet({ name: 'dont-fire', namespace: 'monitoring', podSpec: { tolerations: [{ operator: 'Exists' }] } }), options },
    { name: 'system namespaces are not tenants', manifests: deployment({ name: 'dont-fire', namespace: 'kube-system', podSpec: { tolerations: [{ operator: 'Exists' }] } }), options },
    { name: 'no tenants configured', manifests: deployment({ name: 'dont-fire', namespace: 'team-a' }) },
  ],
  invalid: [
    {
      name: 'tenant pod with neither selector nor toleration',
      manifests: deployment({ namespace: 'team-a' }),
      options,
      findings: [
        { messageId: 'notSelectingNodes', path: '/spec/template/spec/nodeSelector', data: { namespace: 'team-a', labels: 'tenant=team-a' }, severity: 'info',
          suggestions: [{ messageId: 'addNodeSelector', output: deployment({ namespace: 'team-a', podSpec: { nodeSelector: { tenant: 'team-a' } } }) }] },
        { messageId: 'notToleratingTaint', path: '/spec/template/spec/tolerations', data: { namespace: 'team-a', taint: 'tenant=team-a:NoSchedule' },
          suggestions: [{ messageId: 'addToleration', output: deployment({ namespace: 'team-a', podSpec: { tolerations: [TOLERATE_A] } }) }] },
      ],
      fixed: null,
    },
    {
      name: 'a selector for another value, an affinity term that allows other nodes, and a toleration with the wrong effect',
      manifests: [
        pod({ name: 'wrong-value', namespace: 'team-a', podSpec: { nodeSelector: { tenant: 'team-b' }, tolerations: [{ ...TOLERATE_A, effect: 'NoExecute' }, 'junk'] } }),
        pod({ name: 'loose-affinity', namespace: 'team-b', podSpec: affinity([{ matchExpressions: [{ key: 'tenant', operator: 'In', values: ['team-b', 'shared'] }] }]) }),
      ],
      options,
      findings: [
        { messageId: 'notSelectingNodes', path: '/spec/nodeSelector', resource: 'Pod team-a/wrong-value', data: { namespace: 'team-a', labels: 'tenant=team-a' },
          suggestions: [{ messageId: 'addNodeSelector' }] },
        { messageId: 'notToleratingTaint', path: '/spec/tolerations', resource: 'Pod team-a/wrong-value', suggestions: [{ messageId: 'addToleration' }] },
        { messageId: 'notSelectingNodes', path: '/spec/nodeSelector', resource: 'Pod team-b/loose-affinity', data: { namespace: 'team-b', labels: 'tenant=team-b, pool=dedicated' },
          suggestions: [{ messageId: 'addNodeSelector', output: pod({ name: 'loose-affinity', namespace: 'team-b', podSpec: { ...affinity([{ matchExpressions: [{ key: 'tenant', operator: 'In', values: ['team-b', 'shared'] }] }]), nodeSelector: { tenant: 'team-b', pool: 'dedicated' } } }) }] },
      ],
    },
    {
      name: 'a pod of another namespace tolerates a tenant taint',
      manifests: deployment({ namespace: 'shared', podSpec: { tolerations: [{ key: 'other', operator: 'Exists' }, { key: 'tenant', operator: 'Exists' }] } }),
      options,
      findings: [{ messageId: 'toleratesForeignTaint', path: '/spec/template/spec/tolerations/1', data: { namespace: 'shared', tenant: 'namespaces team-a, team-a-batch', taint: 'tenant=team-a:NoSchedule' } }],
    },
    {
      name: 'a blanket toleration in another tenant reaches every tainted tenant',
      manifests: deployment({ namespace: 'team-b', podSpec: { nodeSelector: { tenant: 'team-b', pool: 'dedicated' }, tolerations: [{ operator: 'Exists' }] } }),
      options,
      findings: [
        { messageId: 'toleratesForeignTaint', path: '/spec/template/spec/tolerations/0', data: { namespace: 'team-b', tenant: 'namespaces team-a, team-a-batch', taint: 'tenant=team-a:NoSchedule' } },
        { messageId: 'toleratesForeignTaint', path: '/spec/template/spec/tolerations/0', data: { namespace: 'team-b', tenant: 'namespace team-c', taint: 'dedicated' } },
      ],
    },
  ],
});

describe('require-tenant-node-isolation metadata', () => {
  it('is off until configured', () => expect(rule.meta.enabledByDefault).toBe(false));
});
