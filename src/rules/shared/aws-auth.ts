/** What the aws-auth rules share: finding the parsed ConfigMap, and deciding whether the input can answer. */
import type { AwsAuth } from '../../core/aws-auth.js';
import { AWS_AUTH_NAMESPACE } from '../../core/aws-auth.js';
import { namespaceOf, type Inventory } from '../../core/inventory.js';
import type { KubeResource } from '../../core/resource.js';

/** The decoded mappings of an `aws-auth` ConfigMap target; undefined for any other ConfigMap. */
export function awsAuthOf(resource: KubeResource, inventory: Inventory): AwsAuth | undefined {
  return inventory.awsAuth.find((parsed) => parsed.resource === resource);
}

/**
 * Judged when the input holds the aws-auth ConfigMap, or other ConfigMaps of kube-system (a dump
 * of a cluster that has none: nothing is mapped). A chart or a single manifest cannot answer.
 */
export function awsAuthNotEvaluated(inventory: Inventory): string | undefined {
  if (inventory.awsAuth.length > 0) return undefined;
  const dumpOfKubeSystem = inventory.ofKind('ConfigMap').some((cm) => cm.object.apiVersion === 'v1' && namespaceOf(cm) === AWS_AUTH_NAMESPACE);
  return dumpOfKubeSystem ? undefined : 'no ConfigMap kube-system/aws-auth in the input (and no other kube-system ConfigMaps, as a cluster dump would hold)';
}

/** `"ops"` for messages, or `(none)`. */
export function quoted(value: string): string {
  return value === '' ? '(none)' : `"${value}"`;
}
