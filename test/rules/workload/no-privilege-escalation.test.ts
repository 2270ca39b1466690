import rule from '../../../src/rules/workload/no-privilege-escalation.js';
import { RuleTester, DEFAULT_CONTAINER, HARDENED_POD_SPEC, cronJob, deployment, job, pod, podTemplate, statefulSet } from '../../rule-tester.js';

const noEscalation = { securityContext: { allowPrivilegeEscalation: false } };
const APE = 'securityContext/allowPrivilegeEscalation';

new RuleTester().run(rule, {
  valid: [
    { name: 'hardened pod spec', manifests: pod({ name: 'dont-fire', podSpec: HARDENED_POD_SPEC }) },
    {
      name: 'every container group sets false on a Deployment',
      manifests: deployment({
        name: 'dont-fire',
        podSpec: {
          initContainers: [{ name: 'init', image: 'busybox:1.36', ...noEscalation }],
          containers: [{ ...DEFAULT_CONTAINER, ...noEscalation }],
          ephemeralContainers: [{ name: 'debugger', image: 'busybox:1.36', ...noEscalation }],
        },
      }),
    },
    { name: 'false on a CronJob', manifests: cronJob({ name: 'dont-fire', podSpec: { containers: [{ ...DEFAULT_CONTAINER, ...noEscalation }] } }) },
    { name: 'Windows pod leaves it unset (exempt, as in PSS)', manifests: pod({ name: 'dont-fire', podSpec: { os: { name: 'windows' } } }) },
    { name: 'no containers at all', manifests: job({ name: 'dont-fire', podSpec: { containers: [] } }) },
    { name: 'containers is not a list', manifests: pod({ name: 'dont-fire', podSpec: { containers: 'app' } }) },
  ],
  invalid: [
    {
      name: 'unset on a bare Pod (default is allowed)',
      manifests: pod(),
      findings: [{
        messageId: 'unset', path: `/spec/containers/0/${APE}`, data: { container: 'app' }, resource: 'Pod default/app',
        suggestions: [{
          messageId: 'setFalse',
          output: pod({ podSpec: { containers: [{ ...DEFAULT_CONTAINER, securityContext: { allowPrivilegeEscalation: false } }] } }),
        }],
      }],
      fixed: null,
    },
    {
      name: 'explicit true on a Deployment',
      manifests: deployment({ podSpec: { containers: [{ ...DEFAULT_CONTAINER, securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: true } }] } }),
      findings: [{
        messageId: 'allowed', path: `/spec/template/spec/containers/0/${APE}`, data: { container: 'app', value: 'true' },
        suggestions: [{
          messageId: 'setFalse',
          output: deployment({ podSpec: { containers: [{ ...DEFAULT_CONTAINER, securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false } }] } }),
        }],
      }],
    },
    {
      name: 'unset on a CronJob whose securityContext has other fields',
      manifests: cronJob({ podSpec: { containers: [{ ...DEFAULT_CONTAINER, securityContext: { readOnlyRootFilesystem: true } }] } }),
      findings: [{ messageId: 'unset', path: `/spec/jobTemplate/spec/template/spec/containers/0/${APE}`, data: { container: 'app' }, suggestions: [{ messageId: 'setFalse' }] }],
    },
    {
      name: 'pod-level field does not count: the field exists only on containers',
      manifests: statefulSet({ podSpec: { securityContext: { allowPrivilegeEscalation: false } } }),
      findings: [{ messageId: 'unset', path: `/spec/template/spec/containers/0/${APE}`, suggestions: [{ messageId: 'setFalse' }] }],
    },
    {
      name: 'init and ephemeral containers are checked, the hardened one is not reported',
      manifests: pod({
        podSpec: {
          initContainers: [{ name: 'init', image: 'busybox:1.36' }],
          containers: [{ ...DEFAULT_CONTAINER, ...noEscalation }],
          ephemeralContainers: [{ name: 'debugger', image: 'busybox:1.36', securityContext: { allowPrivilegeEscalation: true } }],
        },
      }),
      findings: [
        { messageId: 'unset', path: `/spec/initContainers/0/${APE}`, data: { container: 'init' }, suggestions: [{ messageId: 'setFalse' }] },
        { messageId: 'allowed', path: `/spec/ephemeralContainers/0/${APE}`, data: { container: 'debugger', value: 'true' }, suggestions: [{ messageId: 'setFalse' }] },
      ],
    },
    {
      name: 'privileged container: false would be rejected by the API, so no suggestion',
      manifests: podTemplate({ podSpec: { containers: [{ ...DEFAULT_CONTAINER, securityContext: { privileged: true } }] } }),
      findings: [{ messageId: 'unset', path: `/template/spec/containers/0/${APE}`, data: { container: 'app' } }],
    },
    {
      name: 'CAP_SYS_ADMIN added: false would be rejected by the API, so no suggestion',
      manifests: pod({ podSpec: { containers: [{ ...DEFAULT_CONTAINER, securityContext: { allowPrivilegeEscalation: true, capabilities: { add: ['CAP_SYS_ADMIN'] } } }] } }),
      findings: [{ messageId: 'allowed', path: `/spec/containers/0/${APE}`, data: { container: 'app', value: 'true' } }],
    },
    {
      name: 'string "false" is not the boolean false',
      manifests: pod({ podSpec: { containers: [{ ...DEFAULT_CONTAINER, securityContext: { allowPrivilegeEscalation: 'false' } }] } }),
      findings: [{ messageId: 'allowed', path: `/spec/containers/0/${APE}`, data: { container: 'app', value: '"false"' }, suggestions: [{ messageId: 'setFalse' }] }],
    },
    {
      name: 'securityContext of the wrong type does not crash',
      manifests: pod({ podSpec: { containers: [{ ...DEFAULT_CONTAINER, securityContext: 'restricted' }] } }),
      findings: [{ messageId: 'unset', path: `/spec/containers/0/${APE}`, data: { container: 'app' } }],
    },
    {
      name: 'Linux pod with os.name set explicitly',
      manifests: pod({ podSpec: { os: { name: 'linux' }, containers: [{ ...DEFAULT_CONTAINER, securityContext: null }] } }),
      findings: [{ messageId: 'unset', path: `/spec/containers/0/${APE}`, suggestions: [{ messageId: 'setFalse' }] }],
    },
    {
      name: 'a missing field is located at its nearest present ancestor',
      manifests: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27\n      securityContext:\n        runAsNonRoot: true\n',
      findings: [{ messageId: 'unset', path: `/spec/containers/0/${APE}`, line: 9, suggestions: [{ messageId: 'setFalse' }] }],
    },
    {
      name: 'unnamed container is named by its position',
      manifests: pod({ podSpec: { containers: [{ image: 'busybox:1.36' }] } }),
      findings: [{ messageId: 'unset', path: `/spec/containers/0/${APE}`, data: { container: 'containers[0]' }, suggestions: [{ messageId: 'setFalse' }] }],
    },
  ],
});
