import type { Report } from '../../core/finding.js';
import type { Inventory } from '../../core/inventory.js';
import type { KubeResource } from '../../core/resource.js';
import { allowedVerbs, type PolicyRule } from '../../rbac/policy-rule.js';
import { defineRule } from '../define-rule.js';
import { builtinBindingGrant, joinPhrases, rbacNotEvaluated, roleAndBindingHandlers, roleGrants } from '../shared/rbac-permissions.js';

export type MessageId = 'podExec' | 'podExecViaBinding';

const SUBRESOURCES = ['exec', 'attach'] as const;

/** The pod subresources a rule allows `create` on (`kubectl exec` and `kubectl attach`), named pods included. */
function execSubresources(rule: PolicyRule): readonly string[] {
  const names = rule.resourceNames.length > 0 ? ` (pods named ${rule.resourceNames.join(', ')})` : '';
  return SUBRESOURCES
    .filter((sub) => allowedVerbs(rule, ['create'], { apiGroup: '', resource: 'pods', subresource: sub, names: 'some' }).length > 0)
    .map((sub) => `pods/${sub}${names}`);
}

function* judgeRole(resource: KubeResource, inventory: Inventory): Generator<Report<MessageId>> {
  for (const found of roleGrants(resource, inventory, execSubresources)) {
    yield { messageId: 'podExec', path: found.rule.path, data: { subresources: joinPhrases(found.grants), from: found.from, grantees: found.grantees } };
  }
}

function* judgeBinding(resource: KubeResource, inventory: Inventory): Generator<Report<MessageId>> {
  const found = builtinBindingGrant(resource, inventory, execSubresources);
  if (found === undefined) return;
  yield { messageId: 'podExecViaBinding', path: ['roleRef'], data: { ...found.data, subresources: joinPhrases(found.grants) } };
}

export default defineRule({
  id: 'restrict-pod-exec',
  meta: {
    area: 'rbac',
    severity: 'medium',
    docs: { description: 'Restrict create on pods/exec and pods/attach', controls: ['eks-bp:iam', 'eks-bp:runtime-security'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      podExec: 'Rule allows create on {{subresources}}{{from}}, so its holders can run commands inside running containers, with their ServiceAccount tokens and mounted Secrets; {{grantees}}.',
      podExecViaBinding: '{{binding}} gives {{subjects}} create on {{subresources}} {{scope}} through {{role}}.',
    },
    rationale: 'Exec and attach open a shell in a running container: whoever holds them reads what the container reads (mounted Secrets, the ServiceAccount token, cloud credentials from IRSA or Pod Identity) and acts with its identity, outside the deployment pipeline and its reviews. Interactive access to production pods should be rare, audited and time-bound.',
    remediation: 'Remove create on pods/exec and pods/attach from standing roles; grant it through a separate role bound only for the duration of an incident (or use an audited break-glass process), and narrow it to the namespaces that need it.',
  },
  defaultOptions: {},
  notEvaluated: rbacNotEvaluated,
  create: () => roleAndBindingHandlers(judgeRole, judgeBinding),
});
