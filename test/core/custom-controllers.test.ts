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
