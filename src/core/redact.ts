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

/** Lists nested deeper than this are stored without their items: no reader keeps them anyway. */
const MAX_REDACT_DEPTH = 32;

/**
 * A Secret reduced to what eksguard may keep: its metadata (without the last-applied copy of the
 * manifest) and its `type`, `immutable`; never `data` or `stringData`. A List (`List`,
 * `SecretList`, a List in a List) has its items reduced the same way, so a Secret is redacted
 * however it arrived. Any other object is returned as it is.
 */
export function redactSecret(object: KubeObject, depth = 0): KubeObject {
  if (typeof object.kind === 'string' && object.kind.endsWith('List') && Array.isArray(object.items)) return redactListItems(object, depth);
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

function redactListItems(list: KubeObject, depth: number): KubeObject {
  if (depth >= MAX_REDACT_DEPTH) return { ...list, items: [] };
  // Typed lists (SecretList) omit each item's kind; give it back so the item is recognised.
  const itemKind = list.kind === 'List' ? undefined : list.kind.slice(0, -'List'.length);
  const items = (list.items as unknown[]).map((item) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
    const record = item as Record<string, unknown>;
    const typed = itemKind !== undefined && !('kind' in record) ? { apiVersion: list.apiVersion, kind: itemKind, ...record } : record;
    if (typeof typed.kind !== 'string') return item;
    const redacted = redactSecret(typed as unknown as KubeObject, depth + 1);
    return redacted === typed ? item : redacted;
  });
  return { ...list, items };
}
