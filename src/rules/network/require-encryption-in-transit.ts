import type { AwsInventory } from '../../core/aws/aws-inventory.js';
import { nodegroupOfInstance } from '../../core/aws/aws-inventory.js';
import { nodegroupInstanceTypes } from '../../core/aws/node-images.js';
import type { Report } from '../../core/finding.js';
import type { Inventory } from '../../core/inventory.js';
import { apiGroupOf } from '../../core/workload.js';
import { defineRule } from '../define-rule.js';
import { allOf, needsAwsCalls } from '../shared/aws.js';
import { isRecord } from '../shared/namespaces.js';

export interface Options {
  readonly istioRootNamespace: string;
}

export type MessageId = 'noEncryptionInTransit';

/** What the rule looked for on the Kubernetes side, named in findings. */
const MESH_SEARCHED = 'no PeerAuthentication without a selector in the Istio root namespace with mtls.mode STRICT, no App Mesh virtual nodes all listening with TLS STRICT, no Linkerd control plane';

/** The instance types of `types` that do not encrypt traffic between instances (or that the evidence does not describe). */
function unencryptedTypes(aws: AwsInventory, types: readonly string[]): string[] {
  return types.filter((type) => aws.evidence.instanceTypes.find((t) => t.data.InstanceType === type)?.data.NetworkInfo?.EncryptionInTransitSupported !== true);
}

/** A service mesh that enforces mTLS for the whole cluster, named; undefined when the input shows none. */
export function meshEnforcingMtls(inventory: Inventory, istioRootNamespace: string): string | undefined {
  const strict = inventory.ofKind('PeerAuthentication').find((p) => {
    if (apiGroupOf(p.object.apiVersion) !== 'security.istio.io' || p.ref.namespace !== istioRootNamespace || !isRecord(p.object.spec)) return false;
    const selector = p.object.spec.selector;
    const meshWide = selector === undefined || selector === null || (isRecord(selector) && (!isRecord(selector.matchLabels) || Object.keys(selector.matchLabels).length === 0));
    return meshWide && isRecord(p.object.spec.mtls) && p.object.spec.mtls.mode === 'STRICT';
  });
  if (strict !== undefined) return `Istio PeerAuthentication ${istioRootNamespace}/${strict.ref.name} (mtls STRICT)`;
  const nodes = inventory.ofKind('VirtualNode').filter((n) => apiGroupOf(n.object.apiVersion) === 'appmesh.k8s.aws');
  const listeners = (node: typeof nodes[number]) => (isRecord(node.object.spec) && Array.isArray(node.object.spec.listeners) ? (node.object.spec.listeners as unknown[]) : []);
  if (nodes.length > 0 && nodes.every((n) => listeners(n).length > 0 && listeners(n).every((l) => isRecord(l) && isRecord(l.tls) && l.tls.mode === 'STRICT'))) {
    return `App Mesh: all ${nodes.length} virtual nodes listen with TLS STRICT`;
  }
  const linkerd = inventory.ofKind('Deployment').find((d) => d.ref.name === 'linkerd-identity' && apiGroupOf(d.object.apiVersion) === 'apps');
  if (linkerd !== undefined) return `Linkerd control plane (Deployment ${linkerd.ref.namespace ?? 'default'}/linkerd-identity)`;
  return undefined;
}

/** Node groups and self-managed nodes whose types do not encrypt, as `name: types`. */
function unencryptedNodes(aws: AwsInventory): string[] {
  const out: string[] = [];
  for (const n of aws.nodegroupsOf(undefined)) {
    const types = unencryptedTypes(aws, nodegroupInstanceTypes(aws.evidence, n));
    if (types.length > 0) out.push(`${n.nodegroupName ?? ''}: ${types.join(', ')}`);
  }
  for (const { data } of aws.evidence.ec2.instances) {
    if (nodegroupOfInstance(data) !== undefined || data.InstanceType === undefined) continue;
    if (unencryptedTypes(aws, [String(data.InstanceType)]).length > 0) out.push(`${data.InstanceId ?? ''}: ${String(data.InstanceType)}`);
  }
  return out;
}

