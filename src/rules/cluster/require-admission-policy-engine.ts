import type { Report } from '../../core/finding.js';
import type { Inventory } from '../../core/inventory.js';
import type { KubeResource } from '../../core/resource.js';
import { apiGroupOf } from '../../core/workload.js';
import { defineRule } from '../define-rule.js';
import { NOT_WHOLE_CLUSTER, isWholeClusterView } from '../shared/cluster-view.js';
import { isRecord } from '../shared/namespaces.js';

export type MessageId = 'noEnforcingEngine';

const ADMISSION_GROUP = 'admissionregistration.k8s.io';

interface Verdict {
  /** What enforces, in words; empty when nothing does. */
  readonly enforcing: readonly string[];
  /** What is there but does not deny (audit or warn modes). */
  readonly auditing: readonly string[];
}

const isEnforce = (value: unknown) => typeof value === 'string' && value.toLowerCase() === 'enforce';

/** A Kyverno policy denies when it (or one of its validate rules, Kyverno 1.13+) is in Enforce mode and runs at admission. */
function kyvernoEnforces(policy: KubeResource): boolean {
  const spec = policy.object.spec;
  if (!isRecord(spec) || spec.admission === false) return false;
  const rules = Array.isArray(spec.rules) ? (spec.rules as unknown[]).filter(isRecord) : [];
  const validating = rules.filter((r) => isRecord(r.validate));
  return validating.some((r) => {
    const own = isRecord(r.validate) ? r.validate.failureAction : undefined;
    return own !== undefined ? isEnforce(own) : isEnforce(spec.validationFailureAction);
  });
}

function verdictOf(inventory: Inventory): Verdict {
  const enforcing: string[] = [];
  const auditing: string[] = [];
  const kyverno = [...inventory.ofKind('ClusterPolicy'), ...inventory.ofKind('Policy')].filter((p) => apiGroupOf(p.object.apiVersion) === 'kyverno.io');
  const enforcingKyverno = kyverno.filter(kyvernoEnforces);
  if (enforcingKyverno.length > 0) enforcing.push(`${enforcingKyverno.length} Kyverno polic${enforcingKyverno.length === 1 ? 'y' : 'ies'} in Enforce mode`);
  else if (kyverno.length > 0) auditing.push(`${kyverno.length} Kyverno polic${kyverno.length === 1 ? 'y' : 'ies'}, none enforcing`);

  // Gatekeeper constraints are instances of the kinds its ConstraintTemplates define; deny is their default action.
  const constraints = inventory.objects.filter((o) => apiGroupOf(o.object.apiVersion) === 'constraints.gatekeeper.sh');
  const denying = constraints.filter((c) => !isRecord(c.object.spec) || (c.object.spec.enforcementAction ?? 'deny') === 'deny');
  const webhooks = inventory.ofKind('ValidatingWebhookConfiguration').filter((w) => apiGroupOf(w.object.apiVersion) === ADMISSION_GROUP);
  const gatekeeperWebhook = webhooks.some((w) => /gatekeeper/.test(w.ref.name));
  if (denying.length > 0) enforcing.push(`${denying.length} Gatekeeper constraint(s) with enforcementAction deny`);
  else if (constraints.length > 0) auditing.push(`${constraints.length} Gatekeeper constraint(s), none denying`);
  else if (gatekeeperWebhook && inventory.ofKind('ConstraintTemplate').length > 0) {
    // A live scan reads templates and the webhook, not the constraint kinds they define.
    enforcing.push('Gatekeeper (its admission webhook and ConstraintTemplates)');
  }

  const policies = new Set(inventory.ofKind('ValidatingAdmissionPolicy').filter((p) => apiGroupOf(p.object.apiVersion) === ADMISSION_GROUP).map((p) => p.ref.name));
  const bindings = inventory.ofKind('ValidatingAdmissionPolicyBinding').filter((b) => apiGroupOf(b.object.apiVersion) === ADMISSION_GROUP);
  const bound = bindings.filter((b) => isRecord(b.object.spec) && typeof b.object.spec.policyName === 'string' && policies.has(b.object.spec.policyName));
  const denyingBindings = bound.filter((b) => isRecord(b.object.spec) && Array.isArray(b.object.spec.validationActions) && (b.object.spec.validationActions as unknown[]).includes('Deny'));
  if (denyingBindings.length > 0) enforcing.push(`${denyingBindings.length} ValidatingAdmissionPolicy binding(s) with validationActions Deny`);
  else if (bindings.length > 0) auditing.push(`${bindings.length} ValidatingAdmissionPolicy binding(s), none denying an existing policy`);

  const eksguard = webhooks.filter((w) => /eksguard/.test(w.ref.name)
    || (Array.isArray(w.object.webhooks) && (w.object.webhooks as unknown[]).some((h) => isRecord(h) && typeof h.name === 'string' && /eksguard/.test(h.name))));
  if (eksguard.length > 0) enforcing.push('the eksguard admission webhook');
  return { enforcing, auditing };
}

const cache = new WeakMap<Inventory, Verdict>();

export default defineRule({
  id: 'require-admission-policy-engine',
  meta: {
    area: 'cluster',
    severity: 'medium',
    docs: { description: 'Require an admission policy engine that enforces policies', controls: ['eks-bp:pod-security', 'eks-bp:multi-tenancy'] },
    evidence: ['manifests', 'cluster'],
    reads: ['ClusterPolicy', 'Policy', 'ConstraintTemplate', 'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'],
    messages: {
      noEnforcingEngine: 'Nothing enforces policies at admission on this cluster{{seen}}: no Kyverno policy in Enforce mode, Gatekeeper constraint that denies, ValidatingAdmissionPolicy bound with Deny, or eksguard webhook. Pod Security Admission labels cover pod security only.',
    },
    rationale: 'Scans find problems after the fact; admission control stops them. Pod Security Admission enforces the Pod Security Standards, but nothing else: allowed registries, required labels, forbidden Service types, RBAC and webhook hygiene all need a policy engine — Kyverno, Gatekeeper, or ValidatingAdmissionPolicies built into Kubernetes 1.30+. Policies left in audit or warn mode record violations and admit them anyway.',
    remediation: 'Run a policy engine in enforce mode: ValidatingAdmissionPolicies with a binding whose validationActions include Deny (no add-on needed), Kyverno with validationFailureAction (or failureAction) Enforce, or Gatekeeper constraints with enforcementAction deny. Start in audit mode, fix what it reports, then enforce.',
  },
  defaultOptions: {},
  notEvaluated: (inventory) => (isWholeClusterView(inventory) ? undefined : NOT_WHOLE_CLUSTER),
  create: () => ({
    // One finding per cluster, on kube-system.
    *namespace(target, inventory): Generator<Report<MessageId>> {
      if (target.name !== 'kube-system' || !isWholeClusterView(inventory)) return;
      let verdict = cache.get(inventory);
      if (verdict === undefined) {
        verdict = verdictOf(inventory);
        cache.set(inventory, verdict);
      }
      if (verdict.enforcing.length > 0) return;
      yield { messageId: 'noEnforcingEngine', path: [], data: { seen: verdict.auditing.length > 0 ? ` (found: ${verdict.auditing.join('; ')})` : '' } };
    },
  }),
});
