import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/workload/no-best-effort-pods.js';
import { computeQosClass, isComputedBestEffort, podQosClass } from '../../../src/rules/shared/resources.js';
import { HARDENED_POD_SPEC, RuleTester, cronJob, daemonSet, deployment, inventoryOf, job, pod, replicaSet, type Manifests } from '../../rule-tester.js';

function limitRange(namespace: string, limits: readonly Record<string, unknown>[]): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'defaults', namespace }, spec: { limits } };
}

const IMAGE = 'registry.example.com/app:1.0.0';
const withResources = (resources: unknown, name = 'app') => ({ name, image: IMAGE, resources });
const COMPUTED = 'computed from its containers\' resources';
const livePod = (spec: Record<string, unknown>, qosClass: string) => ({ ...pod({ podSpec: spec }), status: { phase: 'Running', qosClass } });

new RuleTester().run(rule, {
  valid: [
    { name: 'hardened pod spec (Burstable)', manifests: deployment({ name: 'dont-fire', podSpec: HARDENED_POD_SPEC }) },
    { name: 'a cpu request alone makes it Burstable', manifests: pod({ name: 'dont-fire', podSpec: { containers: [withResources({ requests: { cpu: '10m' } })] } }) },
    {
      name: 'only the init container sets a memory limit',
      manifests: job({ name: 'dont-fire', podSpec: { initContainers: [withResources({ limits: { memory: '64Mi' } }, 'init')], containers: [{ name: 'app', image: IMAGE }] } }),
    },
    {
      name: 'LimitRange defaults in the namespace',
      manifests: [limitRange('team-a', [{ type: 'Container', defaultRequest: { cpu: '50m' } }]), cronJob({ name: 'dont-fire', namespace: 'team-a' })],
    },
    { name: 'pod-level resources', manifests: daemonSet({ name: 'dont-fire', podSpec: { resources: { requests: { memory: '1Gi' } } } }) },
    { name: 'a live Pod reporting Burstable is judged by its status', manifests: { ...livePod({}, 'Burstable'), metadata: { name: 'dont-fire', namespace: 'default' } } },
    { name: 'a pod spec without containers', manifests: replicaSet({ name: 'dont-fire', podSpec: { containers: 'none' } }) },
  ],
  invalid: [
    {
      name: 'no resources on a Pod',
      manifests: pod(),
      findings: [{ messageId: 'bestEffort', path: '/spec/containers', data: { qosClass: 'BestEffort', source: COMPUTED }, resource: 'Pod default/app' }],
      fixed: null,
    },
    {
      name: 'empty resources on every container of a Deployment',
      manifests: deployment({ podSpec: { initContainers: [withResources({}, 'init')], containers: [withResources({ requests: {}, limits: {} })] } }),
      findings: [{ messageId: 'bestEffort', path: '/spec/template/spec/containers', data: { qosClass: 'BestEffort', source: COMPUTED } }],
    },
    {
      name: 'zero quantities and non-compute resources do not count',
      manifests: cronJob({ podSpec: { containers: [withResources({ requests: { cpu: '0', 'ephemeral-storage': '1Gi' }, limits: { 'nvidia.com/gpu': 1, memory: 0 } })] } }),
      findings: [{ messageId: 'bestEffort', path: '/spec/jobTemplate/spec/template/spec/containers', data: { qosClass: 'BestEffort', source: COMPUTED } }],
    },
    {
      name: 'ephemeral containers do not count toward the class',
      manifests: pod({ podSpec: { containers: [{ name: 'app', image: IMAGE }], ephemeralContainers: [withResources({ requests: { cpu: '1' } }, 'debugger')] } }),
      findings: [{ messageId: 'bestEffort', path: '/spec/containers', data: { qosClass: 'BestEffort', source: COMPUTED } }],
    },
    {
      name: 'a LimitRange in another namespace does not apply',
      manifests: [limitRange('team-b', [{ type: 'Container', default: { memory: '1Gi' } }]), job({ namespace: 'team-a' })],
      findings: [{ messageId: 'bestEffort', path: '/spec/template/spec/containers', resource: 'Job team-a/app' }],
    },
    {
      name: 'a live Pod reporting BestEffort is judged by its status',
      manifests: livePod({ containers: [withResources({ requests: { cpu: '1' } })] }, 'BestEffort'),
      findings: [{ messageId: 'bestEffort', path: '/spec/containers', data: { qosClass: 'BestEffort', source: 'status.qosClass' } }],
    },
    {
      name: 'odd input: resources as a string, a bogus status class',
      manifests: livePod({ containers: [withResources('lots'), withResources({ requests: ['cpu'] }, 'sidecar')] }, 'Platinum'),
      findings: [{ messageId: 'bestEffort', path: '/spec/containers', data: { qosClass: 'BestEffort', source: COMPUTED } }],
    },
  ],
});

function qosOf(manifests: Manifests): string {
  const inventory = inventoryOf(manifests);
  const workload = inventory.workloads.find((w) => w.object.kind !== 'LimitRange');
  if (workload === undefined) throw new Error('no workload in fixture');
  return computeQosClass(workload, inventory);
}

const both = (cpu: unknown, memory: unknown) => ({ cpu, memory });

