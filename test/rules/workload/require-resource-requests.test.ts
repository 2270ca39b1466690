import rule from '../../../src/rules/workload/require-resource-requests.js';
import { HARDENED_POD_SPEC, RuleTester, cronJob, daemonSet, deployment, job, pod, podTemplate, replicationController, statefulSet } from '../../rule-tester.js';

function limitRange(namespace: string, limits: readonly Record<string, unknown>[], name = 'defaults'): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'LimitRange', metadata: { name, namespace }, spec: { limits } };
}

const withResources = (resources: unknown, name = 'app') => ({ name, image: 'registry.example.com/app:1.0.0', resources });
const REQUESTED = { requests: { cpu: '100m', memory: '128Mi' } };

new RuleTester().run(rule, {
  valid: [
    { name: 'hardened pod spec', manifests: deployment({ name: 'dont-fire', podSpec: HARDENED_POD_SPEC }) },
    { name: 'cpu and memory requests on a Pod', manifests: pod({ name: 'dont-fire', podSpec: { containers: [withResources(REQUESTED)] } }) },
    {
      name: 'limits only: requests default to the limits',
      manifests: statefulSet({ name: 'dont-fire', podSpec: { containers: [withResources({ limits: { cpu: '1', memory: '1Gi' } })] } }),
    },
    {
      name: 'cpu request set, memory request defaulted from its limit',
      manifests: daemonSet({ name: 'dont-fire', podSpec: { containers: [withResources({ requests: { cpu: '50m' }, limits: { memory: '64Mi' } })] } }),
    },
    {
      name: 'numeric quantities',
      manifests: job({ name: 'dont-fire', podSpec: { containers: [withResources({ requests: { cpu: 1, memory: 134217728 } })] } }),
    },
    {
      name: 'LimitRange defaultRequest in the namespace supplies both',
      manifests: [
        limitRange('team-a', [{ type: 'Container', defaultRequest: { cpu: '100m', memory: '128Mi' } }]),
        deployment({ name: 'dont-fire', namespace: 'team-a' }),
      ],
    },
    {
      name: 'LimitRange default (a limit) also becomes the default request',
      manifests: [
        limitRange('team-a', [{ type: 'Container', default: { cpu: '500m', memory: '512Mi' } }]),
        cronJob({ name: 'dont-fire', namespace: 'team-a' }),
      ],
    },
    {
      name: 'LimitRange max becomes the default limit, hence the request; min supplies the rest',
      manifests: [
        limitRange('team-a', [{ type: 'Pod', max: { cpu: '4' } }, { type: 'Container', max: { memory: '1Gi' }, min: { cpu: '10m' } }]),
        replicationController({ name: 'dont-fire', namespace: 'team-a' }),
      ],
    },
    {
      name: 'init containers with requests too',
      manifests: pod({ name: 'dont-fire', podSpec: { initContainers: [withResources(REQUESTED, 'init')], containers: [withResources(REQUESTED)] } }),
    },
    {
      name: 'ephemeral containers cannot carry resources and are not judged',
      manifests: pod({ name: 'dont-fire', podSpec: { containers: [withResources(REQUESTED)], ephemeralContainers: [{ name: 'debugger', image: 'busybox:1.36' }] } }),
    },
    {
      name: 'pod-level requests cover the containers',
      manifests: deployment({ name: 'dont-fire', podSpec: { resources: { requests: { cpu: '1', memory: '1Gi' } }, containers: [{ name: 'app', image: 'registry.example.com/app:1.0.0' }] } }),
    },
    {
      name: 'pod-level limits default the pod-level requests',
      manifests: deployment({ name: 'dont-fire', podSpec: { resources: { limits: { cpu: '1', memory: '1Gi' } } } }),
    },
    { name: 'a pod spec without containers', manifests: podTemplate({ name: 'dont-fire', podSpec: { containers: [] } }) },
  ],
  invalid: [
    {
      name: 'no resources on a Pod',
      manifests: pod(),
      findings: [{ messageId: 'missingRequests', path: '/spec/containers/0/resources/requests', data: { container: 'app', missing: 'CPU and memory' }, resource: 'Pod default/app' }],
      fixed: null,
    },
    {
      name: 'memory request missing on a Deployment',
      manifests: deployment({ podSpec: { containers: [withResources({ requests: { cpu: '250m' } })] } }),
      findings: [{ messageId: 'missingRequests', path: '/spec/template/spec/containers/0/resources/requests', data: { container: 'app', missing: 'memory' } }],
    },
    {
      name: 'cpu request missing: a cpu limit of another container does not count',
      manifests: statefulSet({ podSpec: { containers: [withResources({ limits: { cpu: '1', memory: '1Gi' } }, 'proxy'), withResources({ requests: { memory: '1Gi' } })] } }),
      findings: [{ messageId: 'missingRequests', path: '/spec/template/spec/containers/1/resources/requests', data: { container: 'app', missing: 'CPU' } }],
    },
    {
      name: 'init container of a CronJob without requests',
      manifests: cronJob({ podSpec: { initContainers: [{ name: 'migrate', image: 'registry.example.com/migrate:1.0.0' }], containers: [withResources(REQUESTED)] } }),
      findings: [{ messageId: 'missingRequests', path: '/spec/jobTemplate/spec/template/spec/initContainers/0/resources/requests', data: { container: 'migrate', missing: 'CPU and memory' } }],
    },
    {
      name: 'a LimitRange in another namespace does not apply',
      manifests: [
        limitRange('team-b', [{ type: 'Container', defaultRequest: { cpu: '100m', memory: '128Mi' } }]),
        deployment({ namespace: 'team-a' }),
      ],
      findings: [{ messageId: 'missingRequests', path: '/spec/template/spec/containers/0/resources/requests', data: { container: 'app', missing: 'CPU and memory' }, resource: 'Deployment team-a/app' }],
    },
    {
      name: 'a LimitRange item of type Pod supplies no container defaults; one for cpu only leaves memory',
      manifests: [
        limitRange('team-a', [{ type: 'Pod', max: { memory: '1Gi' } }, { type: 'Container', defaultRequest: { cpu: '100m' } }]),
        job({ namespace: 'team-a' }),
      ],
      findings: [{ messageId: 'missingRequests', path: '/spec/template/spec/containers/0/resources/requests', data: { container: 'app', missing: 'memory' } }],
    },
    {
      name: 'zero requests reserve nothing',
      manifests: daemonSet({ podSpec: { containers: [withResources({ requests: { cpu: '0', memory: 0 } })] } }),
      findings: [{ messageId: 'missingRequests', path: '/spec/template/spec/containers/0/resources/requests', data: { container: 'app', missing: 'CPU and memory' } }],
    },
    {
      name: 'odd input: resources of the wrong type, requests as a list, a nameless container',
      manifests: pod({ podSpec: { containers: [withResources('lots'), withResources({ requests: [] }, 'sidecar'), { image: 'busybox:1.36', resources: { requests: { cpu: true, memory: '64Mi' } } }] } }),
      findings: [
        { messageId: 'missingRequests', path: '/spec/containers/0/resources/requests', data: { container: 'app', missing: 'CPU and memory' } },
        { messageId: 'missingRequests', path: '/spec/containers/1/resources/requests', data: { container: 'sidecar', missing: 'CPU and memory' } },
        { messageId: 'missingRequests', path: '/spec/containers/2/resources/requests', data: { container: 'containers[2]', missing: 'CPU' } },
      ],
    },
    {
      name: 'line of a missing requests block is its container\'s resources',
      manifests: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27\n      resources:\n        limits:\n          memory: 64Mi\n',
      findings: [{ messageId: 'missingRequests', path: '/spec/containers/0/resources/requests', data: { container: 'app', missing: 'CPU' }, line: 9 }],
    },
  ],
});
