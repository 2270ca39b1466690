import { iamPatternMatches, listOf, type PolicyDocument } from '../../core/aws/policy.js';
import type { FieldPath, Report } from '../../core/finding.js';
import { defineRule } from '../define-rule.js';
import { awsManagedPolicyName, describeRoleUse, isWorkloadRole } from '../shared/aws.js';

export type MessageId = 'adminPolicy' | 'allActions' | 'serviceWildcard' | 'roleHop';

/** AWS managed policies that hand a workload (almost) the whole account. */
const ADMIN_POLICIES = new Set(['AdministratorAccess', 'PowerUserAccess', 'IAMFullAccess']);

/** Actions that reach past the role's own permissions when granted on every resource: passing any role to a service, assuming any role. */
const ROLE_HOPS = ['iam:PassRole', 'sts:AssumeRole'] as const;

interface Broad { readonly messageId: 'allActions' | 'serviceWildcard' | 'roleHop'; readonly path: FieldPath; readonly action: string }

/** Allow statements granting every action, or every action of a service on every resource. */
function broadStatements(document: PolicyDocument | undefined, base: FieldPath): Broad[] {
  const out: Broad[] = [];
  for (const [index, statement] of (document?.Statement ?? []).entries()) {
    if (statement.Effect !== 'Allow') continue;
    const path = [...base, 'Statement', index];
    const actions = listOf(statement.Action);
    const everyResource = listOf(statement.Resource).includes('*');
    if (actions.includes('*') || (statement.NotAction !== undefined && everyResource)) out.push({ messageId: 'allActions', path, action: actions.includes('*') ? '*' : 'NotAction' });
    else if (everyResource) {
      const wildcard = actions.find((a) => /^[\w-]+:\*$/.test(a));
      if (wildcard !== undefined) out.push({ messageId: 'serviceWildcard', path, action: wildcard });
      else {
        // Matched as IAM matches (case-insensitive, with wildcards): `iam:Pass*` grants iam:PassRole.
        const hop = actions.find((a) => ROLE_HOPS.some((action) => iamPatternMatches(a, action)));
        if (hop !== undefined) out.push({ messageId: 'roleHop', path, action: hop });
      }
    }
  }
  return out;
}

export default defineRule({
  id: 'no-overprivileged-workload-roles',
  meta: {
    area: 'identity',
    severity: 'high',
    docs: { description: 'Disallow administrator and wildcard permissions on workload IAM roles', controls: ['eks-bp:iam'] },
    evidence: ['aws'],
    messages: {
      adminPolicy: 'Workload role {{role}} ({{users}}) has the AWS managed policy {{policy}} attached: any pod that runs as it administers the AWS account.',
      allActions: 'Workload role {{role}} ({{users}}) allows every AWS action ({{action}}) in {{policy}}.',
      serviceWildcard: 'Workload role {{role}} ({{users}}) allows {{action}} on every resource in {{policy}}.',
      roleHop: 'Workload role {{role}} ({{users}}) allows {{action}} on every resource in {{policy}}: it can pass any role to an AWS service or assume any role that trusts the account, and so act with permissions beyond its own.',
    },
    rationale: 'A pod\'s AWS credentials are one container escape, SSRF or dependency compromise away from an attacker. A workload role with administrator access, Action "*", or "service:*" on "*" (s3:*, kms:*, secretsmanager:*, ...) turns that compromise of one pod into a compromise of the account or of every resource of a service; iam:PassRole or sts:AssumeRole on "*" lets it borrow the permissions of other roles.',
    remediation: 'Replace the broad grants with the actions and resource ARNs the application uses (IAM Access Analyzer can generate a policy from CloudTrail activity), name the roles iam:PassRole and sts:AssumeRole may reach, and detach AdministratorAccess, PowerUserAccess and IAMFullAccess from workload roles.',
  },
  defaultOptions: {},
  create: () => ({
    *'aws:iam:role'(target, inventory): Generator<Report<MessageId>> {
      const role = target.data;
      if (!isWorkloadRole(role, inventory)) return;
      const name = role.RoleName ?? role.Arn ?? '';
      const usersText = describeRoleUse(inventory, role.Arn);
      for (const [index, attached] of (role.AttachedManagedPolicies ?? []).entries()) {
        const awsName = awsManagedPolicyName(attached.PolicyArn);
        if (awsName !== undefined && ADMIN_POLICIES.has(awsName)) {
          yield { messageId: 'adminPolicy', path: ['AttachedManagedPolicies', index], data: { role: name, users: usersText, policy: awsName } };
          continue;
        }
        for (const broad of broadStatements(inventory.aws?.managedPolicyDocument(attached.PolicyArn), ['AttachedManagedPolicies', index])) {
          yield { messageId: broad.messageId, path: broad.path, data: { role: name, users: usersText, action: broad.action, policy: `managed policy ${attached.PolicyName ?? attached.PolicyArn ?? ''}` } };
        }
      }
      for (const [index, inline] of (role.RolePolicyList ?? []).entries()) {
        for (const broad of broadStatements(inline.PolicyDocument, ['RolePolicyList', index, 'PolicyDocument'])) {
          yield { messageId: broad.messageId, path: broad.path, data: { role: name, users: usersText, action: broad.action, policy: `inline policy ${inline.PolicyName ?? ''}` } };
        }
      }
    },
  }),
});
