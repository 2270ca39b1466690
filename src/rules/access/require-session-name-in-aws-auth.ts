import type { Report } from '../../core/finding.js';
import { describeMappedIdentity, type RoleMapping } from '../../core/aws-auth.js';
import { defineRule } from '../define-rule.js';
import { awsAuthNotEvaluated, awsAuthOf, quoted } from '../shared/aws-auth.js';

export type MessageId = 'noSessionName';

/** The templates the authenticator fills with the role session name (`Raw` keeps `@` unescaped). */
const SESSION_NAME_TEMPLATES = ['{{SessionName}}', '{{SessionNameRaw}}'];

/** The groups EKS gives the node role mappings it writes (Linux, Windows, Fargate). */
const NODE_GROUPS: ReadonlySet<string> = new Set(['system:bootstrappers', 'system:nodes', 'system:node-proxier', 'eks:kube-proxy-windows']);

/**
 * Mappings that identify a machine, not a person: the node role mapping EKS, eksctl and Karpenter
 * write (`system:node:{{EC2PrivateDNSName}}` in the node groups, which is the node's own name),
 * and AWS service-linked roles (`AWSServiceRoleFor*`, e.g. EMR on EKS), whose sessions are the service's.
 */
function namesAMachine(mapping: RoleMapping): boolean {
  if (mapping.username === 'system:node:{{EC2PrivateDNSName}}') {
    return mapping.groups.includes('system:nodes') && mapping.groups.every((group) => NODE_GROUPS.has(group));
  }
  const roleName = mapping.rolearn?.slice(mapping.rolearn.lastIndexOf('/') + 1) ?? '';
  return roleName.startsWith('AWSServiceRoleFor');
}

export default defineRule({
  id: 'require-session-name-in-aws-auth',
  meta: {
    area: 'access',
    severity: 'low',
    docs: { description: 'Require the role session name in the Kubernetes username of aws-auth role mappings', controls: ['eks-bp:iam'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      noSessionName: 'aws-auth mapRoles entry {{index}} maps {{identity}} to username {{username}}, which does not include the role session name: every person who assumes the role appears as the same user in the API audit log.',
    },
    rationale: 'Many people assume the same IAM role. When the mapping gives them all one Kubernetes username, the API server audit log records that username and nothing else, so an action cannot be traced to the person who took it. The authenticator substitutes the role session name (usually the person\'s identity from SSO or the assume-role caller) for {{SessionName}} in the username.',
    remediation: 'Add {{SessionName}} to the username of the mapping (for example `admin:{{SessionName}}`), and make sure people assume the role with a session name that identifies them (IAM Identity Center does this itself). EKS access entries record the session name without configuration.',
  },
  defaultOptions: {},
  notEvaluated: awsAuthNotEvaluated,
  create: () => ({
    *ConfigMap(configMap, inventory): Generator<Report<MessageId>> {
      const awsAuth = awsAuthOf(configMap, inventory);
      if (awsAuth === undefined) return;
      for (const mapping of awsAuth.roles) {
        if (SESSION_NAME_TEMPLATES.some((template) => mapping.username.includes(template)) || namesAMachine(mapping)) continue;
        yield {
          messageId: 'noSessionName',
          path: ['data', 'mapRoles'],
          data: { index: mapping.index, identity: describeMappedIdentity(mapping), username: quoted(mapping.username) },
        };
      }
    },
  }),
});
