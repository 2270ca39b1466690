import rule from '../../../src/rules/workload/restrict-selinux-options.js';
import { RuleTester, HARDENED_POD_SPEC, cronJob, deployment, pod, replicationController } from '../../rule-tester.js';

const container = (name: string, securityContext?: unknown) => ({ name, image: 'registry.example.com/app:1.0.0', ...(securityContext === undefined ? {} : { securityContext }) });
const ALLOWED = 'container_t, container_init_t, container_kvm_t, container_engine_t';

new RuleTester().run(rule, {
  valid: [
    { name: 'hardened pod spec', manifests: deployment({ name: 'dont-fire', podSpec: HARDENED_POD_SPEC }) },
    { name: 'no seLinuxOptions', manifests: pod({ name: 'dont-fire' }) },
    {
      name: 'allowed types and a level at both levels',
      manifests: cronJob({ name: 'dont-fire', podSpec: {
        securityContext: { seLinuxOptions: { type: 'container_t', level: 's0:c123,c456' } },
        initContainers: [container('init', { seLinuxOptions: { type: 'container_init_t' } })],
        containers: [container('app', { seLinuxOptions: { type: 'container_engine_t' } })],
        ephemeralContainers: [container('debug', { seLinuxOptions: { type: 'container_kvm_t' } })],
      } }),
    },
    { name: 'empty strings count as unset', manifests: pod({ name: 'dont-fire', podSpec: { securityContext: { seLinuxOptions: { type: '', user: '', role: '' } } } }) },
    { name: 'seLinuxOptions of the wrong type and null', manifests: pod({ name: 'dont-fire', podSpec: { securityContext: { seLinuxOptions: 'spc_t' }, containers: [container('app', { seLinuxOptions: null })] } }) },
  ],
  invalid: [
    {
      name: 'super-privileged type on a Deployment container',
      manifests: deployment({ podSpec: { containers: [container('app', { seLinuxOptions: { type: 'spc_t' } })] } }),
      findings: [{
        messageId: 'containerType', path: '/spec/template/spec/containers/0/securityContext/seLinuxOptions/type', data: { container: 'app', value: 'spc_t', allowed: ALLOWED },
        suggestions: [{ messageId: 'removeField', output: deployment({ podSpec: { containers: [container('app', { seLinuxOptions: {} })] } }) }],
      }],
      fixed: null,
    },
    {
      name: 'pod-level type, user and role',
      manifests: pod({ podSpec: { securityContext: { seLinuxOptions: { type: 'unconfined_t', user: 'system_u', role: 'system_r', level: 's0' } } } }),
      findings: [
        { messageId: 'podType', path: '/spec/securityContext/seLinuxOptions/type', data: { value: 'unconfined_t', allowed: ALLOWED }, suggestions: [{ messageId: 'removeField' }] },
        { messageId: 'podUserOrRole', path: '/spec/securityContext/seLinuxOptions/user', data: { field: 'user', value: 'system_u' }, suggestions: [{ messageId: 'removeField' }] },
        { messageId: 'podUserOrRole', path: '/spec/securityContext/seLinuxOptions/role', data: { field: 'role', value: 'system_r' }, suggestions: [{ messageId: 'removeField' }] },
      ],
    },
    {
      name: 'container type overriding an allowed pod type, on init and ephemeral containers of a CronJob',
      manifests: cronJob({ podSpec: {
        securityContext: { seLinuxOptions: { type: 'container_t' } },
        initContainers: [container('init', { seLinuxOptions: { type: 'spc_t' } })],
        ephemeralContainers: [container('debug', { seLinuxOptions: { role: 'sysadm_r' } })],
      } }),
      findings: [
        { messageId: 'containerType', path: '/spec/jobTemplate/spec/template/spec/initContainers/0/securityContext/seLinuxOptions/type', data: { container: 'init', value: 'spc_t', allowed: ALLOWED }, suggestions: [{ messageId: 'removeField' }] },
        { messageId: 'containerUserOrRole', path: '/spec/jobTemplate/spec/template/spec/ephemeralContainers/0/securityContext/seLinuxOptions/role', data: { container: 'debug', field: 'role', value: 'sysadm_r' }, suggestions: [{ messageId: 'removeField' }] },
      ],
    },
    {
      name: 'an allowed container type does not cure a forbidden pod type',
      manifests: replicationController({ podSpec: { securityContext: { seLinuxOptions: { type: 'spc_t' } }, containers: [container('app', { seLinuxOptions: { type: 'container_t' } })] } }),
      findings: [{ messageId: 'podType', path: '/spec/template/spec/securityContext/seLinuxOptions/type', data: { value: 'spc_t', allowed: ALLOWED }, suggestions: [{ messageId: 'removeField' }] }],
    },
    {
      name: 'a type of the wrong kind is not an allowed type',
      manifests: pod({ podSpec: { containers: [container('app', { seLinuxOptions: { type: 7 } })] } }),
      findings: [{ messageId: 'containerType', path: '/spec/containers/0/securityContext/seLinuxOptions/type', data: { container: 'app', value: '7', allowed: ALLOWED }, suggestions: [{ messageId: 'removeField' }] }],
    },
  ],
});
