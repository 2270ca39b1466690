import type { Report } from '../../core/finding.js';
import { defineRule } from '../define-rule.js';
import { awsManagedPolicyName } from '../shared/aws.js';

export type MessageId = 'extraPolicy' | 'inlinePolicy';

export interface Options {
  readonly allowedPolicies: readonly string[];
}

/** The AWS managed policies a node needs (RULES.md). */
const WORKER_POLICIES = new Set([
  'AmazonEKSWorkerNodePolicy', 'AmazonEKSWorkerNodeMinimalPolicy', 'AmazonEC2ContainerRegistryReadOnly', 'AmazonEC2ContainerRegistryPullOnly',
  'AmazonEKS_CNI_Policy', 'AmazonSSMManagedInstanceCore',
]);

export default defineRule({
  id: 'restrict-node-instance-role',
  meta: {
    area: 'identity',
    severity: 'medium',
    docs: { description: 'Restrict node IAM roles to the EKS worker policies', controls: ['eks-bp:iam'] },
    evidence: ['aws'],
    messages: {
      extraPolicy: 'Node role {{role}} has policy {{policy}} attached, beyond the EKS worker set: every pod that reaches the node\'s credentials gets it too.',
      inlinePolicy: 'Node role {{role}} has inline policy {{policy}}, beyond the EKS worker set: every pod that reaches the node\'s credentials gets it too.',
    },
    rationale: 'Every process on a node, and every pod that can reach IMDS, can use the node role. Permissions added to it for one application are granted to all of them. The node needs only the worker, registry-read, CNI (unless the CNI uses its own role) and SSM policies; applications should get theirs through IRSA or Pod Identity.',
    remediation: 'Detach the extra policies from the node role and give the applications that need them their own IRSA or Pod Identity role. List policies the nodes themselves need (a CloudWatch agent, say) in allowedPolicies.',
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        allowedPolicies: { type: 'array', items: { type: 'string' }, description: 'Further policies nodes may carry: policy ARNs, or names of AWS managed policies (e.g. CloudWatchAgentServerPolicy).' },
      },
    },
  },
  defaultOptions: { allowedPolicies: [] } as Options,
  create({ allowedPolicies }) {
    const allowed = new Set(allowedPolicies);
    return {
      *'aws:iam:role'(target, inventory): Generator<Report<MessageId>> {
        const role = target.data;
        if (role.Arn === undefined || inventory.aws?.nodeRoleArns().has(role.Arn) !== true) return;
        const name = role.RoleName ?? role.Arn;
        for (const [index, policy] of (role.AttachedManagedPolicies ?? []).entries()) {
          const awsName = awsManagedPolicyName(policy.PolicyArn);
          if ((awsName !== undefined && (WORKER_POLICIES.has(awsName) || allowed.has(awsName))) || allowed.has(policy.PolicyArn ?? '')) continue;
          yield { messageId: 'extraPolicy', path: ['AttachedManagedPolicies', index], data: { role: name, policy: awsName ?? policy.PolicyArn ?? policy.PolicyName ?? '' } };
        }
        for (const [index, policy] of (role.RolePolicyList ?? []).entries()) {
          if (allowed.has(policy.PolicyName ?? '')) continue;
          yield { messageId: 'inlinePolicy', path: ['RolePolicyList', index], data: { role: name, policy: policy.PolicyName ?? '' } };
        }
      },
    };
  },
});
