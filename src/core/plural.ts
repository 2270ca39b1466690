/** `1 rule`, `2 rules`, `0 rules`: a count and its noun, for every summary line. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
