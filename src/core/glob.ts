const globCache = new Map<string, RegExp>();

/** `*` matches any run of characters; everything else is literal. Compiled once per pattern. */
export function globMatches(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  let regex = globCache.get(pattern);
  if (regex === undefined) {
    regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    globCache.set(pattern, regex);
  }
  return regex.test(value);
}
