/** What the aws-auth rules share: finding the parsed ConfigMap, and deciding whether the input can answer. */
import type { AwsAuth } from '../../core/aws-auth.js';
import { AWS_AUTH_NAMESPACE } from '../../core/aws-auth.js';
import { namespaceOf, type Inventory } from '../../core/inventory.js';
import type { KubeResource } from '../../core/resource.js';

/**
 * Whether EKS reads aws-auth at all: not when the AWS evidence shows every cluster authenticating
 * through access entries only (authenticationMode API). A ConfigMap left behind there grants
 * nothing, so judging its mappings would be noise. Without AWS evidence, assume it is read.
 */
export function awsAuthInUse(inventory: Inventory): boolean {
  const clusters = inventory.aws?.clusters ?? [];
  return clusters.length === 0 || clusters.some((c) => c.accessConfig?.authenticationMode !== 'API');
}

/** The decoded mappings of an `aws-auth` ConfigMap target; undefined for any other ConfigMap, and when EKS does not read aws-auth. */
export function awsAuthOf(resource: KubeResource, inventory: Inventory): AwsAuth | undefined {
  if (!awsAuthInUse(inventory)) return undefined;
  return inventory.awsAuth.find((parsed) => parsed.resource === resource);
}

/**
 * Judged when the input holds the aws-auth ConfigMap, or other ConfigMaps of kube-system (a dump
 * of a cluster that has none: nothing is mapped), or comes from a cluster read (which asks for
 * aws-auth by name, so its absence is real; a refused read is the engine's "not evaluated"), or
 * when EKS does not read aws-auth (access entries only: nothing can be mapped there). A chart or
 * a single manifest cannot answer.
 */
export function awsAuthNotEvaluated(inventory: Inventory): string | undefined {
  if (inventory.awsAuth.length > 0 || !awsAuthInUse(inventory) || inventory.evidence.has('cluster')) return undefined;
  const dumpOfKubeSystem = inventory.ofKind('ConfigMap').some((cm) => cm.object.apiVersion === 'v1' && namespaceOf(cm) === AWS_AUTH_NAMESPACE);
  return dumpOfKubeSystem ? undefined : 'no ConfigMap kube-system/aws-auth in the input (and no other kube-system ConfigMaps, as a cluster dump would hold)';
}

/** `"ops"` for messages, or `(none)`. */
export function quoted(value: string): string {
  return value === '' ? '(none)' : `"${value}"`;
}
