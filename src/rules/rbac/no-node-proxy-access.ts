import type { Report } from '../../core/finding.js';
import type { Inventory } from '../../core/inventory.js';
import type { KubeResource } from '../../core/resource.js';
import { SHARED_SEVERITY } from '../../core/shared-severity.js';
import { apiGroupMatches, resourceMatches, type PolicyRule } from '../../rbac/policy-rule.js';
import { defineRule } from '../define-rule.js';
import { builtinBindingGrant, joinPhrases, rbacNotEvaluated, roleAndBindingHandlers, roleGrants } from '../shared/rbac-permissions.js';

export type MessageId = 'nodeProxy' | 'nodeProxyViaBinding';

/**
 * The verbs a rule allows on `nodes/proxy` (every verb counts: even `get` reaches the kubelet API).
 * Nodes are cluster-scoped, so a Role or RoleBinding never grants it.
 */
export function nodeProxyVerbs(rule: PolicyRule, scope: 'namespace' | 'cluster'): readonly string[] {
  if (scope === 'namespace' || !apiGroupMatches(rule, '') || !resourceMatches(rule, 'nodes', 'proxy')) return [];
  return rule.verbs.includes('*') ? ['*'] : rule.verbs;
}

function* judgeRole(resource: KubeResource, inventory: Inventory): Generator<Report<MessageId>> {
  for (const found of roleGrants(resource, inventory, nodeProxyVerbs)) {
    yield { messageId: 'nodeProxy', path: found.rule.path, data: { verbs: joinPhrases(found.grants), from: found.from, grantees: found.grantees } };
  }
}

function* judgeBinding(resource: KubeResource, inventory: Inventory): Generator<Report<MessageId>> {
  const found = builtinBindingGrant(resource, inventory, nodeProxyVerbs);
  if (found === undefined) return;
  yield { messageId: 'nodeProxyViaBinding', path: ['roleRef'], data: { ...found.data, verbs: joinPhrases(found.grants) } };
}

export default defineRule({
  id: 'no-node-proxy-access',
  meta: {
    area: 'rbac',
    severity: SHARED_SEVERITY.nodeProxy,
    docs: { description: 'Disallow access to the nodes/proxy subresource', controls: ['eks-bp:iam', 'cis-eks:4.1.10'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      nodeProxy: 'Rule allows {{verbs}} on nodes/proxy{{from}}, which reaches the kubelet API of every node: its holders can read every pod and run commands in any container, past admission control and API audit logging; {{grantees}}.',
      nodeProxyViaBinding: '{{binding}} gives {{subjects}} {{verbs}} on nodes/proxy through {{role}}.',
    },
    rationale: 'The nodes/proxy subresource forwards requests to the kubelet with the API server\'s credentials. The kubelet API lists and reads every pod on the node and runs commands in containers, and requests through the proxy skip admission control and are audited only as a proxy call. Monitoring agents often ask for it when the narrower nodes/metrics or nodes/stats would do.',
    remediation: 'Remove nodes/proxy from the role. Scrape kubelet metrics through nodes/metrics and nodes/stats (or the metrics endpoints directly), and read logs through the pods/log subresource.',
  },
  defaultOptions: {},
  notEvaluated: rbacNotEvaluated,
  create: () => roleAndBindingHandlers(judgeRole, judgeBinding),
});
