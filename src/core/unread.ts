/**
 * What a scan could not read, gathered from the gaps that say so (`Gap.unread`) and from a
 * snapshot written for fewer rules, and the "not evaluated" reason of a rule that needs some of
 * it. Judging a rule on evidence that is missing would pass it on nothing. Pure.
 */
import type { Gap, Unread } from './resource.js';

/** The kinds a rule reads, or every kind (a rule keyed by `object`). */
export type KindsRead = ReadonlySet<string> | 'all';

interface KindEntry {
  /** Namespaces whose objects of the kind were not read; undefined when none of them were. */
  namespaces: Set<string> | undefined;
  causes: Set<string>;
}

function isStringList(value: unknown): value is readonly string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** `NetworkPolicy` → `NetworkPolicies`, `Ingress` → `Ingresses`, for reasons that name what was not read. */
export function pluralKind(kind: string): string {
  if (/[^aeiou]y$/.test(kind)) return `${kind.slice(0, -1)}ies`;
  if (/(s|x|ch|sh)$/.test(kind)) return `${kind}es`;
  return `${kind}s`;
}

/** `a`, `a and b`, `a, b and c`. */
function listOf(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}

export class UnreadIndex {
  private readonly kinds = new Map<string, KindEntry>();
  private readonly calls = new Map<string, Set<string>>();

  /**
   * `entries` may come from a hand-edited snapshot: anything not of the expected shape is skipped,
   * so a malformed entry can only leave a rule evaluated, never crash the scan.
   */
  constructor(entries: Iterable<Unread>) {
    for (const entry of entries) {
      const cause = typeof entry.cause === 'string' && entry.cause !== '' ? entry.cause : 'not read';
      const namespace = typeof entry.namespace === 'string' ? entry.namespace : undefined;
      for (const kind of isStringList(entry.kinds) ? entry.kinds : []) {
        let found = this.kinds.get(kind);
        if (found === undefined) {
          found = { namespaces: new Set(), causes: new Set() };
          this.kinds.set(kind, found);
        }
        if (namespace === undefined) found.namespaces = undefined;
        else found.namespaces?.add(namespace);
        found.causes.add(cause);
      }
      for (const call of isStringList(entry.awsCalls) ? entry.awsCalls : []) {
        const causes = this.calls.get(call) ?? new Set<string>();
        causes.add(cause);
        this.calls.set(call, causes);
      }
    }
  }

  static of(gaps: readonly Gap[], more: readonly Unread[] = []): UnreadIndex {
    const entries: Unread[] = [];
    for (const gap of gaps) if (gap.unread !== null && typeof gap.unread === 'object') entries.push(gap.unread);
    return new UnreadIndex([...entries, ...more]);
  }

  get empty(): boolean {
    return this.kinds.size === 0 && this.calls.size === 0;
  }

  /**
   * Why a rule reading any one of these kinds cannot be judged: only when none of them was read
   * at all (the pod-spec kinds, see `evidenceOfRule`), else undefined.
   */
  reasonIfNoneRead(kinds: readonly string[]): string | undefined {
    if (kinds.length === 0 || kinds.some((kind) => !this.kinds.has(kind))) return undefined;
    return this.reason(new Set(kinds));
  }

  /**
   * Why a rule that reads these kinds and AWS calls cannot be judged, or undefined when all of
   * it was read: `ClusterRoleBindings could not be read (403 Forbidden)`.
   */
  reason(kinds: KindsRead, awsCalls: Iterable<string> = []): string | undefined {
    if (this.empty) return undefined;
    // What was not read, grouped by cause, in the order met: one phrase per cause.
    const byCause = new Map<string, string[]>();
    const add = (cause: string, what: string) => byCause.set(cause, [...(byCause.get(cause) ?? []), what]);
    const wanted = kinds === 'all' ? [...this.kinds.keys()].sort() : [...kinds].filter((k) => this.kinds.has(k)).sort();
    for (const kind of wanted) {
      const entry = this.kinds.get(kind);
      if (entry === undefined) continue;
      const where = entry.namespaces === undefined ? '' : ` in namespace${entry.namespaces.size === 1 ? '' : 's'} ${[...entry.namespaces].sort().join(', ')}`;
      add([...entry.causes].join(', '), `${pluralKind(kind)}${where}`);
    }
    for (const call of new Set(awsCalls)) {
      const causes = this.calls.get(call);
      if (causes !== undefined) add([...causes].join(', '), `${call} output`);
    }
    if (byCause.size === 0) return undefined;
    return [...byCause].map(([cause, what]) => `${listOf(what)} could not be read (${cause})`).join('; ');
  }
}
