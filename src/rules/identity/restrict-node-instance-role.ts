import { listOf, type PolicyDocument } from '../../core/aws/policy.js';
import type { Report } from '../../core/finding.js';
import { defineRule } from '../define-rule.js';
import { awsManagedPolicyName } from '../shared/aws.js';

export type MessageId = 'extraPolicy' | 'inlinePolicy' | 'broadSsmPolicy';

export interface Options {
  readonly allowedPolicies: readonly string[];
}

/** The AWS managed policies a node needs (RULES.md). */
const WORKER_POLICIES = new Set([
  'AmazonEKSWorkerNodePolicy', 'AmazonEKSWorkerNodeMinimalPolicy', 'AmazonEC2ContainerRegistryReadOnly', 'AmazonEC2ContainerRegistryPullOnly',
  'AmazonEKS_CNI_Policy',
]);

/**
 * What the SSM agent needs for Session Manager (the AWS Systems Manager guide's minimal instance
 * policy, which the EKS guide points to): AmazonSSMManagedInstanceCore grants far more
 * (ssm:GetParameter(s), ssm:ListAssociations, ... on "*") to every pod that reaches the node's credentials.
 */
const MINIMAL_SSM_ACTIONS = new Set([
  'ssm:updateinstanceinformation', 'ssmmessages:createcontrolchannel', 'ssmmessages:createdatachannel',
  'ssmmessages:opencontrolchannel', 'ssmmessages:opendatachannel', 's3:getencryptionconfiguration',
]);
const SSM_CORE = 'AmazonSSMManagedInstanceCore';
const MINIMAL_SSM_TEXT = 'ssm:UpdateInstanceInformation, ssmmessages:CreateControlChannel, ssmmessages:CreateDataChannel, ssmmessages:OpenControlChannel, ssmmessages:OpenDataChannel, s3:GetEncryptionConfiguration on "*"';

/** Whether a policy grants nothing but the minimal SSM actions (named one by one, as IAM compares them: case-insensitively). */
function isMinimalSsmPolicy(document: PolicyDocument | undefined): boolean {
  const statements = document?.Statement ?? [];
  return statements.length > 0 && statements.every((s) => s.Effect !== 'Allow'
    || (s.NotAction === undefined && listOf(s.Action).length > 0 && listOf(s.Action).every((a) => MINIMAL_SSM_ACTIONS.has(a.toLowerCase()))));
}

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
      broadSsmPolicy: 'Node role {{role}} has AmazonSSMManagedInstanceCore attached, which grants more than Session Manager needs (ssm:GetParameter(s), associations, documents on every resource) to every pod that reaches the node\'s credentials: attach the minimal SSM policy instead ({{minimal}}).',
    },
    rationale: 'Every process on a node, and every pod that can reach IMDS, can use the node role. Permissions added to it for one application are granted to all of them. The node needs only the worker, registry-read, CNI (unless the CNI uses its own role) and, for Session Manager, the minimal SSM permissions; applications should get theirs through IRSA or Pod Identity.',
    remediation: 'Detach the extra policies from the node role and give the applications that need them their own IRSA or Pod Identity role. Replace AmazonSSMManagedInstanceCore with a policy granting only ssm:UpdateInstanceInformation, ssmmessages:CreateControlChannel, ssmmessages:CreateDataChannel, ssmmessages:OpenControlChannel, ssmmessages:OpenDataChannel and s3:GetEncryptionConfiguration. List policies the nodes themselves need (a CloudWatch agent, say) in allowedPolicies.',
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
          if (awsName === SSM_CORE) {
            yield { messageId: 'broadSsmPolicy', path: ['AttachedManagedPolicies', index], severity: 'low', data: { role: name, minimal: MINIMAL_SSM_TEXT } };
            continue;
          }
          if (awsName === undefined && isMinimalSsmPolicy(inventory.aws?.managedPolicyDocument(policy.PolicyArn))) continue;
          yield { messageId: 'extraPolicy', path: ['AttachedManagedPolicies', index], data: { role: name, policy: awsName ?? policy.PolicyArn ?? policy.PolicyName ?? '' } };
        }
        for (const [index, policy] of (role.RolePolicyList ?? []).entries()) {
          if (allowed.has(policy.PolicyName ?? '') || isMinimalSsmPolicy(policy.PolicyDocument)) continue;
          yield { messageId: 'inlinePolicy', path: ['RolePolicyList', index], data: { role: name, policy: policy.PolicyName ?? '' } };
        }
      },
    };
  },
});
