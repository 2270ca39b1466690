import rule from '../../../src/rules/identity/no-default-service-account.js';
import { HARDENED_POD_SPEC, RuleTester, cronJob, daemonSet, deployment, job, pod, serviceAccount, statefulSet } from '../../rule-tester.js';

new RuleTester().run(rule, {
  valid: [
    { name: 'hardened pod spec', manifests: deployment({ name: 'dont-fire', podSpec: HARDENED_POD_SPEC }) },
    { name: 'dedicated ServiceAccount on a Pod', manifests: [serviceAccount('web'), pod({ name: 'dont-fire', podSpec: { serviceAccountName: 'web' } })] },
    { name: 'deprecated serviceAccount field names a dedicated one', manifests: statefulSet({ name: 'dont-fire', podSpec: { serviceAccount: 'legacy' } }) },
    { name: 'empty serviceAccountName falls back to the deprecated field', manifests: job({ name: 'dont-fire', podSpec: { serviceAccountName: '', serviceAccount: 'batch' } }) },
    { name: 'a ServiceAccount object named default is not a workload', manifests: serviceAccount('default') },
  ],
  invalid: [
    {
      name: 'no serviceAccountName on a Pod',
      manifests: pod(),
      findings: [{ messageId: 'implicitDefault', path: '/spec/serviceAccountName', data: { namespace: 'default' }, resource: 'Pod default/app' }],
      fixed: null,
    },
    {
      name: 'serviceAccountName: default on a Deployment',
      manifests: deployment({ namespace: 'shop', podSpec: { serviceAccountName: 'default' } }),
      findings: [{ messageId: 'explicitDefault', path: '/spec/template/spec/serviceAccountName', data: { namespace: 'shop', field: 'serviceAccountName' } }],
    },
    {
      name: 'deprecated serviceAccount: default on a CronJob',
      manifests: cronJob({ podSpec: { serviceAccountName: '', serviceAccount: 'default' } }),
      findings: [{ messageId: 'explicitDefault', path: '/spec/jobTemplate/spec/template/spec/serviceAccountName', data: { namespace: 'default', field: 'serviceAccount' } }],
    },
    {
      name: 'odd input: serviceAccountName of the wrong type',
      manifests: daemonSet({ namespace: 'ops', podSpec: { serviceAccountName: 42, automountServiceAccountToken: false } }),
      findings: [{ messageId: 'implicitDefault', path: '/spec/template/spec/serviceAccountName', data: { namespace: 'ops' } }],
    },
  ],
});
