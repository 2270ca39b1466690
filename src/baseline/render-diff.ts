/**
 * `eksguard diff` reports: new, fixed and unchanged findings between two `-o json` reports, as a
 * table for the terminal, Markdown sized for a pull-request comment, or JSON. Pure.
 */
import { createColors } from 'picocolors';
import { severityRank, type Finding, type Severity } from '../core/finding.js';
import { formatRef } from '../core/resource.js';
import { findingJson } from '../report/json.js';
import { escapeMarkdown } from '../report/markdown-text.js';
import type { Comparison } from './compare.js';
import { SCHEMA_VERSIONS } from '../schemas/versions.js';

export interface DiffFiles {
  readonly old: string;
  readonly new: string;
}

/** Rows per Markdown table, and characters per message: a PR comment holds at most 65,536 characters. */
const MARKDOWN_MAX_ROWS = 40;
const MARKDOWN_MAX_MESSAGE = 240;

function where(f: Finding): string {
  if (f.location) return `${f.location.file}:${f.location.line}`;
  return f.origin ?? '';
}

function worstFirst(list: readonly Finding[]): Finding[] {
  return [...list].sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
}

export function renderDiffJson(c: Comparison, files: DiffFiles, version: string): string {
  return `${JSON.stringify({
    schemaVersion: SCHEMA_VERSIONS.diff,
    tool: { name: 'eksguard', version },
    files,
    summary: { new: c.new.length, fixed: c.fixed.length, unchanged: c.unchanged.length },
    new: c.new.map(findingJson),
    fixed: c.fixed.map(findingJson),
    unchanged: c.unchanged.map(findingJson),
  }, null, 2)}\n`;
}

export function renderDiffTable(c: Comparison, files: DiffFiles, color: boolean): string {
  const col = createColors(color);
  const paint: Readonly<Record<Severity, (s: string) => string>> = { critical: (s) => col.bold(col.magenta(s)), high: col.red, medium: col.yellow, low: col.cyan, info: col.dim };
  const out: string[] = [];
  const section = (title: string, list: readonly Finding[], mark: string) => {
    if (list.length === 0) return;
    out.push(col.bold(`${title} (${list.length}):`));
    for (const f of worstFirst(list)) {
      out.push(`  ${mark} ${paint[f.severity](f.severity.padEnd(8))}  ${formatRef(f.resource)}  ${f.message} ${col.dim(f.ruleId)}`);
      const at = where(f);
      if (at !== '') out.push(col.dim(`             ${at}`));
    }
    out.push('');
  };
  section('New', c.new, '+');
  section('Fixed', c.fixed, '-');
  out.push(`${c.new.length} new, ${c.fixed.length} fixed, ${c.unchanged.length} unchanged · ${files.old} → ${files.new}`);
  return `${out.join('\n')}\n`;
}

function shorten(text: string): string {
  return text.length <= MARKDOWN_MAX_MESSAGE ? text : `${text.slice(0, MARKDOWN_MAX_MESSAGE - 1)}…`;
}

export function renderDiffMarkdown(c: Comparison, version: string): string {
  const out: string[] = [`### eksguard: ${c.new.length} new, ${c.fixed.length} fixed`, ''];
  const table = (title: string, list: readonly Finding[]) => {
    if (list.length === 0) return;
    out.push(`**${title} (${list.length})**`, '', '| Severity | Rule | Resource | Location | Message |', '|---|---|---|---|---|');
    const sorted = worstFirst(list);
    for (const f of sorted.slice(0, MARKDOWN_MAX_ROWS)) {
      out.push(`| ${f.severity} | ${escapeMarkdown(f.ruleId)} | ${escapeMarkdown(formatRef(f.resource))} | ${escapeMarkdown(where(f))} | ${escapeMarkdown(shorten(f.message))} |`);
    }
    if (sorted.length > MARKDOWN_MAX_ROWS) out.push('', `… and ${sorted.length - MARKDOWN_MAX_ROWS} more (\`eksguard diff -o json\` lists them all).`);
    out.push('');
  };
  table('New', c.new);
  table('Fixed', c.fixed);
  if (c.new.length === 0 && c.fixed.length === 0) out.push('No change in findings.', '');
  out.push(`${c.unchanged.length} unchanged finding${c.unchanged.length === 1 ? '' : 's'}.`, '', `<sub>eksguard ${escapeMarkdown(version)}</sub>`);
  return `${out.join('\n')}\n`;
}
