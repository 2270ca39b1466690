import rule from '../../../src/rules/tenancy/require-limit-range.js';
import { limitRange, namespace } from '../../builders-tenancy.js';
import { RuleTester, daemonSet, deployment, job } from '../../rule-tester.js';

new RuleTester().run(rule, {
  valid: [
    { name: 'a LimitRange in the namespace of the workloads', manifests: [limitRange('team-a'), deployment({ name: 'dont-fire', namespace: 'team-a' })] },
    { name: 'a Pod-type LimitRange', manifests: [limitRange('team-a', [{ type: 'Pod', max: { memory: '2Gi' } }]), job({ name: 'dont-fire', namespace: 'team-a' })] },
    { name: 'a declared namespace without workloads', manifests: [namespace('empty')] },
    { name: 'system namespaces are skipped', manifests: [namespace('kube-system'), daemonSet({ name: 'kube-proxy', namespace: 'kube-system' })] },
  ],
  invalid: [
    {
      name: 'a cluster dump: a namespace with workloads and no LimitRange',
      manifests: [namespace('team-a'), namespace('empty'), deployment({ name: 'web', namespace: 'team-a' })],
      findings: [{ messageId: 'noLimitRange', path: '', data: { namespace: 'team-a', workloads: 'Deployment web' }, resource: 'Namespace team-a', severity: 'low' }],
      fixed: null,
    },
    {
      name: 'a LimitRange that bounds only claims',
      manifests: [limitRange('team-a', [{ type: 'PersistentVolumeClaim', max: { storage: '10Gi' } }]), deployment({ namespace: 'team-a' })],
      findings: [{ messageId: 'noLimitRange', path: '', data: { namespace: 'team-a', workloads: 'Deployment app' } }],
    },
    {
      name: 'a Container item that sets nothing, and a LimitRange elsewhere',
      manifests: [limitRange('team-a', [{ type: 'Container' }, 'junk']), limitRange('team-b'), deployment({ namespace: 'team-a' })],
      findings: [{ messageId: 'noLimitRange', path: '', resource: 'Namespace team-a' }],
    },
  ],
  notEvaluated: [
    { name: 'one chart, no LimitRanges and no Namespace objects', manifests: deployment(), reason: 'no LimitRange objects in the input' },
  ],
});
