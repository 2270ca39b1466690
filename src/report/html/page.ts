/**
 * `-o html`: one self-contained page (no network: styles, script and SVG charts inline, no fonts
 * fetched), locked down by a Content-Security-Policy that allows only its own script and style by
 * hash. The findings travel gzipped in a `<script type="application/json">` element (base64, so no
 * text can close it), and the script builds the table from them with textContent. Everything else
 * is rendered here, escaped, and stays readable without the script (and in print). Pure.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { SEVERITIES } from '../../core/finding.js';
import { barChart, timelineChart, topBars, type Bar } from './charts.js';
import { CLIENT_SCRIPT } from './client.js';
import { escapeHtml, scriptJson } from './escape.js';
import type { HtmlFinding, HtmlPage } from './model.js';
import { STYLE } from './style.js';

/** Exempted findings listed per reason; the rest are counted (-o json lists each one). */
const MAX_EXEMPTED_PER_REASON = 50;
const TOP = 10;

function hash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

function tally(findings: readonly HtmlFinding[], key: (f: HtmlFinding) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(key(f), (counts.get(key(f)) ?? 0) + 1);
  return counts;
}

function charts(page: HtmlPage): string {
  const bySeverity: Bar[] = SEVERITIES.map((s) => ({ label: s, count: page.summary.bySeverity[s], tone: `sev-${s}` }));
  const list = [
    barChart(`${page.noun} by severity`, bySeverity),
    barChart(`${page.noun} by area`, topBars(tally(page.findings, (f) => f.area || '(none)'), TOP)),
    barChart(`${page.noun} by namespace (top ${TOP})`, topBars(tally(page.findings, (f) => f.namespace || '(no namespace)'), TOP)),
    barChart(`Top rules`, topBars(tally(page.findings, (f) => f.ruleId), TOP)),
  ];
  if (page.timeline) list.push(timelineChart(page.timeline));
  return `<section aria-labelledby="charts-h"><h2 id="charts-h">Overview</h2><div class="charts">${list.join('')}</div></section>`;
}

function header(page: HtmlPage): string {
  const s = page.summary;
  const counts = SEVERITIES.filter((sev) => s.bySeverity[sev] > 0).map((sev) => `<span class="t-${sev}" data-severity="${sev}">${s.bySeverity[sev]} ${sev}</span>`);
  const headline = s.findings === 0
    ? `<span class="count" data-testid="total">0</span> ${escapeHtml(page.noun)}`
    : `<span class="count" data-testid="total">${s.findings}</span> ${escapeHtml(page.noun)}: ${counts.join(', ')}`;
  const extras = [...(s.score !== undefined ? [`score ${s.score}/100`] : []), ...s.extras].map(escapeHtml);
  const facts = page.facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('');
  return `<header><h1>${escapeHtml(page.command)} report</h1><dl class="facts">${facts}</dl>`
    + `<p class="summary" data-testid="summary">${headline}${extras.length > 0 ? ` · ${extras.join(' · ')}` : ''}</p></header>`;
}

function select(id: string, label: string): string {
  return `<label>${escapeHtml(label)}<select id="${id}"><option value="">all</option></select></label>`;
}

function findingsSection(page: HtmlPage): string {
  const hasBaseline = page.findings.some((f) => f.baseline !== null);
  const columns: [string, string][] = [['severity', 'Severity'], ['ruleId', 'Rule'], ['resource', 'Resource'], ['namespace', 'Namespace'], ['where', 'Location'], ['message', 'Message']];
  return `<section aria-labelledby="findings-h"><h2 id="findings-h">${escapeHtml(page.noun[0]?.toUpperCase() ?? '')}${escapeHtml(page.noun.slice(1))}</h2>`
    + `<div class="filters" role="search">${select('f-severity', 'Severity')}${select('f-area', 'Area')}${select('f-namespace', 'Namespace')}${select('f-rule', 'Rule')}`
    + `${hasBaseline ? select('f-baseline', 'Baseline') : ''}`
    + `<label>Text<input id="f-text" type="search" placeholder="name, message, file…" autocomplete="off"></label>`
    + `<span id="shown" class="muted" role="status" aria-live="polite"></span></div>`
    + `<div class="grid" role="grid" aria-labelledby="findings-h" aria-rowcount="${page.findings.length + 1}">`
    + `<div class="head cols" role="row">${columns.map(([key, label]) => `<span role="columnheader"><button type="button" data-key="${key}"${key === 'severity' ? ' aria-sort="ascending"' : ''}>${label}</button></span>`).join('')}</div>`
    + `<div id="viewport" class="viewport" tabindex="0" aria-label="${escapeHtml(page.noun)}: arrow keys move, Enter opens the details"><div id="spacer" class="spacer"><div id="rows" class="rows"></div></div></div></div>`
    + `<section id="detail" class="detail" aria-live="polite" hidden></section>`
    + `<noscript><p>The table of ${escapeHtml(page.noun)} needs JavaScript; -o json lists them too.</p></noscript>`
    + `<div class="print-only"><p id="print-note"></p><table class="plain"><thead><tr><th>Severity</th><th>Rule</th><th>Resource</th><th>Location</th><th>Message</th></tr></thead><tbody id="print-rows"></tbody></table></div>`
    + `</section>`;
}

