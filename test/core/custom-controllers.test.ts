import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../src/rules/index.js';
import { inventoryOf, runRule } from '../rule-tester.js';

const privileged = { containers: [{ name: 'app', image: 'registry.example/app:1.2.3', securityContext: { privileged: true } }] };
const rollout = (spec: Record<string, unknown>) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'web', namespace: 'shop' }, spec });
const deploymentConfig = { apiVersion: 'apps.openshift.io/v1', kind: 'DeploymentConfig', metadata: { name: 'legacy', namespace: 'shop' }, spec: { replicas: 1, template: { metadata: { labels: { app: 'legacy' } }, spec: privileged } } };
const rule = builtinRules['no-privileged-containers'];

describe('pod templates of custom controllers that replace Deployments', () => {
  it('judges an Argo Rollout\'s and an OpenShift DeploymentConfig\'s pod template as a Deployment\'s', () => {
    const findings = runRule(rule, [rollout({ replicas: 2, template: { metadata: { labels: { app: 'web' } }, spec: privileged } }), deploymentConfig]);
    expect(findings.map((f) => [f.resource.provider === 'kubernetes' ? `${f.resource.kind} ${f.resource.name}` : '', f.path.join('.')])).toEqual([
      ['Rollout web', 'spec.template.spec.containers.0.securityContext.privileged'],
      ['DeploymentConfig legacy', 'spec.template.spec.containers.0.securityContext.privileged'],
    ]);
  });

  it('leaves a Rollout whose template is a Deployment\'s (workloadRef) to that Deployment, without a gap', () => {
    const inventory = inventoryOf([rollout({ workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' } })]);
    expect(inventory.workloads).toEqual([]);
    expect(inventory.derivedGaps).toEqual([]);
  });

  it('reports a Rollout with neither a template nor a workloadRef as not judged', () => {
    const inventory = inventoryOf([rollout({ replicas: 1 })]);
    expect(inventory.derivedGaps.map((g) => g.message)).toEqual([
      'Rollout shop/web: argoproj.io/v1alpha1 Rollout expected with a pod spec at spec.template.spec, which it lacks; its pod spec is not judged',
    ]);
  });

  it('leaves alone a kind of the same name in another group', () => {
    const other = { apiVersion: 'rollouts.example.com/v1', kind: 'Rollout', metadata: { name: 'x' }, spec: { template: { spec: privileged } } };
    expect(runRule(rule, [other])).toEqual([]);
    expect(inventoryOf([other]).derivedGaps).toEqual([]);
  });
});

const knative = (kind: string, spec: Record<string, unknown>) => ({ apiVersion: 'serving.knative.dev/v1', kind, metadata: { name: 'hello', namespace: 'serve' }, spec });
// A RevisionSpec inlines the PodSpec's fields beside its own (containerConcurrency, timeoutSeconds).
const revisionSpec = { containerConcurrency: 10, timeoutSeconds: 300, ...privileged };
const scaledJob = (spec: Record<string, unknown>) => ({ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledJob', metadata: { name: 'drain', namespace: 'queue' }, spec });

describe('pod templates of Knative Serving and KEDA ScaledJobs', () => {
  it('judges a Knative Service\'s, Configuration\'s and Revision\'s RevisionSpec and a ScaledJob\'s job template', () => {
    const findings = runRule(rule, [
      knative('Service', { template: { metadata: { labels: { app: 'hello' } }, spec: revisionSpec } }),
      knative('Configuration', { template: { spec: revisionSpec } }),
      knative('Revision', revisionSpec),
      scaledJob({ pollingInterval: 30, jobTargetRef: { parallelism: 1, template: { spec: { ...privileged, restartPolicy: 'Never' } } }, triggers: [] }),
    ]);
    expect(findings.map((f) => [f.resource.provider === 'kubernetes' ? `${f.resource.kind} ${f.resource.name}` : '', f.path.join('.')])).toEqual([
      ['Service hello', 'spec.template.spec.containers.0.securityContext.privileged'],
      ['Configuration hello', 'spec.template.spec.containers.0.securityContext.privileged'],
      ['Revision hello', 'spec.containers.0.securityContext.privileged'],
      ['ScaledJob drain', 'spec.jobTargetRef.template.spec.containers.0.securityContext.privileged'],
    ]);
  });

  it('reads the pod\'s metadata where each keeps it', () => {
    const inventory = inventoryOf([
      knative('Service', { template: { metadata: { labels: { app: 'hello' } }, spec: revisionSpec } }),
      { ...knative('Revision', revisionSpec), metadata: { name: 'hello-00001', namespace: 'serve', labels: { app: 'rev' } } },
    ]);
    expect(inventory.workloads.map((w) => [w.podMetaPath.join('.'), w.podMeta.labels, w.podSpecPath.join('.'), w.namespace])).toEqual([
      ['spec.template.metadata', { app: 'hello' }, 'spec.template.spec', 'serve'],
      ['metadata', { app: 'rev' }, 'spec', 'serve'],
    ]);
  });

  it('judges a Revision created by a Configuration in the input through that Configuration, once', () => {
    const owned = { ...knative('Revision', revisionSpec), metadata: { name: 'hello-00001', namespace: 'serve', ownerReferences: [{ apiVersion: 'serving.knative.dev/v1', kind: 'Configuration', name: 'hello', controller: true }] } };
    const findings = runRule(rule, [knative('Configuration', { template: { spec: revisionSpec } }), owned]);
    expect(findings.map((f) => f.resource.provider === 'kubernetes' ? f.resource.kind : '')).toEqual(['Configuration']);
  });

  it('reads a core Service as before: no pod spec, no gap', () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }], template: { spec: privileged } } };
    const inventory = inventoryOf([service, { ...service, apiVersion: 'apps/v1' }]);
    expect(inventory.workloads).toEqual([]);
    expect(inventory.derivedGaps).toEqual([]);
    expect(runRule(rule, [service])).toEqual([]);
  });

  it('reports a Knative Service or ScaledJob without a pod spec, or under a group without a dot, as not judged', () => {
    const inventory = inventoryOf([knative('Service', { traffic: [] }), scaledJob({ jobTargetRef: { parallelism: 1 } }), { ...knative('Revision', revisionSpec), apiVersion: 'v1' }]);
    expect(inventory.derivedGaps.map((g) => g.message)).toEqual([
      'Service serve/hello: serving.knative.dev/v1 Service expected with a pod spec at spec.template.spec, which it lacks; its pod spec is not judged',
      'Revision serve/hello: serving.knative.dev/v1 Revision expected, not apiVersion v1; its pod spec is not judged',
      'ScaledJob queue/drain: keda.sh/v1alpha1 ScaledJob expected with a pod spec at spec.jobTargetRef.template.spec, which it lacks; its pod spec is not judged',
    ]);
  });

  it('leaves alone kinds of the same names in other groups', () => {
    const others = [
      { apiVersion: 'batch.volcano.sh/v1alpha1', kind: 'Job', metadata: { name: 'train' }, spec: { tasks: [{ template: { spec: privileged } }] } },
      { apiVersion: 'example.com/v1', kind: 'Service', metadata: { name: 'x' }, spec: { template: { spec: privileged } } },
      { apiVersion: 'config.example.com/v1', kind: 'Configuration', metadata: { name: 'x' }, spec: { template: { spec: privileged } } },
      { apiVersion: 'apps.example.com/v1', kind: 'Revision', metadata: { name: 'x' }, spec: privileged },
    ];
    expect(runRule(rule, others)).toEqual([]);
    expect(inventoryOf(others).derivedGaps).toEqual([]);
  });

  it('reads an object whose kind names a method of every JavaScript object as any other unknown kind', () => {
    const odd = ['toString', 'constructor', '__proto__', 'hasOwnProperty'].map((kind) => ({ apiVersion: 'v1', kind, metadata: { name: 'x' }, spec: { template: { spec: privileged } } }));
    expect(runRule(rule, odd)).toEqual([]);
    expect(inventoryOf(odd).derivedGaps).toEqual([]);
  });
});
