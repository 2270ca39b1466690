import rule from '../../../src/rules/workload/require-drop-all-capabilities.js';
import { RuleTester, DEFAULT_CONTAINER, HARDENED_POD_SPEC, cronJob, deployment, job, pod, statefulSet } from '../../rule-tester.js';

const caps = (capabilities: unknown, name = 'app') => ({ ...DEFAULT_CONTAINER, name, securityContext: { capabilities } });
const DROP = '/spec/containers/0/securityContext/capabilities/drop';

new RuleTester().run(rule, {
  valid: [
    { name: 'hardened pod spec', manifests: pod({ name: 'dont-fire', podSpec: HARDENED_POD_SPEC }) },
    {
      name: 'drop ALL in every container group, NET_BIND_SERVICE added back',
      manifests: cronJob({
        name: 'dont-fire',
        podSpec: {
          initContainers: [caps({ drop: ['ALL'] }, 'init')],
          containers: [caps({ drop: ['ALL'], add: ['NET_BIND_SERVICE'] })],
          ephemeralContainers: [caps({ drop: ['NET_RAW', 'ALL'] }, 'debugger')],
        },
      }),
    },
    { name: 'Windows pod leaves capabilities unset (exempt, as in PSS)', manifests: deployment({ name: 'dont-fire', podSpec: { os: { name: 'windows' } } }) },
    { name: 'empty add list', manifests: pod({ name: 'dont-fire', podSpec: { containers: [caps({ drop: ['ALL'], add: [] })] } }) },
    { name: 'no containers', manifests: pod({ name: 'dont-fire', podSpec: { containers: [] } }) },
  ],
  invalid: [
    {
      name: 'nothing set on a bare Pod',
      manifests: pod(),
      findings: [{
        messageId: 'missingDropAll', path: DROP, data: { container: 'app' }, resource: 'Pod default/app',
        suggestions: [{ messageId: 'addDropAll', output: pod({ podSpec: { containers: [caps({ drop: ['ALL'] })] } }) }],
      }],
      fixed: null,
    },
    {
      // Privileged grants every capability whatever drop says: adding ALL would hide the finding and change nothing.
      name: 'a privileged container: reported as such, with no fix',
      manifests: pod({ podSpec: { containers: [{ ...DEFAULT_CONTAINER, securityContext: { privileged: true } }] } }),
      findings: [{ messageId: 'privilegedNoDrop', path: DROP, data: { container: 'app' }, suggestions: [] }],
      fixed: null,
    },
    {
      name: 'securityContext without capabilities on a Deployment',
      manifests: deployment({ podSpec: { containers: [{ ...DEFAULT_CONTAINER, securityContext: { runAsNonRoot: true } }] } }),
      findings: [{
        messageId: 'missingDropAll', path: '/spec/template/spec/containers/0/securityContext/capabilities/drop', data: { container: 'app' },
        suggestions: [{ messageId: 'addDropAll', output: deployment({ podSpec: { containers: [{ ...DEFAULT_CONTAINER, securityContext: { runAsNonRoot: true, capabilities: { drop: ['ALL'] } } }] } }) }],
      }],
    },
    {
      name: 'a drop list without ALL is appended to',
      manifests: pod({ podSpec: { containers: [caps({ drop: ['NET_RAW'] })] } }),
      findings: [{ messageId: 'missingDropAll', path: DROP, data: { container: 'app' }, suggestions: [{ messageId: 'addDropAll', output: pod({ podSpec: { containers: [caps({ drop: ['NET_RAW', 'ALL'] })] } }) }] }],
    },
    {
      name: 'an empty drop list and an empty capabilities object',
      manifests: pod({ podSpec: { containers: [caps({ drop: [] }), caps({}, 'sidecar')] } }),
      findings: [
        { messageId: 'missingDropAll', path: DROP, data: { container: 'app' }, suggestions: [{ messageId: 'addDropAll' }] },
        { messageId: 'missingDropAll', path: '/spec/containers/1/securityContext/capabilities/drop', data: { container: 'sidecar' }, suggestions: [{ messageId: 'addDropAll' }] },
      ],
    },
    {
      name: 'lower-case all is not the exact string PSS requires',
      manifests: statefulSet({ podSpec: { containers: [caps({ drop: ['NET_RAW', 'all'] })] } }),
      findings: [{
        messageId: 'misspeltDropAll', path: '/spec/template/spec/containers/0/securityContext/capabilities/drop/1', data: { container: 'app', value: 'all' },
        suggestions: [{ messageId: 'spellAll', output: statefulSet({ podSpec: { containers: [caps({ drop: ['NET_RAW', 'ALL'] })] } }) }],
      }],
    },
    {
      name: 'drop given as a string instead of a list',
      manifests: pod({ podSpec: { containers: [caps({ drop: 'ALL' })] } }),
      findings: [{ messageId: 'missingDropAll', path: DROP, data: { container: 'app' }, suggestions: [{ messageId: 'addDropAll', output: pod({ podSpec: { containers: [caps({ drop: ['ALL'] })] } }) }] }],
    },
    {
      name: 'capabilities added back besides NET_BIND_SERVICE',
      manifests: job({ podSpec: { containers: [caps({ drop: ['ALL'], add: ['NET_BIND_SERVICE', 'CHOWN', 'SYS_ADMIN'] })] } }),
      findings: [
        {
          messageId: 'addsCapability', path: '/spec/template/spec/containers/0/securityContext/capabilities/add/1', data: { container: 'app', capability: 'CHOWN' },
          suggestions: [{ messageId: 'removeAddedCapabilities', output: job({ podSpec: { containers: [caps({ drop: ['ALL'], add: ['NET_BIND_SERVICE'] })] } }) }],
        },
        { messageId: 'addsCapability', path: '/spec/template/spec/containers/0/securityContext/capabilities/add/2', data: { container: 'app', capability: 'SYS_ADMIN' }, suggestions: [{ messageId: 'removeAddedCapabilities' }] },
      ],
    },
    {
      name: 'adds NET_RAW without dropping anything, on a CronJob',
      manifests: cronJob({ podSpec: { containers: [caps({ add: ['NET_RAW'] })] } }),
      findings: [
        { messageId: 'missingDropAll', path: '/spec/jobTemplate/spec/template/spec/containers/0/securityContext/capabilities/drop', data: { container: 'app' }, suggestions: [{ messageId: 'addDropAll' }] },
        {
          messageId: 'addsCapability', path: '/spec/jobTemplate/spec/template/spec/containers/0/securityContext/capabilities/add/0', data: { container: 'app', capability: 'NET_RAW' },
          suggestions: [{ messageId: 'removeAddedCapabilities', output: cronJob({ podSpec: { containers: [caps({})] } }) }],
        },
      ],
    },
    {
      name: 'init and ephemeral containers, next to a compliant app container',
      manifests: pod({
        podSpec: {
          initContainers: [{ name: 'init', image: 'busybox:1.36' }],
          containers: [caps({ drop: ['ALL'] })],
          ephemeralContainers: [caps({ drop: ['ALL'], add: ['net_bind_service'] }, 'debugger')],
        },
      }),
      findings: [
        { messageId: 'missingDropAll', path: '/spec/initContainers/0/securityContext/capabilities/drop', data: { container: 'init' }, suggestions: [{ messageId: 'addDropAll' }] },
        { messageId: 'addsCapability', path: '/spec/ephemeralContainers/0/securityContext/capabilities/add/0', data: { container: 'debugger', capability: 'net_bind_service' }, suggestions: [{ messageId: 'removeAddedCapabilities' }] },
      ],
    },
    {
      name: 'capabilities at pod level are not a field Kubernetes reads',
      manifests: pod({ podSpec: { securityContext: { capabilities: { drop: ['ALL'] } } } }),
      findings: [{ messageId: 'missingDropAll', path: DROP, data: { container: 'app' }, suggestions: [{ messageId: 'addDropAll' }] }],
    },
    {
      name: 'securityContext and capabilities of the wrong type do not crash',
      manifests: pod({ podSpec: { containers: [{ ...DEFAULT_CONTAINER, securityContext: 'drop-all' }, caps(['ALL'], 'b')] } }),
      findings: [
        { messageId: 'missingDropAll', path: DROP, data: { container: 'app' } },
        { messageId: 'missingDropAll', path: '/spec/containers/1/securityContext/capabilities/drop', data: { container: 'b' } },
      ],
    },
  ],
});
