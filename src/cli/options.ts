/** Option parsers the commands share. Light: only commander's types, so registering commands stays fast. */

/** Repeatable list options: `--rule a --rule b` and `--rule a,b` both work. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').map((v) => v.trim()).filter((v) => v !== '')];
}

/** Repeatable options whose values may hold commas (`-o json=a,b.json`). */
export function repeat(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
