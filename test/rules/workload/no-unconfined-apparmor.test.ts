import rule from '../../../src/rules/workload/no-unconfined-apparmor.js';
import { RuleTester, HARDENED_POD_SPEC, cronJob, daemonSet, deployment, pod } from '../../rule-tester.js';

const runtimeDefault = { appArmorProfile: { type: 'RuntimeDefault' } };
const unconfined = { appArmorProfile: { type: 'Unconfined' } };
const container = (name: string, securityContext?: unknown) => ({ name, image: 'registry.example.com/app:1.0.0', ...(securityContext === undefined ? {} : { securityContext }) });
const ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';

new RuleTester().run(rule, {
  valid: [
    { name: 'hardened pod spec', manifests: deployment({ name: 'dont-fire', podSpec: HARDENED_POD_SPEC }) },
    { name: 'no AppArmor settings: the runtime default applies', manifests: pod({ name: 'dont-fire' }) },
    { name: 'pod RuntimeDefault and container Localhost', manifests: cronJob({ name: 'dont-fire', podSpec: { securityContext: runtimeDefault, containers: [container('app', { appArmorProfile: { type: 'Localhost', localhostProfile: 'k8s-app' } })] } }) },
    {
      name: 'allowed annotation values',
      manifests: daemonSet({ name: 'dont-fire', podAnnotations: { [`${ANNOTATION}app`]: 'runtime/default', [`${ANNOTATION}init`]: 'localhost/k8s-init', [`${ANNOTATION}debug`]: '' } }),
    },
    { name: 'annotation on the controller object, not the pod template', manifests: deployment({ name: 'dont-fire', annotations: { [`${ANNOTATION}app`]: 'unconfined' } }) },
    { name: 'other annotations are ignored', manifests: pod({ name: 'dont-fire', podAnnotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined', 'example.com/apparmor': 'unconfined' } }) },
    { name: 'annotations of the wrong type', manifests: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'dont-fire', annotations: [`${ANNOTATION}app=unconfined`] }, spec: { containers: [container('app')] } } },
    { name: 'a non-string annotation value is left to the API server', manifests: pod({ name: 'dont-fire', podAnnotations: { [`${ANNOTATION}app`]: 1 as unknown as string } }) },
    { name: 'appArmorProfile of the wrong type and null', manifests: pod({ name: 'dont-fire', podSpec: { securityContext: { appArmorProfile: 'Unconfined' }, containers: [container('app', { appArmorProfile: null })] } }) },
  ],
  invalid: [
    {
      name: 'container Unconfined overrides pod RuntimeDefault',
      manifests: deployment({ podSpec: { securityContext: runtimeDefault, containers: [container('app', unconfined)] } }),
      findings: [{
        messageId: 'containerProfile', path: '/spec/template/spec/containers/0/securityContext/appArmorProfile/type', data: { container: 'app', type: 'Unconfined' },
        suggestions: [{ messageId: 'useRuntimeDefault', output: deployment({ podSpec: { securityContext: runtimeDefault, containers: [container('app', runtimeDefault)] } }) }],
      }],
      fixed: null,
    },
    {
      name: 'pod Unconfined fails even when the container overrides it',
      manifests: pod({ podSpec: { securityContext: unconfined, containers: [container('app', runtimeDefault)] } }),
      findings: [{ messageId: 'podProfile', path: '/spec/securityContext/appArmorProfile/type', data: { type: 'Unconfined' }, suggestions: [{ messageId: 'useRuntimeDefault' }] }],
    },
    {
      name: 'init and ephemeral containers on a CronJob',
      manifests: cronJob({ podSpec: { initContainers: [container('init', unconfined)], ephemeralContainers: [container('debug', { appArmorProfile: { type: 'runtime/default' } })] } }),
      findings: [
        { messageId: 'containerProfile', path: '/spec/jobTemplate/spec/template/spec/initContainers/0/securityContext/appArmorProfile/type', data: { container: 'init', type: 'Unconfined' }, suggestions: [{ messageId: 'useRuntimeDefault' }] },
        { messageId: 'containerProfile', path: '/spec/jobTemplate/spec/template/spec/ephemeralContainers/0/securityContext/appArmorProfile/type', data: { container: 'debug', type: 'runtime/default' }, suggestions: [{ messageId: 'useRuntimeDefault' }] },
      ],
    },
    {
      name: 'a profile without a type',
      manifests: pod({ podSpec: { containers: [container('app', { appArmorProfile: {} })] } }),
      findings: [{ messageId: 'containerProfile', path: '/spec/containers/0/securityContext/appArmorProfile/type', data: { container: 'app', type: '<none>' }, suggestions: [{ messageId: 'useRuntimeDefault' }] }],
    },
    {
      name: 'unconfined annotation on a bare Pod',
      manifests: pod({ podAnnotations: { [`${ANNOTATION}app`]: 'unconfined' } }),
      findings: [{
        messageId: 'annotation', path: '/metadata/annotations/container.apparmor.security.beta.kubernetes.io~1app',
        data: { annotation: `${ANNOTATION}app`, container: 'app', value: 'unconfined' },
        suggestions: [{ messageId: 'useRuntimeDefaultAnnotation', output: pod({ podAnnotations: { [`${ANNOTATION}app`]: 'runtime/default' } }) }],
      }],
    },
    {
      name: 'disallowed annotation values on a Deployment template',
      manifests: deployment({ podAnnotations: { [`${ANNOTATION}app`]: 'docker/default', [`${ANNOTATION}init`]: 'Unconfined' }, podSpec: { initContainers: [container('init')] } }),
      findings: [
        { messageId: 'annotation', path: '/spec/template/metadata/annotations/container.apparmor.security.beta.kubernetes.io~1app', data: { annotation: `${ANNOTATION}app`, container: 'app', value: 'docker/default' }, suggestions: [{ messageId: 'useRuntimeDefaultAnnotation' }] },
        { messageId: 'annotation', path: '/spec/template/metadata/annotations/container.apparmor.security.beta.kubernetes.io~1init', data: { annotation: `${ANNOTATION}init`, container: 'init', value: 'Unconfined' }, suggestions: [{ messageId: 'useRuntimeDefaultAnnotation' }] },
      ],
    },
  ],
});
