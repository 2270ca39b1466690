/**
 * Which rules run at admission. A rule judged on the object alone must really need nothing else:
 * run on the fixture cluster, it asks the inventory for nothing, so its verdict at admission is the
 * verdict scan gives.
 */
import { describe, expect, it } from 'vitest';
import { refOf, type KubeResource } from '../../src/core/resource.js';
import { EMPTY_CONFIG } from '../../src/engine/config.js';
import { resolveRules } from '../../src/engine/rule-set.js';
import type { Handler } from '../../src/rules/define-rule.js';
import { builtinRules } from '../../src/rules/index.js';
import { planAdmission } from '../../src/webhook/evaluate.js';
import { clusterObjects } from '../collect/kube/fixture-cluster.js';
import { RecordingInventory } from '../support/recording-inventory.js';


const enabled = resolveRules(builtinRules, { config: EMPTY_CONFIG });

describe('planAdmission', () => {
  const plan = planAdmission(enabled, false);

  it.each(plan.objectRules.map((r) => [r.rule.id, r] as const))('%s judges the object alone', (_id, { handlers }) => {
    const objects = clusterObjects().map((object): KubeResource => ({ ref: refOf(object), object, origin: { type: 'cluster', context: 'fake' } }));
    const inventory = new RecordingInventory(objects, [], ['cluster']);
    const runs = Object.entries(handlers).map(([key, handler]) => [handler as Handler<unknown, string>, key === 'workload' ? inventory.workloads : key === 'object' ? inventory.objects : inventory.ofKind(key)] as const);
    inventory.asked.clear();
    let judged = 0;
    for (const [handler, targets] of runs) {
      for (const target of targets) {
        Array.from(handler(target, inventory));
        judged += 1;
      }
    }
    expect(judged).toBeGreaterThan(0);
    expect([...inventory.asked]).toEqual([]);
  });

  it('runs the pod-spec rules on the object, and skips the others with a reason', () => {
    const ids = plan.objectRules.map((r) => r.rule.id);
    expect(ids).toEqual(expect.arrayContaining(['no-privileged-containers', 'no-host-namespaces', 'require-run-as-non-root', 'no-latest-image-tag']));
    const skipped = new Map(plan.skipped.map((s) => [s.ruleId, s.reason]));
    expect(skipped.get('no-automounted-service-account-token')).toBe('looks at other objects (needs --cluster)');
    expect(skipped.get('require-resource-requests')).toBe('looks at other objects (needs --cluster)');
    expect(skipped.get('no-shared-service-accounts')).toBe('judges namespaces or workloads together (eksguard scan)');
    expect(skipped.get('require-resource-quota')).toBe('judges namespaces or workloads together (eksguard scan)');
    expect(skipped.get('no-public-cluster-endpoint')).toBe('judges AWS resources (eksguard scan --aws)');
    expect(skipped.get('require-secure-kubelet-config')).toBe('judges the kubelets\' configuration, read from the nodes (eksguard scan --kubelet-config)');
    expect(plan.clusterRules).toEqual([]);
    expect(plan.objectRules.length + plan.skipped.length).toBe(enabled.length);
  });

  it('with a cluster view, runs the rules that look at other objects and names the kinds the view must hold', () => {
    const withCluster = planAdmission(enabled, true);
    expect(withCluster.clusterRules.map((r) => r.rule.id)).toEqual(expect.arrayContaining(['no-automounted-service-account-token', 'require-resource-requests', 'no-cluster-admin-bindings']));
    expect(withCluster.skipped.every((s) => !s.reason.includes('--cluster'))).toBe(true);
    // What the view watches: the lookups of those rules, never the workloads themselves.
    expect([...withCluster.viewKinds].sort()).toEqual(['ClusterRole', 'ClusterRoleBinding', 'ConfigMap', 'Ingress', 'IngressClass', 'LimitRange', 'Namespace', 'NetworkPolicy', 'Role', 'RoleBinding', 'Service', 'ServiceAccount']);
  });
});
