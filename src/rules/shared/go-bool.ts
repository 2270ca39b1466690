/**
 * Go's `strconv.ParseBool`, which the EFS CSI driver and the VPC CNI's network policy agent use: so
 * `"True"` and `"1"` mean true, and `"yes"` is an error rather than false. (The EBS CSI driver does
 * not: it compares `encrypted` with the exact string "true".)
 */
const TRUE: ReadonlySet<string> = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE: ReadonlySet<string> = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** true / false as Go parses the value; undefined when Go would reject it. A YAML boolean counts as itself. */
export function parseGoBool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return undefined;
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  return undefined;
}

/** The key of `record` equal to `name` ignoring case (the drivers lower-case parameter keys), if any. */
export function findKeyIgnoringCase(record: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.keys(record).find((key) => key.toLowerCase() === lower);
}
