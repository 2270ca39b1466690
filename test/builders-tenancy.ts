/** Fixture builders for the namespace-level rules: Namespaces, ResourceQuotas, LimitRanges. */

type Json = Record<string, unknown>;

export function namespace(name: string, labels?: Record<string, string>): Json {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(labels ? { labels } : {}) } };
}

export const PSS_RESTRICTED = {
  'pod-security.kubernetes.io/enforce': 'restricted',
  'pod-security.kubernetes.io/warn': 'restricted',
  'pod-security.kubernetes.io/audit': 'restricted',
} as const;

export function resourceQuota(namespace: string, hard: Json = { 'requests.cpu': '4', 'requests.memory': '8Gi', 'limits.memory': '8Gi', pods: '20' }, name = 'quota'): Json {
  return { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name, namespace }, spec: { hard } };
}

export function limitRange(namespace: string, limits: unknown[] = [{ type: 'Container', default: { memory: '256Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' } }], name = 'limits'): Json {
  return { apiVersion: 'v1', kind: 'LimitRange', metadata: { name, namespace }, spec: { limits } };
}
