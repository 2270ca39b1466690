import rule from '../../../src/rules/workload/require-memory-limit.js';
import { HARDENED_POD_SPEC, RuleTester, cronJob, daemonSet, deployment, job, pod, statefulSet } from '../../rule-tester.js';

function limitRange(namespace: string, limits: readonly Record<string, unknown>[]): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'defaults', namespace }, spec: { limits } };
}

const IMAGE = 'registry.example.com/app:1.0.0';
const withResources = (resources: unknown, name = 'app') => ({ name, image: IMAGE, resources });

new RuleTester().run(rule, {
  valid: [
    { name: 'hardened pod spec', manifests: deployment({ name: 'dont-fire', podSpec: HARDENED_POD_SPEC }) },
    { name: 'memory limit on a Job', manifests: job({ name: 'dont-fire', podSpec: { containers: [withResources({ limits: { memory: '256Mi' } })] } }) },
    { name: 'numeric memory limit', manifests: pod({ name: 'dont-fire', podSpec: { containers: [withResources({ limits: { memory: 268435456 } })] } }) },
    {
      name: 'LimitRange default memory in the namespace',
      manifests: [limitRange('team-a', [{ type: 'Container', default: { memory: '512Mi' } }]), cronJob({ name: 'dont-fire', namespace: 'team-a' })],
    },
    {
      name: 'LimitRange max memory becomes the default limit',
      manifests: [limitRange('team-a', [{ type: 'Container', max: { memory: '1Gi' } }]), deployment({ name: 'dont-fire', namespace: 'team-a' })],
    },
    {
      name: 'init and regular containers both limited',
      manifests: statefulSet({ name: 'dont-fire', podSpec: { initContainers: [withResources({ limits: { memory: '64Mi' } }, 'init')], containers: [withResources({ limits: { memory: '1Gi' } })] } }),
    },
    {
      name: 'ephemeral containers are not judged',
      manifests: pod({ name: 'dont-fire', podSpec: { containers: [withResources({ limits: { memory: '1Gi' } })], ephemeralContainers: [{ name: 'debugger', image: 'busybox:1.36' }] } }),
    },
    {
      name: 'a pod-level memory limit bounds every container',
      manifests: deployment({ name: 'dont-fire', podSpec: { resources: { limits: { memory: '2Gi' } }, containers: [{ name: 'app', image: IMAGE }, { name: 'proxy', image: IMAGE }] } }),
    },
  ],
  invalid: [
    {
      name: 'no resources on a Pod',
      manifests: pod(),
      findings: [{ messageId: 'missingMemoryLimit', path: '/spec/containers/0/resources/limits/memory', data: { container: 'app', namespace: 'default' }, resource: 'Pod default/app' }],
      fixed: null,
    },
    {
      // "512MB" is no Kubernetes quantity (512M or 512Mi is): the API server refuses the object, so the limit is not missing but wrong.
      name: 'a memory limit that is no quantity (a unit typo, a template placeholder left in)',
      manifests: deployment({ podSpec: { containers: [withResources({ requests: { memory: '256Mi' }, limits: { memory: '512MB' } }), withResources({ requests: { memory: '70Mi' }, limits: { memory: '__MEMORY_LIMIT__' } }, 'dns')] } }),
      findings: [
        { messageId: 'invalidMemoryLimit', path: '/spec/template/spec/containers/0/resources/limits/memory', data: { container: 'app', value: '512MB' }, suggestions: [] },
        { messageId: 'invalidMemoryLimit', path: '/spec/template/spec/containers/1/resources/limits/memory', data: { container: 'dns', value: '__MEMORY_LIMIT__' }, suggestions: [] },
      ],
      fixed: null,
    },
    {
      name: 'memory request without a limit on a Deployment: suggest the request as the limit',
      manifests: deployment({ podSpec: { containers: [withResources({ requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1' } })] } }),
      findings: [{
        messageId: 'missingMemoryLimit', path: '/spec/template/spec/containers/0/resources/limits/memory', data: { container: 'app', namespace: 'default' },
        suggestions: [{
          messageId: 'setLimitToRequest',
          output: deployment({ podSpec: { containers: [withResources({ requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '256Mi' } })] } }),
        }],
      }],
      fixed: null,
    },
    {
      name: 'init container of a CronJob without a memory limit',
      manifests: cronJob({ podSpec: { initContainers: [withResources({ requests: { memory: '64Mi' } }, 'migrate')], containers: [withResources({ limits: { memory: '1Gi' } })] } }),
      findings: [{
        messageId: 'missingMemoryLimit', path: '/spec/jobTemplate/spec/template/spec/initContainers/0/resources/limits/memory', data: { container: 'migrate', namespace: 'default' },
        suggestions: [{ messageId: 'setLimitToRequest' }],
      }],
    },
    {
      name: 'a zero memory limit is no limit',
      manifests: daemonSet({ podSpec: { containers: [withResources({ requests: { memory: '128Mi' }, limits: { memory: '0' } })] } }),
      findings: [{
        messageId: 'missingMemoryLimit', path: '/spec/template/spec/containers/0/resources/limits/memory', data: { container: 'app', namespace: 'default' },
        suggestions: [{ messageId: 'setLimitToRequest', output: daemonSet({ podSpec: { containers: [withResources({ requests: { memory: '128Mi' }, limits: { memory: '128Mi' } })] } }) }],
      }],
    },
    {
      name: 'a LimitRange defaultRequest is not a limit, and one in another namespace does not apply',
      manifests: [
        limitRange('team-a', [{ type: 'Container', defaultRequest: { memory: '128Mi' } }]),
        limitRange('team-b', [{ type: 'Container', default: { memory: '128Mi' } }]),
        statefulSet({ namespace: 'team-a' }),
      ],
      findings: [{ messageId: 'missingMemoryLimit', path: '/spec/template/spec/containers/0/resources/limits/memory', data: { container: 'app', namespace: 'team-a' }, resource: 'StatefulSet team-a/app' }],
    },
    {
      name: 'a pod-level cpu limit alone does not bound memory',
      manifests: job({ podSpec: { resources: { limits: { cpu: '1' } } } }),
      findings: [{ messageId: 'missingMemoryLimit', path: '/spec/template/spec/containers/0/resources/limits/memory', data: { container: 'app', namespace: 'default' } }],
    },
    {
      name: 'odd input: resources of the wrong type and limits as a list get no suggestion',
      manifests: pod({ podSpec: { containers: [withResources('lots'), withResources({ requests: { memory: '1Gi' }, limits: [] }, 'sidecar')] } }),
      findings: [
        { messageId: 'missingMemoryLimit', path: '/spec/containers/0/resources/limits/memory', data: { container: 'app', namespace: 'default' } },
        { messageId: 'missingMemoryLimit', path: '/spec/containers/1/resources/limits/memory', data: { container: 'sidecar', namespace: 'default' } },
      ],
    },
  ],
});
