import rule from '../../../src/rules/workload/no-host-namespaces.js';
import { RuleTester, cronJob, deployment, pod } from '../../rule-tester.js';

new RuleTester().run(rule, {
  valid: [
    { name: 'pod without host fields', manifests: pod({ name: 'dont-fire' }) },
    { name: 'explicit false on Deployment', manifests: deployment({ name: 'dont-fire', podSpec: { hostPID: false, hostIPC: false, hostNetwork: false } }) },
    { name: 'string "true" is not a boolean the API accepts', manifests: pod({ name: 'dont-fire', podSpec: { hostNetwork: 'true' } }) },
  ],
  invalid: [
    {
      name: 'hostPID on Deployment template',
      manifests: deployment({ podSpec: { hostPID: true } }),
      findings: [{
        messageId: 'hostNamespace', data: { field: 'hostPID', namespace: 'process' }, resource: 'Deployment default/app',
        path: '/spec/template/spec/hostPID', suggestions: [{ messageId: 'removeField' }],
      }],
      fixed: null,
    },
    {
      name: 'all three on a CronJob',
      manifests: cronJob({ podSpec: { hostPID: true, hostIPC: true, hostNetwork: true } }),
      findings: ['hostPID', 'hostIPC', 'hostNetwork'].map((field) => ({
        messageId: 'hostNamespace', path: `/spec/jobTemplate/spec/template/spec/${field}`, suggestions: [{ messageId: field === 'hostNetwork' ? 'removeHostNetwork' : 'removeField' }],
      })),
    },
    {
      name: 'hostNetwork on a bare Pod, located at its line',
      manifests: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  hostNetwork: true\n  containers:\n    - name: app\n      image: nginx:1.27\n',
      findings: [{ messageId: 'hostNamespace', path: '/spec/hostNetwork', line: 6, suggestions: [{ messageId: 'removeHostNetwork' }] }],
    },
  ],
});
