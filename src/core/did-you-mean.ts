/**
 * "Did you mean": the known name closest to what was typed, when it is close enough to be a typo.
 *
 * Written by hand: no installed direct dependency offers an edit distance (commander's own
 * suggestion code is not exported, and `fast-levenshtein` is only a transitive dependency), and
 * the function is twenty lines. The distance is Damerau–Levenshtein in its "optimal string
 * alignment" form: a swap of two neighbouring letters (`hihg`) costs one edit, as a typist expects.
 */

/** Edits (insert, delete, substitute, swap neighbours) that turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  const row0 = rows[0] ?? [];
  for (let j = 0; j <= b.length; j++) row0[j] = j;
  const at = (i: number, j: number): number => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] ?? [];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      row[j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The candidate nearest to `typed` (case ignored), or undefined when none is near: at most a third
 * of the longer name may differ (at least one edit), so `x` suggests nothing and `hihg` suggests `high`.
 */
export function closest(typed: string, candidates: Iterable<string>): string | undefined {
  const wanted = typed.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(wanted, name.toLowerCase());
    const limit = Math.max(1, Math.floor(Math.max(wanted.length, name.length) / 3));
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** `; did you mean \`high\`?` (with `quote`), or '' when nothing is near: for the end of an error line. */
export function didYouMean(typed: string, candidates: Iterable<string>, quote: (name: string) => string = (name) => name): string {
  const near = closest(typed, candidates);
  return near === undefined ? '' : `; did you mean ${quote(near)}?`;
}
