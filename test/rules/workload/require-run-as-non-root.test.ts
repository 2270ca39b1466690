import rule from '../../../src/rules/workload/require-run-as-non-root.js';
import { RuleTester, DEFAULT_CONTAINER, HARDENED_POD_SPEC, cronJob, daemonSet, deployment, job, pod, replicaSet, replicationController } from '../../rule-tester.js';

const withContext = (securityContext: Record<string, unknown>) => ({ ...DEFAULT_CONTAINER, securityContext });
const NON_ROOT = 'securityContext/runAsNonRoot';

new RuleTester().run(rule, {
  valid: [
    { name: 'hardened pod spec', manifests: deployment({ name: 'dont-fire', podSpec: HARDENED_POD_SPEC }) },
    { name: 'pod-level runAsNonRoot inherited by every container', manifests: deployment({ name: 'dont-fire', podSpec: { securityContext: { runAsNonRoot: true } } }) },
    { name: 'container runAsUser above 0 alone', manifests: cronJob({ name: 'dont-fire', podSpec: { containers: [withContext({ runAsUser: 1000 })] } }) },
    { name: 'pod runAsUser above 0 alone', manifests: job({ name: 'dont-fire', podSpec: { securityContext: { runAsUser: 65534 } } }) },
    {
      name: 'runAsNonRoot false but a non-zero UID in effect',
      manifests: pod({ name: 'dont-fire', podSpec: { securityContext: { runAsUser: 1000 }, containers: [withContext({ runAsNonRoot: false })] } }),
    },
    {
      name: 'container runAsNonRoot true overrides pod false',
      manifests: pod({ name: 'dont-fire', podSpec: { securityContext: { runAsNonRoot: false }, containers: [withContext({ runAsNonRoot: true })] } }),
    },
    {
      name: 'pod runAsUser 0 that every container overrides',
      manifests: pod({ name: 'dont-fire', podSpec: { securityContext: { runAsUser: 0, runAsNonRoot: true }, containers: [withContext({ runAsUser: 1000 })] } }),
    },
    {
      name: 'user namespace (hostUsers: false) allows UID 0, as PSS does',
      manifests: pod({ name: 'dont-fire', podSpec: { hostUsers: false, securityContext: { runAsUser: 0 } } }),
    },
    {
      name: 'init and ephemeral containers inherit the pod setting',
      manifests: pod({
        name: 'dont-fire',
        podSpec: {
          securityContext: { runAsNonRoot: true },
          initContainers: [{ name: 'init', image: 'busybox:1.36' }],
          ephemeralContainers: [{ name: 'debugger', image: 'busybox:1.36' }],
        },
      }),
    },
    { name: 'empty container list', manifests: pod({ name: 'dont-fire', podSpec: { containers: [] } }) },
  ],
  invalid: [
    {
      name: 'nothing set on a bare Pod (the image decides)',
      manifests: pod(),
      findings: [{
        messageId: 'mayRunAsRoot', path: `/spec/containers/0/${NON_ROOT}`, data: { container: 'app', reason: 'runAsNonRoot is not set' },
        resource: 'Pod default/app',
        suggestions: [{ messageId: 'setRunAsNonRoot', output: pod({ podSpec: { containers: [withContext({ runAsNonRoot: true })] } }) }],
      }],
      fixed: null,
    },
    {
      // The kubelet refuses runAsNonRoot: true for ContainerAdministrator, Windows' root: no fix would start.
      name: 'a Windows container run as ContainerAdministrator (from the pod)',
      manifests: daemonSet({ podSpec: { nodeSelector: { 'kubernetes.io/os': 'windows' }, securityContext: { windowsOptions: { runAsUserName: 'ContainerAdministrator' } } } }),
      findings: [{ messageId: 'windowsAdministrator', path: '/spec/template/spec/securityContext/windowsOptions/runAsUserName', data: { container: 'app' }, suggestions: [] }],
      fixed: null,
    },
    {
      name: 'a Windows container run as ContainerUser, its own name over the pod\'s: the usual finding',
      manifests: pod({ podSpec: { securityContext: { windowsOptions: { runAsUserName: 'ContainerAdministrator' } }, containers: [withContext({ windowsOptions: { runAsUserName: 'ContainerUser' } })] } }),
      findings: [{ messageId: 'mayRunAsRoot', path: `/spec/containers/0/${NON_ROOT}`, data: { container: 'app', reason: 'runAsNonRoot is not set' }, suggestions: [{ messageId: 'setRunAsNonRoot' }] }],
    },
    {
      name: 'explicit runAsUser 0 even with runAsNonRoot true',
      manifests: deployment({ podSpec: { containers: [withContext({ runAsNonRoot: true, runAsUser: 0 })] } }),
      findings: [{ messageId: 'containerRootUid', path: '/spec/template/spec/containers/0/securityContext/runAsUser', data: { container: 'app' } }],
    },
    {
      name: 'container runAsUser 0 overrides a pod non-zero UID',
      manifests: daemonSet({ podSpec: { securityContext: { runAsUser: 1000 }, containers: [withContext({ runAsUser: 0 })] } }),
      findings: [{ messageId: 'containerRootUid', path: '/spec/template/spec/containers/0/securityContext/runAsUser', data: { container: 'app' } }],
    },
    {
      name: 'pod runAsUser 0 reported once for the containers that inherit it',
      manifests: cronJob({
        podSpec: {
          securityContext: { runAsUser: 0, runAsNonRoot: true },
          initContainers: [{ name: 'init', image: 'busybox:1.36' }],
          containers: [{ ...DEFAULT_CONTAINER }, { name: 'sidecar', image: 'busybox:1.36', securityContext: { runAsUser: 1000 } }],
        },
      }),
      findings: [{ messageId: 'podRootUid', path: '/spec/jobTemplate/spec/template/spec/securityContext/runAsUser', data: { containers: '"init", "app"' } }],
    },
    {
      name: 'container runAsNonRoot false overrides pod true',
      manifests: replicaSet({ podSpec: { securityContext: { runAsNonRoot: true }, containers: [withContext({ runAsNonRoot: false })] } }),
      findings: [{
        messageId: 'mayRunAsRoot', path: `/spec/template/spec/containers/0/${NON_ROOT}`, data: { container: 'app', reason: 'it sets runAsNonRoot: false' },
        suggestions: [{ messageId: 'setRunAsNonRoot' }],
      }],
    },
    {
      name: 'pod runAsNonRoot false inherited',
      manifests: replicationController({ podSpec: { securityContext: { runAsNonRoot: false } } }),
      findings: [{
        messageId: 'mayRunAsRoot', path: `/spec/template/spec/containers/0/${NON_ROOT}`, data: { container: 'app', reason: 'it inherits runAsNonRoot: false from the pod' },
        suggestions: [{ messageId: 'setRunAsNonRoot' }],
      }],
    },
    {
      name: 'ephemeral container without the pod setting, next to a compliant one',
      manifests: pod({
        podSpec: {
          containers: [withContext({ runAsNonRoot: true })],
          ephemeralContainers: [{ name: 'debugger', image: 'busybox:1.36' }],
        },
      }),
      findings: [{ messageId: 'mayRunAsRoot', path: `/spec/ephemeralContainers/0/${NON_ROOT}`, data: { container: 'debugger', reason: 'runAsNonRoot is not set' }, suggestions: [{ messageId: 'setRunAsNonRoot' }] }],
    },
    {
      name: 'init container with its own root UID',
      manifests: job({ podSpec: { securityContext: { runAsNonRoot: true }, initContainers: [{ name: 'chown', image: 'busybox:1.36', securityContext: { runAsUser: 0 } }] } }),
      findings: [{ messageId: 'containerRootUid', path: '/spec/template/spec/initContainers/0/securityContext/runAsUser', data: { container: 'chown' } }],
    },
    {
      name: 'hostUsers true does not exempt',
      manifests: pod({ podSpec: { hostUsers: true, securityContext: { runAsUser: 0 } } }),
      findings: [{ messageId: 'podRootUid', path: '/spec/securityContext/runAsUser', data: { containers: '"app"' } }],
    },
    {
      name: 'runAsUser as a string is not a UID and runAsNonRoot as a string is not true',
      manifests: pod({ podSpec: { containers: [withContext({ runAsUser: '1000', runAsNonRoot: 'true' })] } }),
      findings: [{ messageId: 'mayRunAsRoot', path: `/spec/containers/0/${NON_ROOT}`, data: { container: 'app', reason: 'it sets runAsNonRoot: "true"' }, suggestions: [{ messageId: 'setRunAsNonRoot' }] }],
    },
    {
      name: 'securityContext of the wrong type does not crash',
      manifests: pod({ podSpec: { securityContext: ['runAsNonRoot'], containers: [{ ...DEFAULT_CONTAINER, securityContext: 'nonroot' }] } }),
      findings: [{ messageId: 'mayRunAsRoot', path: `/spec/containers/0/${NON_ROOT}`, data: { container: 'app', reason: 'runAsNonRoot is not set' } }],
    },
  ],
});
