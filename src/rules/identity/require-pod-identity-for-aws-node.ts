import type { Report } from '../../core/finding.js';
import type { Inventory } from '../../core/inventory.js';
import { serviceAccountOf } from '../../core/workload.js';
import { defineRule } from '../define-rule.js';
import { IRSA_ANNOTATION } from '../shared/aws.js';
import { awsNodeDaemonSet } from '../shared/network-policy-engine.js';

export type MessageId = 'addonOnNodeRole' | 'serviceAccountOnNodeRole';

const CNI_ADDON = 'vpc-cni';

/**
 * The ServiceAccount the VPC CNI's pods run as, whose role they get: the one the kube-system/aws-node
 * DaemonSet names when the input holds it (the Helm chart lets it be renamed), else `aws-node`, which
 * the add-on and the chart use.
 */
function cniServiceAccount(inventory: Inventory): string {
  const awsNode = awsNodeDaemonSet(inventory.workloads);
  return awsNode === undefined ? 'aws-node' : serviceAccountOf(awsNode).name;
}

/** Whether the CNI's service account gets its own role: a Pod Identity association, or an IRSA annotation in the input. */
function cniHasOwnRole(inventory: Inventory, cluster: string | undefined): boolean {
  const name = cniServiceAccount(inventory);
  const associated = (inventory.aws?.evidence.eks.podIdentityAssociations ?? []).some((a) =>
    a.data.namespace === 'kube-system' && a.data.serviceAccount === name && (cluster === undefined || a.data.clusterName === undefined || a.data.clusterName === cluster));
  const annotated = inventory.ofKind('ServiceAccount').some((sa) =>
    sa.ref.namespace === 'kube-system' && sa.ref.name === name && (sa.object.metadata?.annotations?.[IRSA_ANNOTATION] ?? '').trim() !== '');
  return associated || annotated;
}

export default defineRule({
  id: 'require-pod-identity-for-aws-node',
  meta: {
    area: 'identity',
    severity: 'medium',
    docs: { description: 'Require the VPC CNI to use its own IAM role, through Pod Identity or IRSA', controls: ['eks-bp:iam'] },
    evidence: ['aws'],
    reads: ['workload'],
    messages: {
      addonOnNodeRole: 'The vpc-cni add-on of cluster {{cluster}} has no service account role and no Pod Identity association: aws-node uses the node role, which must then carry AmazonEKS_CNI_Policy for every pod on the node to use.',
      serviceAccountOnNodeRole: 'ServiceAccount kube-system/{{serviceAccount}}, which the VPC CNI runs as, has no IRSA annotation and no Pod Identity association: the VPC CNI uses the node role, which must then carry AmazonEKS_CNI_Policy for every pod on the node to use.',
    },
    rationale: 'The VPC CNI needs permissions to attach and detach network interfaces and IP addresses. Given through the node role, they are available to every pod that can reach the instance metadata service; given to the aws-node service account alone (Pod Identity from CNI 1.15.5, or IRSA), they stay with the CNI and AmazonEKS_CNI_Policy can leave the node role.',
    remediation: 'Create a role with AmazonEKS_CNI_Policy, associate it with kube-system/aws-node (aws eks create-pod-identity-association, or the add-on\'s podIdentityAssociations / serviceAccountRoleArn), then remove AmazonEKS_CNI_Policy from the node role.',
  },
  defaultOptions: {},
  create: () => ({
    *'aws:eks:addon'(target, inventory): Generator<Report<MessageId>> {
      const addon = target.data;
      if (addon.addonName !== CNI_ADDON) return;
      if ((addon.serviceAccountRoleArn ?? '') !== '' || (addon.podIdentityAssociations ?? []).length > 0 || cniHasOwnRole(inventory, addon.clusterName)) return;
      yield { messageId: 'addonOnNodeRole', path: ['serviceAccountRoleArn'], data: { cluster: addon.clusterName ?? '' } };
    },
    *ServiceAccount(target, inventory): Generator<Report<MessageId>> {
      // A self-managed CNI: judged from the service account, and only where Pod Identity associations were read.
      if (target.ref.namespace !== 'kube-system' || target.ref.name !== cniServiceAccount(inventory) || target.object.apiVersion !== 'v1') return;
      const aws = inventory.aws;
      if (aws === undefined || !aws.collected('eks:ListPodIdentityAssociations') || aws.addon(undefined, CNI_ADDON) !== undefined) return;
      if (cniHasOwnRole(inventory, undefined)) return;
      yield { messageId: 'serviceAccountOnNodeRole', path: ['metadata', 'annotations'], data: { serviceAccount: target.ref.name } };
    },
  }),
});
