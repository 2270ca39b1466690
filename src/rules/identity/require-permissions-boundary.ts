import type { Report } from '../../core/finding.js';
import { defineRule } from '../define-rule.js';
import { describeRoleUse, isWorkloadRole } from '../shared/aws.js';

export type MessageId = 'noBoundary' | 'otherBoundary';

export interface Options {
  readonly boundaries: readonly string[];
}

export default defineRule({
  id: 'require-permissions-boundary',
  meta: {
    area: 'identity',
    severity: 'low',
    docs: { description: 'Require a permissions boundary on workload IAM roles', controls: ['eks-bp:iam'] },
    evidence: ['aws'],
    messages: {
      noBoundary: 'Workload role {{role}} ({{users}}) has no permissions boundary: nothing caps what a policy attached to it later can grant.',
      otherBoundary: 'Workload role {{role}} ({{users}}) has permissions boundary {{boundary}}, not one of the approved boundaries.',
    },
    rationale: 'A permissions boundary caps what a role\'s policies can ever grant, whoever attaches them: teams that write their own IRSA or Pod Identity policies cannot give a pod more than the platform allows, and an attacker who can attach policies to the role cannot raise it past the boundary.',
    remediation: 'Set a permissions boundary on every workload role (aws iam put-role-permissions-boundary --role-name NAME --permissions-boundary ARN), a managed policy that allows at most what workloads may ever do, and require it when roles are created (an SCP or IAM condition on iam:PermissionsBoundary).',
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        boundaries: { type: 'array', items: { type: 'string' }, description: 'ARNs of the permissions boundary policies that count (default: any boundary).' },
      },
    },
    // Many accounts use no boundaries at all and scope each role instead: the rule means something only where boundaries are the policy.
    enabledByDefault: false,
  },
  defaultOptions: { boundaries: [] } as Options,
  create({ boundaries }) {
    const approved = new Set(boundaries);
    return {
      *'aws:iam:role'(target, inventory): Generator<Report<MessageId>> {
        const role = target.data;
        if (!isWorkloadRole(role, inventory)) return;
        const data = { role: role.RoleName ?? role.Arn ?? '', users: describeRoleUse(inventory, role.Arn) };
        const boundary = role.PermissionsBoundary?.PermissionsBoundaryArn;
        if (boundary === undefined || boundary === '') {
          yield { messageId: 'noBoundary', path: ['PermissionsBoundary'], data };
          return;
        }
        if (approved.size > 0 && !approved.has(boundary)) yield { messageId: 'otherBoundary', path: ['PermissionsBoundary', 'PermissionsBoundaryArn'], data: { ...data, boundary } };
      },
    };
  },
});
