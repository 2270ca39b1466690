import type { KubeObject } from './resource.js';

/**
 * `kubectl apply` keeps the whole applied manifest in this annotation, so on a Secret it holds
 * the Secret's data in clear: metadata alone is not safe to keep.
 */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/** Fields of a core Secret that hold, or can hold, its values. */
const SECRET_VALUE_FIELDS: ReadonlySet<string> = new Set(['data', 'stringData']);

export function isSecret(object: KubeObject): boolean {
  return object.kind === 'Secret' && object.apiVersion === 'v1';
}

/**
 * A Secret reduced to what eksguard may keep: its metadata (without the last-applied copy of the
 * manifest) and its `type`, `immutable`; never `data` or `stringData`. Any other object is
 * returned as it is.
 */
export function redactSecret(object: KubeObject): KubeObject {
  if (!isSecret(object)) return object;
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) if (!SECRET_VALUE_FIELDS.has(key)) kept[key] = value;
  const metadata = object.metadata;
  const annotations: unknown = metadata?.annotations;
  // Tolerant of malformed input: annotations that are not a map are dropped rather than trusted.
  if (metadata !== undefined && annotations !== undefined) {
    const isMap = annotations !== null && typeof annotations === 'object' && !Array.isArray(annotations);
    const rest = isMap ? Object.fromEntries(Object.entries(annotations).filter(([key]) => key !== LAST_APPLIED_ANNOTATION)) : {};
    kept.metadata = { ...metadata, annotations: rest };
  }
  return kept as unknown as KubeObject;
}
