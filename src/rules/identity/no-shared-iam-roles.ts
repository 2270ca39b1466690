import type { Report } from '../../core/finding.js';
import type { Inventory } from '../../core/inventory.js';
import { defineRule } from '../define-rule.js';
import { IRSA_ANNOTATION, usersOfRole, type RoleUser } from '../shared/aws.js';

export type MessageId = 'sharedRole';

export interface Options {
  readonly allowedRoles: readonly string[];
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

/**
 * A service account's identity across evidence kinds: `namespace/name`, prefixed by its cluster when
 * the AWS evidence holds several (Kubernetes input names no cluster, and belongs to the one scanned).
 */
function accountKey(user: Pick<RoleUser, 'serviceAccount' | 'cluster'>, inventory: Inventory): string {
  const several = (inventory.aws?.clusters.length ?? 0) > 1;
  return several && user.cluster !== undefined ? `${user.cluster}:${user.serviceAccount}` : user.serviceAccount;
}

/** Distinct service accounts that use the role, whichever way. */
function distinctAccounts(users: readonly RoleUser[], inventory: Inventory): string[] {
  return [...new Set(users.map((u) => accountKey(u, inventory)))];
}

export default defineRule({
  id: 'no-shared-iam-roles',
  meta: {
    area: 'identity',
    severity: 'low',
    docs: { description: 'Disallow one IAM role for several workloads\' service accounts', controls: ['eks-bp:iam'] },
    evidence: ['manifests', 'cluster', 'aws'],
    messages: {
      sharedRole: 'Service account {{serviceAccount}} uses IAM role {{role}} ({{via}}), which {{count}} service accounts share: {{others}}.',
    },
    rationale: 'A role shared by several applications carries the union of their permissions, so each of them can do what any of them needs, and CloudTrail cannot tell which application made a call. One role per application keeps each workload\'s AWS permissions to its own needs.',
    remediation: 'Create one IAM role per application (per service account) with only the permissions it needs, and point each service account\'s IRSA annotation or Pod Identity association at its own role. Roles meant to be shared through ABAC session tags can be listed in allowedRoles.',
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        allowedRoles: { type: 'array', items: { type: 'string' }, description: 'Role ARNs (globs with *) that may be shared, e.g. Pod Identity roles scoped per workload with ABAC session tags.' },
      },
    },
  },
  defaultOptions: { allowedRoles: [] } as Options,
  create({ allowedRoles }) {
    const allowed = allowedRoles.map(globToRegExp);
    function* judge(roleArn: string, serviceAccount: string, key: string, via: string, inventory: Inventory, path: (string | number)[]): Generator<Report<MessageId>> {
      if (allowed.some((re) => re.test(roleArn))) return;
      const accounts = distinctAccounts(usersOfRole(inventory, roleArn), inventory);
      if (accounts.length < 2) return;
      const others = accounts.filter((a) => a !== key);
      yield { messageId: 'sharedRole', path, data: { serviceAccount, role: roleArn, via, count: accounts.length, others: others.join(', ') } };
    }
    return {
      // An array rather than a generator: it runs on every ServiceAccount, most of them without a role.
      ServiceAccount(target, inventory): Report<MessageId>[] {
        const arn = target.object.metadata?.annotations?.[IRSA_ANNOTATION];
        if (target.object.apiVersion !== 'v1' || typeof arn !== 'string' || arn.trim() === '') return [];
        const serviceAccount = `${target.ref.namespace ?? 'default'}/${target.ref.name}`;
        return [...judge(arn.trim(), serviceAccount, accountKey({ serviceAccount }, inventory), 'IRSA', inventory, ['metadata', 'annotations', IRSA_ANNOTATION])];
      },
      *'aws:eks:pod-identity-association'(target, inventory) {
        const arn = target.data.roleArn;
        if (arn === undefined) return;
        const serviceAccount = `${target.data.namespace ?? ''}/${target.data.serviceAccount ?? ''}`;
        const key = accountKey({ serviceAccount, ...(target.data.clusterName !== undefined ? { cluster: target.data.clusterName } : {}) }, inventory);
        yield* judge(arn, serviceAccount, key, 'Pod Identity', inventory, ['roleArn']);
      },
    };
  },
});
