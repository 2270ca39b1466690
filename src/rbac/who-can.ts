/**
 * Which subjects the RBAC objects of an inventory allow to make a request, by the authorizer's
 * rules (`VisitRulesFor`): every ClusterRoleBinding, plus the RoleBindings of the request's
 * namespace; non-resource requests only through ClusterRoleBindings. RBAC objects only: groups are
 * not expanded, `system:masters` (which bypasses RBAC) and EKS access policies are not added here.
 */
import type { BindingView, EffectiveRule, RbacPolicy, SubjectEntry } from './policy.js';
import { ruleAllows, type Request } from './policy-rule.js';

export interface Permission {
  readonly binding: BindingView;
  readonly subject: SubjectEntry;
  /** The rules of the bound role that allow the request. */
  readonly rules: readonly EffectiveRule[];
}

/** `namespace` is the request's; omit it for cluster-scoped resources and non-resource URLs. */
export function whoCan(policy: RbacPolicy, request: Request, namespace?: string): readonly Permission[] {
  const out: Permission[] = [];
  for (const binding of policy.bindings) {
    if (binding.kind === 'RoleBinding' && ('nonResourceURL' in request || namespace === undefined || binding.namespace !== namespace)) continue;
    const rules = binding.role?.rules.filter((r) => ruleAllows(r.rule, request)) ?? [];
    if (rules.length === 0) continue;
    for (const subject of binding.subjects) out.push({ binding, subject, rules });
  }
  return out;
}
