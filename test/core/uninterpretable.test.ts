import { describe, expect, it } from 'vitest';
import { POD_TEMPLATE_KINDS, POD_TEMPLATE_ONLY_KINDS, WORKLOAD_KINDS, uninterpretableWorkload } from '../../src/core/workload.js';
import { inventoryOf } from '../rule-tester.js';
import { cronJob, deployment, pod } from '../builders.js';

describe('objects eksguard cannot read as their kind', () => {
  it('are gaps that say what was expected, with the file and line', () => {
    const inventory = inventoryOf([
      { apiVersion: 'v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { template: { spec: { containers: [{ name: 'a', image: 'a:1' }] } } } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'empty', namespace: 'shop' } },
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly' }, spec: { schedule: '@daily' } },
      deployment({ name: 'fine' }),
    ]);
    const gaps = inventory.derivedGaps.filter((g) => g.code === 'NOT_INTERPRETED');
    expect(gaps.map((g) => [g.line, g.message])).toEqual([
      [1, 'Deployment shop/web: apps/v1 Deployment expected, not apiVersion v1; its pod spec is not judged'],
      [13, 'Deployment shop/empty: apps/v1 Deployment expected with a pod spec at spec.template.spec, which it lacks; its pod spec is not judged'],
      [19, 'CronJob nightly: batch/v1 CronJob expected with a pod spec at spec.jobTemplate.spec.template.spec, which it lacks; its pod spec is not judged'],
    ]);
    expect(gaps.every((g) => g.source === 'test.yaml')).toBe(true);
    expect(inventory.workloads.map((w) => w.ref.name)).toEqual(['fine']);
  });

  it('leave alone what is readable, and custom resources that share a built-in kind name', () => {
    expect(uninterpretableWorkload(pod() as never)).toBeUndefined();
    expect(uninterpretableWorkload(cronJob() as never)).toBeUndefined();
    expect(uninterpretableWorkload({ apiVersion: 'extensions/v1beta1', kind: 'Deployment', metadata: { name: 'old' }, spec: { template: { spec: {} } } })).toBeUndefined();
    expect(uninterpretableWorkload({ apiVersion: 'batch.volcano.sh/v1alpha1', kind: 'Job', metadata: { name: 'train' }, spec: { tasks: [] } })).toBeUndefined();
    expect(uninterpretableWorkload({ apiVersion: 'batch/v1', kind: 'Deployment', metadata: { name: 'x' } })).toBe('apps/v1 Deployment expected, not apiVersion batch/v1');
    expect(uninterpretableWorkload({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' } })).toBe('v1 Pod expected with a pod spec at spec, which it lacks');
  });

  it('leave alone a core Service, Knative\'s Service\'s namesake, and still report a Deployment under apiVersion v1', () => {
    expect(uninterpretableWorkload({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80 }] } })).toBeUndefined();
    expect(uninterpretableWorkload({ apiVersion: 'v1', kind: 'Deployment', metadata: { name: 'web' } })).toBe('apps/v1 Deployment expected, not apiVersion v1');
    expect(uninterpretableWorkload({ apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'web' }, spec: {} })).toBe('serving.knative.dev/v1 Service expected with a pod spec at spec.template.spec, which it lacks');
    expect(uninterpretableWorkload({ apiVersion: 'serving.knative.dev/v1', kind: 'Revision', metadata: { name: 'web' }, spec: { containers: [] } })).toBeUndefined();
  });

  it('report containers written as a mapping or a scalar, which the API rejects, rather than judge the pod as if it had none', () => {
    const inventory = inventoryOf([
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'mapped' }, spec: { containers: { name: 'a', image: 'a:1', securityContext: { privileged: true } } } },
      deployment({ name: 'init', podSpec: { initContainers: 'setup' } }),
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'unset' }, spec: { containers: null, ephemeralContainers: null } },
      deployment({ name: 'fine' }),
    ]);
    const gaps = inventory.derivedGaps.filter((g) => g.code === 'NOT_INTERPRETED');
    expect(gaps.map((g) => g.message)).toEqual([
      'Pod mapped: v1 Pod expected with a list at spec.containers, not a mapping; its pod spec is not judged',
      'Deployment default/init: apps/v1 Deployment expected with a list at spec.template.spec.initContainers, not a string; its pod spec is not judged',
    ]);
    expect(inventory.workloads.map((w) => w.ref.name)).toEqual(['unset', 'fine']);
  });
});

describe('the kinds that hold pod templates', () => {
  it('are read live only where built in; a rule reading Services reads no pod specs', () => {
    expect(WORKLOAD_KINDS).toEqual(['Pod', 'PodTemplate', 'ReplicationController', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob']);
    expect(POD_TEMPLATE_KINDS).toEqual([...WORKLOAD_KINDS, 'Rollout', 'DeploymentConfig', 'Service', 'Configuration', 'Revision', 'ScaledJob']);
    expect(POD_TEMPLATE_ONLY_KINDS).toEqual(POD_TEMPLATE_KINDS.filter((kind) => kind !== 'Service'));
  });

  it('are not confused with the members every object has (a kind named constructor or toString)', () => {
    const odd = ['constructor', 'toString', 'hasOwnProperty', '__proto__'].map((kind) => ({ apiVersion: 'example.com/v1', kind, metadata: { name: kind.toLowerCase() } }));
    for (const object of odd) expect(uninterpretableWorkload(object)).toBeUndefined();
    const inventory = inventoryOf([...odd, deployment({ name: 'fine' })]);
    expect(inventory.derivedGaps.filter((g) => g.code === 'NOT_INTERPRETED')).toEqual([]);
    expect(inventory.workloads.map((w) => w.ref.name)).toEqual(['fine']);
  });
});