describe('computeQosClass (Kubernetes GetPodQOS)', () => {
  it.each([
    ['requests equal to limits', [withResources({ requests: both('1', '1Gi'), limits: both('1', '1Gi') })], 'Guaranteed'],
    ['limits only: requests default to them', [withResources({ limits: both('500m', '256Mi') })], 'Guaranteed'],
    ['quantities compared by value', [withResources({ requests: both('1', '1024Mi'), limits: both('1000m', '1Gi') })], 'Guaranteed'],
    ['numbers and strings', [withResources({ requests: both(0.5, '1G'), limits: both('500m', 1e9) })], 'Guaranteed'],
    ['request below limit', [withResources({ requests: both('100m', '1Gi'), limits: both('1', '1Gi') })], 'Burstable'],
    ['no cpu limit', [withResources({ requests: both('1', '1Gi'), limits: { memory: '1Gi' } })], 'Burstable'],
    ['one container of two without limits', [withResources({ limits: both('1', '1Gi') }), withResources({}, 'proxy')], 'Burstable'],
    ['nothing set', [withResources({})], 'BestEffort'],
  ] as const)('%s', (_name, containers, expected) => {
    expect(qosOf(pod({ podSpec: { containers } }))).toBe(expected);
  });

  it('counts init containers', () => {
    expect(qosOf(pod({ podSpec: { initContainers: [withResources({}, 'init')], containers: [withResources({ limits: both('1', '1Gi') })] } }))).toBe('Burstable');
    expect(qosOf(pod({ podSpec: { initContainers: [withResources({ limits: both('1', '1Gi') }, 'init')], containers: [withResources({ limits: both('1', '1Gi') })] } }))).toBe('Guaranteed');
  });

  it('applies LimitRange defaults of the namespace', () => {
    const range = limitRange('default', [{ type: 'Container', default: both('1', '1Gi') }]);
    expect(qosOf([range, pod()])).toBe('Guaranteed');
    const lower = limitRange('default', [{ type: 'Container', default: both('1', '1Gi'), defaultRequest: { cpu: '100m' } }]);
    expect(qosOf([lower, pod()])).toBe('Burstable');
    // A limit set on the container defaults its request before the LimitRange is consulted.
    expect(qosOf([lower, pod({ podSpec: { containers: [withResources({ limits: { cpu: '2' } })] } })])).toBe('Guaranteed');
  });

  it('uses pod-level resources when the pod sets them', () => {
    expect(qosOf(pod({ podSpec: { resources: { limits: both('2', '2Gi') } } }))).toBe('Guaranteed');
    expect(qosOf(pod({ podSpec: { resources: { requests: both('1', '1Gi'), limits: both('2', '2Gi') } } }))).toBe('Burstable');
    expect(qosOf(pod({ podSpec: { resources: { requests: { cpu: '1' } } } }))).toBe('Burstable');
    expect(qosOf(pod({ podSpec: { resources: { requests: both('1', '1Gi') }, containers: [withResources({ limits: both('1', '1Gi') })] } }))).toBe('Guaranteed');
  });

  it('prefers status.qosClass on a live Pod', () => {
    const inventory = inventoryOf(livePod({}, 'Guaranteed'));
    const workload = inventory.workloads[0];
    if (workload === undefined) throw new Error('no workload');
    expect(podQosClass(workload, inventory)).toEqual({ qosClass: 'Guaranteed', source: 'status' });
  });

  it('isComputedBestEffort (the rule\'s short cut) agrees with the full class on any resources', () => {
    const quantity = fc.oneof(fc.constantFrom<unknown>('0', '0m', '-1', '100m', '1', '1Gi', '0Gi', 'abc', '', 0, 0.5, -2, 1e9, null, undefined), fc.nat({ max: 3 }));
    const resources = fc.record({ cpu: quantity, memory: quantity, 'nvidia.com/gpu': quantity }, { requiredKeys: [] });
    const container = (name: string) => fc.record({ requests: resources, limits: resources }, { requiredKeys: [] }).map((r) => withResources(r, name));
    const range = fc.record({ type: fc.constantFrom('Container', 'Pod'), default: resources, defaultRequest: resources, max: resources, min: resources }, { requiredKeys: ['type'] });
    fc.assert(fc.property(
      fc.array(container('app'), { minLength: 1, maxLength: 3 }),
      fc.array(container('init'), { maxLength: 2 }),
      fc.option(fc.record({ requests: resources, limits: resources }, { requiredKeys: [] }), { nil: undefined }),
      fc.array(range, { maxLength: 2 }),
      (containers, initContainers, podResources, ranges) => {
        const spec = { containers, initContainers, ...(podResources !== undefined ? { resources: podResources } : {}) };
        const inventory = inventoryOf([...(ranges.length > 0 ? [limitRange('default', ranges)] : []), pod({ podSpec: spec })]);
        const workload = inventory.workloads.find((w) => w.object.kind === 'Pod');
        if (workload === undefined) throw new Error('no workload');
        expect(isComputedBestEffort(workload, inventory)).toBe(computeQosClass(workload, inventory) === 'BestEffort');
      },
    ), { numRuns: 500 });
  });
});
