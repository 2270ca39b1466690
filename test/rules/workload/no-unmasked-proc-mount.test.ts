import rule from '../../../src/rules/workload/no-unmasked-proc-mount.js';
import { RuleTester, HARDENED_POD_SPEC, cronJob, deployment, pod } from '../../rule-tester.js';

const container = (name: string, securityContext?: unknown) => ({ name, image: 'registry.example.com/app:1.0.0', ...(securityContext === undefined ? {} : { securityContext }) });
const unmasked = { procMount: 'Unmasked' };

new RuleTester().run(rule, {
  valid: [
    { name: 'hardened pod spec', manifests: deployment({ name: 'dont-fire', podSpec: HARDENED_POD_SPEC }) },
    { name: 'procMount unset defaults to Default', manifests: pod({ name: 'dont-fire' }) },
    { name: 'explicit Default on every container kind', manifests: cronJob({ name: 'dont-fire', podSpec: { initContainers: [container('init', { procMount: 'Default' })], containers: [container('app', { procMount: 'Default' })], ephemeralContainers: [container('debug', { procMount: 'Default' })] } }) },
    { name: 'Unmasked in a user-namespaced pod (hostUsers: false)', manifests: deployment({ name: 'dont-fire', podSpec: { hostUsers: false, containers: [container('app', unmasked)] } }) },
    { name: 'odd securityContext and null procMount', manifests: pod({ name: 'dont-fire', podSpec: { containers: [container('app', 'Unmasked'), container('b', { procMount: null })] } }) },
  ],
  invalid: [
    {
      name: 'Unmasked on a Deployment container',
      manifests: deployment({ podSpec: { containers: [container('app', unmasked)] } }),
      findings: [{
        messageId: 'procMount', path: '/spec/template/spec/containers/0/securityContext/procMount', data: { container: 'app', value: 'Unmasked' },
        suggestions: [{ messageId: 'setDefault', output: deployment({ podSpec: { containers: [container('app', { procMount: 'Default' })] } }) }],
      }],
      fixed: null,
    },
    {
      name: 'hostUsers true gives no relaxation; init and ephemeral containers of a CronJob',
      manifests: cronJob({ podSpec: { hostUsers: true, initContainers: [container('init', unmasked)], ephemeralContainers: [container('debug', unmasked)] } }),
      findings: [
        { messageId: 'procMount', path: '/spec/jobTemplate/spec/template/spec/initContainers/0/securityContext/procMount', data: { container: 'init', value: 'Unmasked' }, suggestions: [{ messageId: 'setDefault' }] },
        { messageId: 'procMount', path: '/spec/jobTemplate/spec/template/spec/ephemeralContainers/0/securityContext/procMount', data: { container: 'debug', value: 'Unmasked' }, suggestions: [{ messageId: 'setDefault' }] },
      ],
    },
    {
      name: 'hostUsers "false" as a string is not a user namespace',
      manifests: pod({ podSpec: { hostUsers: 'false', containers: [container('app', { procMount: 'unmasked' })] } }),
      findings: [{ messageId: 'unknownProcMount', path: '/spec/containers/0/securityContext/procMount', data: { container: 'app', value: 'unmasked' }, suggestions: [{ messageId: 'setDefault' }] }],
    },
    {
      name: 'a value outside the enum (or not a string) is invalid, not unmasked: still reported, in its own words',
      manifests: pod({ podSpec: { containers: [container('app', { procMount: 'Masked' }), container('b', { procMount: 1 })] } }),
      findings: [
        { messageId: 'unknownProcMount', path: '/spec/containers/0/securityContext/procMount', data: { container: 'app', value: 'Masked' }, suggestions: [{ messageId: 'setDefault' }] },
        { messageId: 'unknownProcMount', path: '/spec/containers/1/securityContext/procMount', data: { container: 'b', value: '1' }, suggestions: [{ messageId: 'setDefault' }] },
      ],
    },
  ],
});
