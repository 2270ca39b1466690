/**
 * Kubernetes label selectors (`metav1.LabelSelector`) evaluated as the API machinery does:
 * `matchLabels` and `matchExpressions` are ANDed; an empty selector selects everything; a
 * malformed one (unknown operator, `In` without values) selects nothing, as the API would
 * reject it.
 */
import { isRecord } from './namespaces.js';

export type Labels = ReadonlyMap<string, string>;

/** Whether the selector is `{}` (or absent where the API decodes absence as `{}`): it selects everything. */
export function isEmptySelector(selector: unknown): boolean {
  if (selector === undefined || selector === null) return true;
  if (!isRecord(selector)) return false;
  const { matchLabels, matchExpressions } = selector;
  const noLabels = matchLabels === undefined || matchLabels === null || (isRecord(matchLabels) && Object.keys(matchLabels).length === 0);
  const noExpressions = matchExpressions === undefined || matchExpressions === null || (Array.isArray(matchExpressions) && matchExpressions.length === 0);
  return noLabels && noExpressions;
}

export interface Requirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values: readonly string[];
}

/** The selector as a list of requirements, or undefined when it is malformed. */
export function requirementsOf(selector: unknown): readonly Requirement[] | undefined {
  if (selector === undefined || selector === null) return [];
  if (!isRecord(selector)) return undefined;
  const requirements: Requirement[] = [];
  const { matchLabels, matchExpressions } = selector;
  if (matchLabels !== undefined && matchLabels !== null) {
    if (!isRecord(matchLabels)) return undefined;
    for (const [key, value] of Object.entries(matchLabels)) {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return undefined;
      requirements.push({ key, operator: 'In', values: [String(value)] });
    }
  }
  if (matchExpressions !== undefined && matchExpressions !== null) {
    if (!Array.isArray(matchExpressions)) return undefined;
    for (const raw of matchExpressions as unknown[]) {
      if (!isRecord(raw) || typeof raw.key !== 'string') return undefined;
      const values = Array.isArray(raw.values) ? (raw.values as unknown[]).map(String) : [];
      switch (raw.operator) {
        case 'In':
        case 'NotIn':
          if (values.length === 0) return undefined;
          requirements.push({ key: raw.key, operator: raw.operator, values });
          break;
        case 'Exists':
        case 'DoesNotExist':
          requirements.push({ key: raw.key, operator: raw.operator, values: [] });
          break;
        default:
          return undefined;
      }
    }
  }
  return requirements;
}

export function satisfies(requirement: Requirement, labels: Labels): boolean {
  const value = labels.get(requirement.key);
  switch (requirement.operator) {
    case 'In': return value !== undefined && requirement.values.includes(value);
    case 'NotIn': return value === undefined || !requirement.values.includes(value);
    case 'Exists': return value !== undefined;
    default: return value === undefined;
  }
}

/** Whether `selector` selects an object with `labels`. */
export function selectorMatches(selector: unknown, labels: Labels): boolean {
  const requirements = requirementsOf(selector);
  return requirements !== undefined && requirements.every((r) => satisfies(r, labels));
}
