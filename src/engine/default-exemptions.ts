import type { Exclusion } from './config.js';

/**
 * Exemptions shipped for the add-ons AWS installs and maintains. Their pod specs need what the
 * rules forbid (host networking, privileged init containers, host paths), and users cannot change
 * them: EKS overwrites edits on the next add-on update. Matched by exact namespace, kind and name
 * (or the name of the owning controller), never by prefix, so a look-alike workload is still judged.
 * Listed in every report as exempted; `defaultExemptions: false` in eksguard.yaml turns them off.
 * docs/default-exemptions.md explains each entry.
 */

/** What a node agent needs from the node: host network and paths, root, extra capabilities. */
const NODE_AGENT_RULES = [
  'no-privileged-containers', 'no-privilege-escalation', 'require-run-as-non-root', 'no-root-group',
  'no-host-namespaces', 'restrict-host-path', 'restrict-volume-types', 'no-dangerous-capabilities',
  'require-drop-all-capabilities', 'require-seccomp-profile', 'no-host-ports', 'require-read-only-root-filesystem',
  'no-automounted-service-account-token', 'no-unconfined-apparmor', 'restrict-selinux-options',
  // The same pods seen being created in an audit log (eksguard audit analyze).
  'audit-privileged-pod-created', 'audit-host-path-pod-created',
];

/** What an add-on controller needs: the Kubernetes API, and images AWS builds to run as root. */
const ADDON_CONTROLLER_RULES = [
  'no-automounted-service-account-token', 'require-run-as-non-root', 'require-seccomp-profile',
  'require-read-only-root-filesystem', 'no-privilege-escalation', 'require-drop-all-capabilities',
];

function addon(namespace: string, kinds: string[], names: string[], rules: string[], what: string): Exclusion {
  return { reason: `EKS-managed add-on (${what}): AWS maintains this pod spec and overwrites changes on update`, rules, namespaces: [namespace], kinds, names, labels: {} };
}

const NODE_KINDS = ['DaemonSet', 'Pod'];

/**
 * Agents that ship without a ServiceAccount of their own (they do not call the Kubernetes API),
 * so their pods run as the namespace's default one, and users cannot change that.
 */
const NO_SERVICE_ACCOUNT_RULES = [...NODE_AGENT_RULES, 'no-default-service-account'];
const CONTROLLER_KINDS = ['Deployment', 'ReplicaSet', 'Pod'];

/** Namespace-level rules the add-on namespaces cannot satisfy without breaking the add-on. */
const ADDON_NAMESPACE_RULES = [
  'require-pod-security-labels', 'require-resource-quota', 'require-limit-range', 'require-default-deny-network-policy',
  'require-dns-egress-policy',
];

function addonNamespace(namespace: string, what: string): Exclusion {
  return {
    reason: `namespace created by an EKS add-on (${what}): its node agents need privileges that baseline labels would deny, and AWS manages what runs there`,
    rules: ADDON_NAMESPACE_RULES, namespaces: [namespace], kinds: ['Namespace'], names: [namespace], labels: {},
  };
}

export const DEFAULT_EXEMPTIONS: readonly Exclusion[] = [
  addonNamespace('amazon-guardduty', 'GuardDuty runtime monitoring'),
  addonNamespace('amazon-cloudwatch', 'CloudWatch Observability'),
  addonNamespace('amazon-network-flow-monitor', 'Network Flow Monitor'),
  addon('kube-system', NODE_KINDS, ['aws-node'], NODE_AGENT_RULES, 'Amazon VPC CNI'),
  addon('kube-system', NODE_KINDS, ['kube-proxy'], NODE_AGENT_RULES, 'kube-proxy'),
  addon('kube-system', NODE_KINDS, ['eks-pod-identity-agent'], NO_SERVICE_ACCOUNT_RULES, 'EKS Pod Identity Agent'),
  // Reads the node's logs and kernel state through a hostPath of `/`, which holds the runtime socket too.
  addon('kube-system', NODE_KINDS, ['eks-node-monitoring-agent'], [...NODE_AGENT_RULES, 'no-container-runtime-socket'], 'EKS node monitoring agent'),
  addon('kube-system', NODE_KINDS, ['dcgm-server'], NO_SERVICE_ACCOUNT_RULES, 'EKS node monitoring agent (NVIDIA DCGM)'),
  addon('kube-system', NODE_KINDS, ['ebs-csi-node', 'ebs-csi-node-windows'], NODE_AGENT_RULES, 'Amazon EBS CSI driver'),
  addon('kube-system', NODE_KINDS, ['efs-csi-node'], NODE_AGENT_RULES, 'Amazon EFS CSI driver'),
  addon('kube-system', NODE_KINDS, ['fsx-csi-node'], NODE_AGENT_RULES, 'Amazon FSx for Lustre CSI driver'),
  addon('kube-system', NODE_KINDS, ['s3-csi-node'], NODE_AGENT_RULES, 'Mountpoint for Amazon S3 CSI driver'),
  addon('amazon-network-flow-monitor', NODE_KINDS, ['aws-network-flow-monitor-agent'], NODE_AGENT_RULES, 'Network Flow Monitor agent'),
  addon('amazon-guardduty', NODE_KINDS, ['aws-guardduty-agent'], NODE_AGENT_RULES, 'GuardDuty runtime monitoring agent'),
  addon('amazon-cloudwatch', NODE_KINDS, ['cloudwatch-agent', 'fluent-bit', 'dcgm-exporter', 'neuron-monitor'], NODE_AGENT_RULES, 'CloudWatch Observability'),
  addon('kube-system', CONTROLLER_KINDS, ['coredns'], ADDON_CONTROLLER_RULES, 'CoreDNS'),
  // The EBS driver reads an optional `aws-secret` into its environment, for clusters without IRSA or Pod Identity.
  addon('kube-system', CONTROLLER_KINDS, ['ebs-csi-controller', 'efs-csi-controller', 'fsx-csi-controller'], [...ADDON_CONTROLLER_RULES, 'no-host-namespaces', 'no-secrets-in-env'], 'CSI driver controller'),
  addon('kube-system', CONTROLLER_KINDS, ['snapshot-controller', 'metrics-server'], ADDON_CONTROLLER_RULES, 'cluster add-on controller'),
  addon('amazon-cloudwatch', CONTROLLER_KINDS, ['amazon-cloudwatch-observability-controller-manager'], ADDON_CONTROLLER_RULES, 'CloudWatch Observability operator'),
];
