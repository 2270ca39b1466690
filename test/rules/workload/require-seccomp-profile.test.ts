import rule from '../../../src/rules/workload/require-seccomp-profile.js';
import { RuleTester, DEFAULT_CONTAINER, HARDENED_POD_SPEC, cronJob, deployment, job, pod, podTemplate, statefulSet } from '../../rule-tester.js';

const runtimeDefault = { seccompProfile: { type: 'RuntimeDefault' } };
const unconfined = { seccompProfile: { type: 'Unconfined' } };
const container = (name: string, securityContext?: unknown) => ({ name, image: 'registry.example.com/app:1.0.0', ...(securityContext === undefined ? {} : { securityContext }) });

new RuleTester().run(rule, {
  valid: [
    { name: 'hardened pod spec on a Deployment', manifests: deployment({ name: 'dont-fire', podSpec: HARDENED_POD_SPEC }) },
    { name: 'pod-level RuntimeDefault inherited by every container', manifests: pod({ name: 'dont-fire', podSpec: { securityContext: runtimeDefault, initContainers: [container('init')], ephemeralContainers: [container('debug')] } }) },
    { name: 'pod-level Localhost without localhostProfile', manifests: statefulSet({ name: 'dont-fire', podSpec: { securityContext: { seccompProfile: { type: 'Localhost' } } } }) },
    {
      name: 'every container sets its own profile and the pod none',
      manifests: cronJob({ name: 'dont-fire', podSpec: {
        initContainers: [container('init', runtimeDefault)],
        containers: [container('app', { seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/app.json' } })],
        ephemeralContainers: [container('debug', runtimeDefault)],
      } }),
    },
    { name: 'container Localhost overrides pod RuntimeDefault', manifests: job({ name: 'dont-fire', podSpec: { securityContext: runtimeDefault, containers: [container('app', { seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } })] } }) },
    { name: 'Windows pod without a profile is exempt', manifests: deployment({ name: 'dont-fire', podSpec: { os: { name: 'windows' } } }) },
    { name: 'Windows pod with a legacy unconfined annotation is exempt', manifests: pod({ name: 'dont-fire', podSpec: { os: { name: 'windows' } }, podAnnotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' } }) },
    { name: 'legacy runtime/default annotation next to the field', manifests: pod({ name: 'dont-fire', podSpec: { securityContext: runtimeDefault }, podAnnotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'runtime/default' } }) },
    { name: 'container securityContext of the wrong type inherits the pod profile', manifests: pod({ name: 'dont-fire', podSpec: { securityContext: runtimeDefault, containers: [container('app', 'oops')] } }) },
    { name: 'container seccompProfile null inherits the pod profile', manifests: pod({ name: 'dont-fire', podSpec: { securityContext: runtimeDefault, containers: [container('app', { seccompProfile: null })] } }) },
    { name: 'empty container list', manifests: pod({ name: 'dont-fire', podSpec: { containers: [] } }) },
    { name: 'object metadata annotations do not describe a controller pod', manifests: deployment({ name: 'dont-fire', annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' }, podSpec: { securityContext: runtimeDefault } }) },
  ],
  invalid: [
    {
      name: 'bare Pod with no profile anywhere',
      manifests: pod(),
      findings: [{
        messageId: 'missing', path: '/spec/containers/0/securityContext/seccompProfile', data: { container: 'app' }, resource: 'Pod default/app', severity: 'medium',
        suggestions: [{ messageId: 'addPodProfile', output: pod({ podSpec: { securityContext: runtimeDefault } }) }],
      }],
      fixed: null,
    },
    {
      name: 'Deployment with init, regular and ephemeral containers and no profile',
      manifests: deployment({ podSpec: { securityContext: { runAsNonRoot: true }, initContainers: [container('init')], ephemeralContainers: [container('debug')] } }),
      findings: [
        { messageId: 'missing', path: '/spec/template/spec/initContainers/0/securityContext/seccompProfile', data: { container: 'init' }, suggestions: [{ messageId: 'addPodProfile' }] },
        { messageId: 'missing', path: '/spec/template/spec/containers/0/securityContext/seccompProfile', data: { container: 'app' }, suggestions: [{ messageId: 'addPodProfile' }] },
        { messageId: 'missing', path: '/spec/template/spec/ephemeralContainers/0/securityContext/seccompProfile', data: { container: 'debug' }, suggestions: [{ messageId: 'addPodProfile' }] },
      ],
    },
    {
      name: 'only some containers set a profile and the pod none',
      manifests: cronJob({ podSpec: { containers: [container('app', runtimeDefault), container('sidecar', { runAsNonRoot: true })] } }),
      findings: [{ messageId: 'missing', path: '/spec/jobTemplate/spec/template/spec/containers/1/securityContext/seccompProfile', data: { container: 'sidecar' }, suggestions: [{ messageId: 'addPodProfile' }] }],
    },
    {
      name: 'pod-level Unconfined inherited by the container',
      manifests: pod({ podSpec: { securityContext: unconfined } }),
      findings: [{
        messageId: 'podNotConfined', path: '/spec/securityContext/seccompProfile/type', data: { type: 'Unconfined' },
        suggestions: [{ messageId: 'useRuntimeDefault', output: pod({ podSpec: { securityContext: runtimeDefault } }) }],
      }],
    },
    {
      name: 'pod-level Unconfined fails even when every container overrides it',
      manifests: deployment({ podSpec: { securityContext: unconfined, containers: [container('app', runtimeDefault)] } }),
      findings: [{ messageId: 'podNotConfined', path: '/spec/template/spec/securityContext/seccompProfile/type', data: { type: 'Unconfined' }, suggestions: [{ messageId: 'useRuntimeDefault' }] }],
    },
    {
      name: 'init container Unconfined overrides pod RuntimeDefault',
      manifests: pod({ podSpec: { securityContext: runtimeDefault, initContainers: [container('init', unconfined)] } }),
      findings: [{
        messageId: 'containerNotConfined', path: '/spec/initContainers/0/securityContext/seccompProfile/type', data: { container: 'init', type: 'Unconfined' },
        suggestions: [{ messageId: 'useRuntimeDefault' }],
      }],
    },
    {
      name: 'an Unconfined container suppresses the pod-level suggestion for its neighbours',
      manifests: job({ podSpec: { containers: [container('app', unconfined)], ephemeralContainers: [container('debug')] } }),
      findings: [
        { messageId: 'containerNotConfined', path: '/spec/template/spec/containers/0/securityContext/seccompProfile/type', data: { container: 'app', type: 'Unconfined' }, suggestions: [{ messageId: 'useRuntimeDefault' }] },
        { messageId: 'missing', path: '/spec/template/spec/ephemeralContainers/0/securityContext/seccompProfile', data: { container: 'debug' } },
      ],
    },
    {
      name: 'a profile without a type is not confining',
      manifests: pod({ podSpec: { containers: [container('app', { seccompProfile: { localhostProfile: 'p.json' } })] } }),
      findings: [{ messageId: 'containerNotConfined', path: '/spec/containers/0/securityContext/seccompProfile/type', data: { container: 'app', type: '<none>' }, suggestions: [{ messageId: 'useRuntimeDefault' }] }],
    },
    {
      name: 'legacy annotations set to unconfined on a CronJob template',
      manifests: cronJob({
        podSpec: { securityContext: runtimeDefault },
        podAnnotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined', 'container.seccomp.security.alpha.kubernetes.io/app': 'unconfined' },
      }),
      findings: [
        {
          messageId: 'legacyAnnotationUnconfined', path: '/spec/jobTemplate/spec/template/metadata/annotations/seccomp.security.alpha.kubernetes.io~1pod',
          data: { annotation: 'seccomp.security.alpha.kubernetes.io/pod' }, suggestions: [{ messageId: 'useRuntimeDefaultAnnotation' }],
        },
        {
          messageId: 'legacyAnnotationUnconfined', path: '/spec/jobTemplate/spec/template/metadata/annotations/container.seccomp.security.alpha.kubernetes.io~1app',
          data: { annotation: 'container.seccomp.security.alpha.kubernetes.io/app' }, suggestions: [{ messageId: 'useRuntimeDefaultAnnotation' }],
        },
      ],
    },
    {
      name: 'a legacy runtime/default annotation does not count as a profile',
      manifests: podTemplate({ podAnnotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'runtime/default' } }),
      findings: [{ messageId: 'missing', path: '/template/spec/containers/0/securityContext/seccompProfile', data: { container: 'app' }, suggestions: [{ messageId: 'addPodProfile' }] }],
    },
    {
      name: 'Linux pod named explicitly is not exempt',
      manifests: pod({ podSpec: { os: { name: 'linux' }, containers: [{ ...DEFAULT_CONTAINER }] } }),
      findings: [{ messageId: 'missing', path: '/spec/containers/0/securityContext/seccompProfile', data: { container: 'app' }, suggestions: [{ messageId: 'addPodProfile' }] }],
    },
    {
      name: 'pod securityContext of the wrong type gets no patch',
      manifests: pod({ podSpec: { securityContext: 'oops' } }),
      findings: [{ messageId: 'missing', path: '/spec/containers/0/securityContext/seccompProfile', data: { container: 'app' } }],
    },
    {
      name: 'missing profile located at the container line',
      manifests: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27\n',
      findings: [{ messageId: 'missing', path: '/spec/containers/0/securityContext/seccompProfile', line: 7, suggestions: [{ messageId: 'addPodProfile' }] }],
    },
  ],
});
