import { readFileSync } from 'node:fs';

/** What `eksguard rules ID` shows from a rule's doc page besides its metadata. */
export interface RuleDocExtract {
  /** The first YAML block after "Examples of **incorrect**". */
  readonly incorrect?: string;
  /** The first YAML block after "Examples of **correct**". */
  readonly correct?: string;
  /** The lines of the `## References` section. */
  readonly references: readonly string[];
}

const FENCE = /^(`{3,}|~{3,})\s*(\w*)\s*$/;

/** The first fenced code block that starts after line `from`, or undefined. */
function firstBlockAfter(lines: readonly string[], from: number): string | undefined {
  for (let i = from + 1; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] ?? '');
    if (!open) continue;
    const marker = open[1] ?? '```';
    const body: string[] = [];
    for (let j = i + 1; j < lines.length; j++) {
      const line = lines[j] ?? '';
      // CommonMark: the closing fence uses the same character, at least as many times, and nothing else.
      const close = line.trim();
      if (close.length >= marker.length && close === (marker[0] ?? '`').repeat(close.length)) return body.join('\n');
      body.push(line);
    }
    return undefined; // an unclosed fence: show nothing rather than the rest of the page
  }
  return undefined;
}

function section(lines: readonly string[], heading: string): string[] {
  const start = lines.findIndex((l) => l.trim() === heading);
  if (start === -1) return [];
  const out: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^#{1,2}\s/.test(line)) break;
    out.push(line);
  }
  while (out.length > 0 && (out[0] ?? '').trim() === '') out.shift();
  while (out.length > 0 && (out[out.length - 1] ?? '').trim() === '') out.pop();
  return out;
}

/** Pulls the examples and references out of a `docs/rules/<id>.md` page (the layout the meta test enforces). */
export function parseRuleDoc(markdown: string): RuleDocExtract {
  const lines = markdown.split(/\r?\n/);
  const after = (marker: string): string | undefined => {
    const at = lines.findIndex((l) => l.includes(marker));
    return at === -1 ? undefined : firstBlockAfter(lines, at);
  };
  const incorrect = after('Examples of **incorrect**');
  const correct = after('Examples of **correct**');
  return {
    ...(incorrect !== undefined ? { incorrect } : {}),
    ...(correct !== undefined ? { correct } : {}),
    references: section(lines, '## References'),
  };
}

/**
 * `docs/` ships in the package beside `dist/` (package.json `files`); this module is
 * `src/cli/rule-docs.ts` or `dist/cli/rule-docs.js`, two levels below the package root either way.
 */
export function ruleDocUrl(id: string): URL {
  return new URL(`../../docs/rules/${encodeURIComponent(id)}.md`, import.meta.url);
}

/** The rule's doc page, parsed; undefined when the page is not there (a trimmed install). */
export function readRuleDoc(id: string): RuleDocExtract | undefined {
  let text: string;
  try {
    text = readFileSync(ruleDocUrl(id), 'utf8');
  } catch {
    return undefined;
  }
  return parseRuleDoc(text);
}