function exemptedSection(page: HtmlPage): string {
  if (page.exempted.length === 0) return '';
  const byReason = new Map<string, HtmlPage['exempted'][number][]>();
  for (const e of page.exempted) {
    const key = `${e.kind}: ${e.reason}`;
    byReason.set(key, [...(byReason.get(key) ?? []), e]);
  }
  const groups = [...byReason].sort((a, b) => b[1].length - a[1].length).map(([reason, list]) => {
    const rows = list.slice(0, MAX_EXEMPTED_PER_REASON).map((e) => `<tr><td class="t-${e.finding.severity}">${e.finding.severity}</td><td>${escapeHtml(e.finding.ruleId)}</td><td>${escapeHtml(e.finding.resource)}</td><td>${escapeHtml(e.finding.where)}</td></tr>`).join('');
    const more = list.length > MAX_EXEMPTED_PER_REASON ? `<p class="muted">… and ${list.length - MAX_EXEMPTED_PER_REASON} more (-o json lists each one).</p>` : '';
    return `<details><summary>${list.length} × ${escapeHtml(reason)}</summary><table class="plain"><tr><th>Severity</th><th>Rule</th><th>Resource</th><th>Location</th></tr>${rows}</table>${more}</details>`;
  }).join('');
  return `<section aria-labelledby="exempted-h"><h2 id="exempted-h">Exempted (<span data-testid="exempted">${page.exempted.length}</span>)</h2>${groups}</section>`;
}

function notEvaluatedSection(page: HtmlPage): string {
  if (page.notEvaluated.length === 0) return '';
  const rows = page.notEvaluated.map((n) => `<tr><td>${escapeHtml(n.ruleId)}</td><td>${escapeHtml(n.reason)}</td></tr>`).join('');
  return `<section aria-labelledby="ne-h"><h2 id="ne-h">Not evaluated (<span data-testid="not-evaluated">${page.notEvaluated.length}</span> rules: the input lacks what they need)</h2><table class="plain"><tr><th>Rule</th><th>Why</th></tr>${rows}</table></section>`;
}

function gapsSection(page: HtmlPage): string {
  if (page.gaps.length === 0) return '';
  const rows = page.gaps.map((g) => `<tr><td>${escapeHtml(g.where)}</td><td>${escapeHtml(g.code)}</td><td>${escapeHtml(g.message)}</td></tr>`).join('');
  return `<section aria-labelledby="gaps-h"><h2 id="gaps-h">Incomplete: <span data-testid="gaps">${page.gaps.length}</span> input problem${page.gaps.length === 1 ? '' : 's'}</h2><table class="plain"><tr><th>Where</th><th>Code</th><th>Problem</th></tr>${rows}</table></section>`;
}

function notesSection(page: HtmlPage): string {
  if (page.notes.length === 0) return '';
  return `<section aria-labelledby="notes-h"><h2 id="notes-h">Notes</h2><ul>${page.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul></section>`;
}

/**
 * The findings as the script reads them: one array per row, and the strings many rows share
 * (titles, remediation, links, paths, patches, namespaces) once in a table. Page size is what
 * costs time to open: this halves it for real reports, where rule texts repeat on every row.
 */
export function packFindings(findings: readonly HtmlFinding[]): { strings: string[]; rows: unknown[][] } {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const intern = (s: string): number => {
    let i = index.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      index.set(s, i);
    }
    return i;
  };
  const rows = findings.map((f) => {
    const extra = f.events !== undefined || f.steps !== undefined ? { events: f.events, eventCount: f.eventCount, steps: f.steps } : 0;
    return [f.severity, f.ruleId, intern(f.title), intern(f.area), intern(f.namespace), f.resource, f.where, f.message, intern(f.path), intern(f.remediation), intern(f.url), intern(f.patch), f.baseline ?? 0, extra];
  });
  return { strings, rows };
}

/**
 * The packed findings, gzipped and base64-encoded, in JSON for the script element. What a large
 * report spends its opening time on is the HTML parser reading the data; gzip cuts it to a fifth
 * or less, and the browser inflates it natively (DecompressionStream) in a few milliseconds.
 * Base64 holds no character HTML or JSON would need escaped.
 */
export function embedData(page: HtmlPage): string {
  const packed = JSON.stringify({ noun: page.noun, ...packFindings(page.findings) });
  return scriptJson({ gzip: gzipSync(packed).toString('base64') });
}

export function renderHtml(page: HtmlPage): string {
  const csp = `default-src 'none'; script-src ${hash(CLIENT_SCRIPT)}; style-src ${hash(STYLE)}; img-src data:; base-uri 'none'; form-action 'none'`;
  const data = embedData(page);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(`${page.command} report`)}</title>
<style>${STYLE}</style>
</head>
<body>
${header(page)}
<main>
${charts(page)}
${findingsSection(page)}
${exemptedSection(page)}
${notEvaluatedSection(page)}
${gapsSection(page)}
${notesSection(page)}
<p class="muted">eksguard ${escapeHtml(page.version)}</p>
</main>
<script id="eksguard-data" type="application/json">${data}</script>
<script>${CLIENT_SCRIPT}</script>
</body>
</html>
`;
}
