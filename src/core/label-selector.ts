/**
 * Kubernetes label selectors (`metav1.LabelSelector`) as `LabelSelectorAsSelector` evaluates them,
 * for every reader of selectors (aggregated ClusterRoles, NetworkPolicies, Cilium policies):
 * `matchLabels` and `matchExpressions` are ANDed; `{}` selects everything; no selector at all
 * (`null`) selects nothing; a malformed one (an unknown operator, `In` without values, `Exists`
 * with values, a value that is not a string) selects nothing, as the API server would have
 * rejected it. Where a field's absence decodes to `{}` (a NetworkPolicy's required `podSelector`),
 * the caller passes `selector ?? {}`.
 *
 * Written here rather than taken from @kubernetes/client-node, which models the selector type but
 * does not evaluate it.
 */

/** Labels as a map: what policy analysis builds (namespace labels, Calico and Cilium contexts). */
export type LabelMap = ReadonlyMap<string, string>;
/** An object's labels: a map, or a plain record (`labelsOf`). */
export type Labels = LabelMap | Readonly<Record<string, string>>;

export type Operator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  /** The values of `In` / `NotIn`; empty for `Exists` / `DoesNotExist`. */
  readonly values: readonly string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function valueOf(labels: Labels, key: string): string | undefined {
  if (labels instanceof Map) return labels.get(key);
  const record = labels as Readonly<Record<string, string>>;
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function parse(selector: unknown): readonly Requirement[] | undefined {
  if (!isRecord(selector)) return undefined;
  const requirements: Requirement[] = [];
  const { matchLabels, matchExpressions } = selector;
  if (matchLabels !== undefined && matchLabels !== null) {
    if (!isRecord(matchLabels)) return undefined;
    for (const [key, value] of Object.entries(matchLabels)) {
      if (typeof value !== 'string') return undefined;
      requirements.push({ key, operator: 'In', values: [value] });
    }
  }
  if (matchExpressions !== undefined && matchExpressions !== null) {
    if (!Array.isArray(matchExpressions)) return undefined;
    for (const raw of matchExpressions as unknown[]) {
      if (!isRecord(raw) || typeof raw.key !== 'string') return undefined;
      if (raw.values !== undefined && raw.values !== null && !Array.isArray(raw.values)) return undefined;
      const values: unknown[] = Array.isArray(raw.values) ? (raw.values as unknown[]) : [];
      if (!values.every((v): v is string => typeof v === 'string')) return undefined;
      switch (raw.operator) {
        case 'In':
        case 'NotIn':
          if (values.length === 0) return undefined;
          requirements.push({ key: raw.key, operator: raw.operator, values });
          break;
        case 'Exists':
        case 'DoesNotExist':
          if (values.length > 0) return undefined;
          requirements.push({ key: raw.key, operator: raw.operator, values: [] });
          break;
        default:
          return undefined;
      }
    }
  }
  return requirements;
}

// The same selector object is matched against many objects (every ClusterRole, every pod): parse it once.
const parsed = new WeakMap<object, readonly Requirement[] | null>();

/** The selector as requirements, or undefined when it selects nothing (null, or malformed). */
export function requirementsOf(selector: unknown): readonly Requirement[] | undefined {
  if (!isRecord(selector)) return undefined;
  let requirements = parsed.get(selector);
  if (requirements === undefined) {
    requirements = parse(selector) ?? null;
    parsed.set(selector, requirements);
  }
  return requirements ?? undefined;
}

/** Whether the selector is `{}` (or absent, where the API decodes absence as `{}`): it selects everything. */
export function isEmptySelector(selector: unknown): boolean {
  if (selector === undefined || selector === null) return true;
  if (!isRecord(selector)) return false;
  const { matchLabels, matchExpressions } = selector;
  const noLabels = matchLabels === undefined || matchLabels === null || (isRecord(matchLabels) && Object.keys(matchLabels).length === 0);
  const noExpressions = matchExpressions === undefined || matchExpressions === null || (Array.isArray(matchExpressions) && matchExpressions.length === 0);
  return noLabels && noExpressions;
}

export function satisfies(requirement: Requirement, labels: Labels): boolean {
  const value = valueOf(labels, requirement.key);
  switch (requirement.operator) {
    case 'In': return value !== undefined && requirement.values.includes(value);
    case 'NotIn': return value === undefined || !requirement.values.includes(value);
    case 'Exists': return value !== undefined;
    default: return value === undefined;
  }
}

/** Whether `selector` selects an object carrying `labels`. */
export function selectorMatches(selector: unknown, labels: Labels): boolean {
  const requirements = requirementsOf(selector);
  return requirements !== undefined && requirements.every((r) => satisfies(r, labels));
}

/** An object's labels, keeping only string values (the API accepts nothing else). */
export function labelsOf(object: Readonly<Record<string, unknown>>): Readonly<Record<string, string>> {
  const metadata = object.metadata;
  const labels = isRecord(metadata) ? metadata.labels : undefined;
  if (!isRecord(labels)) return {};
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels)) if (typeof value === 'string') out[key] = value;
  return out;
}