/** The mesh side can only be judged with Kubernetes objects: without them, nodes that do not encrypt leave the answer open. */
function needsMeshEvidence(inventory: Inventory): string | undefined {
  const aws = inventory.aws;
  if (aws === undefined || inventory.evidence.has('manifests') || inventory.evidence.has('cluster')) return undefined;
  const nodes = unencryptedNodes(aws);
  return nodes.length === 0 ? undefined
    : `needs manifests or cluster evidence (service mesh objects) to judge nodes whose instance types do not encrypt in transit (${nodes.join('; ')})`;
}

export default defineRule({
  id: 'require-encryption-in-transit',
  meta: {
    area: 'network',
    severity: 'medium',
    docs: { description: 'Require pod-to-pod traffic to be encrypted: node instance types that encrypt between instances, or cluster-wide mesh mTLS', controls: ['eks-bp:data-encryption'] },
    evidence: ['aws'],
    reads: ['PeerAuthentication', 'VirtualNode', 'Deployment'],
    messages: {
      noEncryptionInTransit: '{{what}} runs on {{types}}, which do not encrypt traffic between instances (EC2 NetworkInfo.EncryptionInTransitSupported is not true), and no service mesh enforces mTLS for the whole cluster ({{searched}}): pod-to-pod traffic crosses the VPC in clear.',
    },
    rationale: 'Pods talk to each other across nodes over the VPC. Nitro instance types of the current generations encrypt that traffic between instances in hardware, with no configuration; other types send it in clear, and then only a mesh that enforces mutual TLS for every workload (Istio PeerAuthentication STRICT in the root namespace, App Mesh with TLS STRICT, Linkerd) keeps it confidential. The guide lists both as ways to encrypt traffic in transit.',
    remediation: 'Move the node groups to instance types whose NetworkInfo.EncryptionInTransitSupported is true (most current Nitro families: m6i, c6i, r6i, m7g, ...; aws ec2 describe-instance-types --filters Name=network-info.encryption-in-transit-supported,Values=true), or enforce mTLS cluster-wide with a mesh: a PeerAuthentication with mtls.mode STRICT and no selector in istio-system.',
    schema: {
      type: 'object', additionalProperties: false,
      properties: {
        istioRootNamespace: { type: 'string', minLength: 1, description: 'Istio\'s root namespace, where a PeerAuthentication without a selector applies to the whole mesh.' },
      },
    },
  },
  defaultOptions: { istioRootNamespace: 'istio-system' },
  notEvaluated: allOf(needsAwsCalls('ec2:DescribeInstanceTypes'), needsMeshEvidence),
  create: ({ istioRootNamespace }) => ({
    *'aws:eks:nodegroup'(target, inventory): Generator<Report<MessageId>> {
      const aws = inventory.aws;
      if (aws === undefined) return;
      const types = unencryptedTypes(aws, nodegroupInstanceTypes(aws.evidence, target.data));
      if (types.length === 0 || meshEnforcingMtls(inventory, istioRootNamespace) !== undefined) return;
      yield { messageId: 'noEncryptionInTransit', path: ['instanceTypes'], data: { what: `Node group ${target.data.nodegroupName ?? ''}`, types: types.join(', '), searched: MESH_SEARCHED } };
    },
    *'aws:ec2:instance'(target, inventory): Generator<Report<MessageId>> {
      const aws = inventory.aws;
      const type = target.data.InstanceType;
      // Managed nodes are judged with their node group.
      if (aws === undefined || type === undefined || nodegroupOfInstance(target.data) !== undefined) return;
      if (unencryptedTypes(aws, [String(type)]).length === 0 || meshEnforcingMtls(inventory, istioRootNamespace) !== undefined) return;
      yield { messageId: 'noEncryptionInTransit', path: ['InstanceType'], data: { what: `Self-managed node ${target.data.InstanceId ?? ''}`, types: String(type), searched: MESH_SEARCHED } };
    },
  }),
});
