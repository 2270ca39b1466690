/**
 * The list of gap codes in docs/json-output.md, written from GAP_CODES so the page cannot miss a
 * code the code emits. Pure: `scripts/machine-output.ts` writes the page, a test compares it.
 */
import { GAP_CODES } from '../core/resource.js';

export const GAP_CODES_BEGIN = '<!-- gap-codes: written by scripts/machine-output.ts from GAP_CODES (src/core/resource.ts); edit there -->';
export const GAP_CODES_END = '<!-- end of gap-codes -->';

export function gapCodesMarkdown(): string {
  return Object.entries(GAP_CODES).map(([code, meaning]) => `- \`${code}\`: ${meaning}.`).join('\n');
}

/** The page with its gap-code list replaced by the current one; throws when the markers are gone. */
export function withGapCodes(page: string): string {
  const begin = page.indexOf(GAP_CODES_BEGIN);
  const end = page.indexOf(GAP_CODES_END);
  if (begin < 0 || end < begin) throw new Error(`the page lacks the markers ${GAP_CODES_BEGIN} … ${GAP_CODES_END}`);
  return `${page.slice(0, begin)}${GAP_CODES_BEGIN}\n${gapCodesMarkdown()}\n${page.slice(end)}`;
}
