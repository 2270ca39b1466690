import rule from '../../../src/rules/workload/no-dangerous-capabilities.js';
import { RuleTester, DEFAULT_CONTAINER, HARDENED_POD_SPEC, cronJob, daemonSet, deployment, pod } from '../../rule-tester.js';

const adding = (add: unknown, extra: Record<string, unknown> = {}) => ({ ...DEFAULT_CONTAINER, securityContext: { capabilities: { add, ...extra } } });

new RuleTester().run(rule, {
  valid: [
    { name: 'hardened pod spec', manifests: pod({ name: 'dont-fire', podSpec: HARDENED_POD_SPEC }) },
    { name: 'no capabilities', manifests: deployment({ name: 'dont-fire' }) },
    {
      name: 'only baseline capabilities, in every container group',
      manifests: cronJob({
        name: 'dont-fire',
        podSpec: {
          initContainers: [{ ...adding(['CHOWN', 'FOWNER']), name: 'init' }],
          containers: [adding(['NET_BIND_SERVICE'], { drop: ['ALL'] })],
          ephemeralContainers: [{ ...adding(['KILL', 'SYS_CHROOT']), name: 'debugger' }],
        },
      }),
    },
    { name: 'dropping dangerous capabilities is fine', manifests: pod({ name: 'dont-fire', podSpec: { containers: [{ ...DEFAULT_CONTAINER, securityContext: { capabilities: { drop: ['SYS_ADMIN', 'ALL'] } } }] } }) },
    { name: 'empty add list', manifests: pod({ name: 'dont-fire', podSpec: { containers: [adding([])] } }) },
    { name: 'add of the wrong type', manifests: pod({ name: 'dont-fire', podSpec: { containers: [adding('SYS_ADMIN')] } }) },
    { name: 'capabilities and securityContext of the wrong type', manifests: pod({ name: 'dont-fire', podSpec: { containers: [{ ...DEFAULT_CONTAINER, securityContext: { capabilities: ['SYS_ADMIN'] } }, { name: 'b', securityContext: 'x' }] } }) },
    { name: 'capabilities at pod level are not a field Kubernetes reads', manifests: pod({ name: 'dont-fire', podSpec: { securityContext: { capabilities: { add: ['SYS_ADMIN'] } } } }) },
  ],
  invalid: [
    {
      name: 'SYS_ADMIN on a bare Pod',
      manifests: pod({ podSpec: { containers: [adding(['SYS_ADMIN'])] } }),
      findings: [{
        messageId: 'dangerousCapability', path: '/spec/containers/0/securityContext/capabilities/add/0', data: { container: 'app', capability: 'SYS_ADMIN' },
        resource: 'Pod default/app',
        suggestions: [{ messageId: 'removeCapabilities', output: pod({ podSpec: { containers: [{ ...DEFAULT_CONTAINER, securityContext: { capabilities: {} } }] } }) }],
      }],
      fixed: null,
    },
    {
      name: 'NET_ADMIN and NET_RAW next to a baseline one on a DaemonSet',
      manifests: daemonSet({ podSpec: { containers: [adding(['NET_ADMIN', 'CHOWN', 'NET_RAW'])] } }),
      findings: [
        {
          messageId: 'dangerousCapability', path: '/spec/template/spec/containers/0/securityContext/capabilities/add/0', data: { container: 'app', capability: 'NET_ADMIN' },
          suggestions: [{ messageId: 'removeCapabilities', output: daemonSet({ podSpec: { containers: [adding(['CHOWN'])] } }) }],
        },
        { messageId: 'dangerousCapability', path: '/spec/template/spec/containers/0/securityContext/capabilities/add/2', data: { container: 'app', capability: 'NET_RAW' }, suggestions: [{ messageId: 'removeCapabilities' }] },
      ],
    },
    {
      name: 'ALL, a CAP_ prefix and a lower-case name on a CronJob',
      manifests: cronJob({ podSpec: { containers: [adding(['ALL', 'CAP_SYS_ADMIN', 'sys_ptrace'])] } }),
      findings: ['ALL', 'CAP_SYS_ADMIN', 'sys_ptrace'].map((capability, index) => ({
        messageId: 'dangerousCapability', path: `/spec/jobTemplate/spec/template/spec/containers/0/securityContext/capabilities/add/${index}`,
        data: { container: 'app', capability }, suggestions: [{ messageId: 'removeCapabilities' }],
      })),
    },
    {
      name: 'a baseline capability spelt the runtime way',
      manifests: deployment({ podSpec: { containers: [adding(['CAP_CHOWN', 'net_bind_service'])] } }),
      findings: [
        {
          messageId: 'misspeltCapability', path: '/spec/template/spec/containers/0/securityContext/capabilities/add/0', data: { container: 'app', capability: 'CAP_CHOWN', canonical: 'CHOWN' },
          suggestions: [{ messageId: 'useCanonicalName', output: deployment({ podSpec: { containers: [adding(['CHOWN', 'net_bind_service'])] } }) }],
        },
        {
          messageId: 'misspeltCapability', path: '/spec/template/spec/containers/0/securityContext/capabilities/add/1', data: { container: 'app', capability: 'net_bind_service', canonical: 'NET_BIND_SERVICE' },
          suggestions: [{ messageId: 'useCanonicalName' }],
        },
      ],
    },
    {
      name: 'init and ephemeral containers',
      manifests: pod({
        podSpec: {
          initContainers: [{ ...adding(['SYS_MODULE']), name: 'init' }],
          ephemeralContainers: [{ ...adding(['SYS_PTRACE']), name: 'debugger' }],
        },
      }),
      findings: [
        { messageId: 'dangerousCapability', path: '/spec/initContainers/0/securityContext/capabilities/add/0', data: { container: 'init', capability: 'SYS_MODULE' }, suggestions: [{ messageId: 'removeCapabilities' }] },
        { messageId: 'dangerousCapability', path: '/spec/ephemeralContainers/0/securityContext/capabilities/add/0', data: { container: 'debugger', capability: 'SYS_PTRACE' }, suggestions: [{ messageId: 'removeCapabilities' }] },
      ],
    },
    {
      name: 'entries that are not strings, and a duplicate',
      manifests: pod({ podSpec: { containers: [adding([null, 7, 'BPF', 'BPF'])] } }),
      findings: [
        { messageId: 'dangerousCapability', path: '/spec/containers/0/securityContext/capabilities/add/0', data: { container: 'app', capability: 'null' }, suggestions: [{ messageId: 'removeCapabilities' }] },
        { messageId: 'dangerousCapability', path: '/spec/containers/0/securityContext/capabilities/add/1', data: { container: 'app', capability: '7' }, suggestions: [{ messageId: 'removeCapabilities' }] },
        { messageId: 'dangerousCapability', path: '/spec/containers/0/securityContext/capabilities/add/2', data: { container: 'app', capability: 'BPF' }, suggestions: [{ messageId: 'removeCapabilities' }] },
        { messageId: 'dangerousCapability', path: '/spec/containers/0/securityContext/capabilities/add/3', data: { container: 'app', capability: 'BPF' }, suggestions: [{ messageId: 'removeCapabilities' }] },
      ],
    },
  ],
});
