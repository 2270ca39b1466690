/**
 * A node's kubelet configuration as eksguard holds it: the `kubeletconfig` of the kubelet's
 * `/configz` endpoint (read through the API server's node proxy), as a cluster-scoped object named
 * after its node, so that snapshots, reports and exemptions treat it like any other object. Pure.
 */
import type { KubeObject } from './resource.js';

export const KUBELET_CONFIG_KIND = 'KubeletConfiguration';
/** The version `/configz` serialises: the kubelet converts its effective configuration to v1beta1. */
export const KUBELET_CONFIG_API_VERSION = 'kubelet.config.k8s.io/v1beta1';

const OURS: ReadonlySet<string> = new Set(['apiVersion', 'kind', 'metadata']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The object for one node from the body `/configz` answered (`{"kubeletconfig": {...}}`), or
 * undefined when the body is not that. apiVersion, kind and metadata are eksguard's: whatever the
 * body says in their place is not kept.
 */
export function kubeletConfigObject(node: string, body: unknown): KubeObject | undefined {
  if (!isRecord(body) || !isRecord(body.kubeletconfig)) return undefined;
  const config = Object.fromEntries(Object.entries(body.kubeletconfig).filter(([key]) => !OURS.has(key)));
  return { apiVersion: KUBELET_CONFIG_API_VERSION, kind: KUBELET_CONFIG_KIND, metadata: { name: node }, ...config };
}
