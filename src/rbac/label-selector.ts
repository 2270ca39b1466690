/**
 * Label selectors (`metav1.LabelSelector`) as `LabelSelectorAsSelector` evaluates them, for the
 * `clusterRoleSelectors` of aggregated ClusterRoles: `matchLabels` and `matchExpressions` are
 * ANDed, `{}` selects everything, and a malformed selector (unknown operator, `In` without values)
 * is an error, which makes the aggregation controller skip it: it selects nothing.
 */

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

type Requirement = (labels: Readonly<Record<string, string>>) => boolean;

function requirementsOf(selector: unknown): readonly Requirement[] | undefined {
  if (!isRecord(selector)) return undefined;
  const out: Requirement[] = [];
  const { matchLabels, matchExpressions } = selector;
  if (matchLabels !== undefined && matchLabels !== null) {
    if (!isRecord(matchLabels)) return undefined;
    for (const [key, value] of Object.entries(matchLabels)) {
      if (typeof value !== 'string') return undefined;
      out.push((labels) => labels[key] === value);
    }
  }
  if (matchExpressions !== undefined && matchExpressions !== null) {
    if (!Array.isArray(matchExpressions)) return undefined;
    for (const raw of matchExpressions as unknown[]) {
      if (!isRecord(raw) || typeof raw.key !== 'string') return undefined;
      const values = Array.isArray(raw.values) ? (raw.values as unknown[]) : [];
      if (!values.every((v): v is string => typeof v === 'string')) return undefined;
      const key = raw.key;
      const has = (labels: Readonly<Record<string, string>>) => Object.hasOwn(labels, key);
      switch (raw.operator) {
        case 'In':
          if (values.length === 0) return undefined;
          out.push((labels) => has(labels) && values.includes(labels[key] ?? ''));
          break;
        case 'NotIn':
          if (values.length === 0) return undefined;
          out.push((labels) => !has(labels) || !values.includes(labels[key] ?? ''));
          break;
        case 'Exists':
          if (values.length > 0) return undefined;
          out.push(has);
          break;
        case 'DoesNotExist':
          if (values.length > 0) return undefined;
          out.push((labels) => !has(labels));
          break;
        default:
          return undefined;
      }
    }
  }
  return out;
}

// Selectors are matched against every ClusterRole: parse each once.
const parsed = new WeakMap<object, readonly Requirement[] | null>();

/** Whether `selector` selects an object carrying `labels`. */
export function selectorMatches(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  let requirements: readonly Requirement[] | null | undefined;
  if (isRecord(selector)) {
    requirements = parsed.get(selector);
    if (requirements === undefined) {
      requirements = requirementsOf(selector) ?? null;
      parsed.set(selector, requirements);
    }
  }
  if (requirements === null || requirements === undefined) return false;
  return requirements.every((matches) => matches(labels));
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
