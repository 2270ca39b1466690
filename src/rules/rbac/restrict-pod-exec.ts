import type { Report } from '../../core/finding.js';
import type { Inventory } from '../../core/inventory.js';
import type { KubeResource } from '../../core/resource.js';
import { SCOPED_SEVERITY } from '../../core/shared-severity.js';
import { SESSION_SUBRESOURCES, clusterVersion, describeGetSessions, sessionVerbs } from '../../rbac/pod-sessions.js';
import { allowedVerbs, type PolicyRule } from '../../rbac/policy-rule.js';
import { defineRule } from '../define-rule.js';
import { builtinBindingGrant, joinPhrases, rbacNotEvaluated, roleAndBindingHandlers, roleGrants, scopedReport, type PermissionCheck } from '../shared/rbac-permissions.js';

export type MessageId = 'podExec' | 'podExecViaBinding';

/**
 * The session subresources a rule opens on this cluster (`create on pods/exec`, `get on
 * pods/attach`), named pods included; `get` counts where the version lets it open a WebSocket
 * session (`pod-sessions.ts`, shared with `rbac risky` and `rbac who-can`).
 */
export function sessionCheck(verbs: readonly string[]): PermissionCheck {
  return (rule: PolicyRule) => {
    const names = rule.resourceNames.length > 0 ? ` (pods named ${rule.resourceNames.join(', ')})` : '';
    const out: string[] = [];
    for (const sub of SESSION_SUBRESOURCES) {
      const allowed = allowedVerbs(rule, verbs, { apiGroup: '', resource: 'pods', subresource: sub, names: 'some' });
      if (allowed.length > 0) out.push(`${allowed.includes('create') ? 'create' : 'get'} on pods/${sub}${names}`);
    }
    return out;
  };
}

/** `get on pods/x` says nothing more where `create on pods/x` is granted too. */
export function dropCoveredGets(phrases: readonly string[]): readonly string[] {
  return phrases.filter((p) => !(p.startsWith('get on ') && phrases.includes(`create on ${p.slice('get on '.length)}`)));
}

/** The phrases in words: `get` dropped where `create` is granted too, and why `get` counts said once. */
function describeSessions(phrases: readonly string[], inventory: Inventory): string {
  const kept = dropCoveredGets(phrases);
  const why = kept.some((p) => p.startsWith('get on ')) ? ` (${describeGetSessions(clusterVersion(inventory))})` : '';
  return `${joinPhrases(kept)}${why}`;
}

function* judgeRole(resource: KubeResource, inventory: Inventory): Generator<Report<MessageId>> {
  for (const found of roleGrants(resource, inventory, sessionCheck(sessionVerbs(clusterVersion(inventory))))) {
    yield { messageId: 'podExec', path: found.rule.path, ...scopedReport('podSession', found.privileged), data: { subresources: describeSessions(found.grants, inventory), from: found.from, grantees: found.grantees } };
  }
}

function* judgeBinding(resource: KubeResource, inventory: Inventory): Generator<Report<MessageId>> {
  const found = builtinBindingGrant(resource, inventory, sessionCheck(sessionVerbs(clusterVersion(inventory))));
  if (found === undefined) return;
  yield { messageId: 'podExecViaBinding', path: ['roleRef'], ...scopedReport('podSession', found.privileged), data: { ...found.data, subresources: describeSessions(found.grants, inventory) } };
}

export default defineRule({
  id: 'restrict-pod-exec',
  meta: {
    area: 'rbac',
    severity: SCOPED_SEVERITY.podSession.namespace,
    docs: { description: 'Restrict exec, attach and port-forward into running pods', controls: ['eks-bp:iam', 'eks-bp:runtime-security'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      podExec: 'Rule allows {{subresources}}{{from}}, so its holders can open sessions into running containers (run commands with their ServiceAccount tokens and mounted Secrets, or reach their ports past NetworkPolicies); {{grantees}}.',
      podExecViaBinding: '{{binding}} gives {{subjects}} {{subresources}} {{scope}} through {{role}}.',
    },
    rationale: 'Exec and attach open a shell in a running container (port-forward a tunnel to its ports, past NetworkPolicies): whoever holds them reads what the container reads (mounted Secrets, the ServiceAccount token, cloud credentials from IRSA or Pod Identity) and acts with its identity, outside the deployment pipeline and its reviews. Interactive access to production pods should be rare, audited and time-bound.',
    remediation: 'Remove create (and, up to Kubernetes 1.34, get) on pods/exec, pods/attach and pods/portforward from standing roles; grant it through a separate role bound only for the duration of an incident (or use an audited break-glass process), and narrow it to the namespaces that need it.',
  },
  defaultOptions: {},
  notEvaluated: rbacNotEvaluated,
  create: () => roleAndBindingHandlers(judgeRole, judgeBinding),
});
