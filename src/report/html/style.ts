/** The page's stylesheet: light and dark (the system's choice), and a print layout. */
export const STYLE = String.raw`
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1b1f24; --muted: #5b636d; --line: #d6dbe1; --panel: #f5f7f9; --accent: #0b5cad; --sel: #dbeafe;
  --critical: #7e1fa3; --high: #c62828; --medium: #b26a00; --low: #1b6e9e; --info: #6b7280; --lane: #eef1f4; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #111418; --fg: #e6e9ec; --muted: #9aa4ae; --line: #2e353d; --panel: #1a1f25; --accent: #6cb0ff; --sel: #1e3a5f;
    --critical: #d08cf0; --high: #ff7b72; --medium: #e3b341; --low: #6cb6ff; --info: #9aa4ae; --lane: #1d232a; }
}
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: var(--bg); color: var(--fg); }
header, main { padding: 16px 24px; }
header { border-bottom: 1px solid var(--line); background: var(--panel); }
h1 { font-size: 20px; margin: 0 0 8px; }
h2 { font-size: 16px; margin: 24px 0 8px; }
a { color: var(--accent); }
:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0 0 8px; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.summary { font-size: 15px; }
.summary .count { font-weight: 600; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
.chart { margin: 0; padding: 8px; border: 1px solid var(--line); border-radius: 6px; background: var(--panel); max-width: 100%; overflow-x: auto; }
.chart figcaption { font-weight: 600; margin-bottom: 4px; }
.chart svg { display: block; }
.chart-label, .chart-value { fill: var(--fg); font-size: 12px; }
.bar { fill: var(--accent); } .lane { fill: var(--lane); }
.sev-critical { fill: var(--critical); } .sev-high { fill: var(--high); } .sev-medium { fill: var(--medium); } .sev-low { fill: var(--low); } .sev-info { fill: var(--info); }
.filters { display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: end; margin: 8px 0; }
.filters label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); }
.filters select, .filters input { font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--line); border-radius: 4px; padding: 4px 6px; min-width: 9em; }
.filters input[type=search] { min-width: 18em; }
.grid { border: 1px solid var(--line); border-radius: 6px; overflow: hidden; }
.cols { display: grid; grid-template-columns: 7.5em 14em 16em 9em 14em minmax(12em, 1fr); }
.head { background: var(--panel); border-bottom: 1px solid var(--line); font-weight: 600; }
.head button { font: inherit; font-weight: 600; color: var(--fg); background: none; border: 0; padding: 6px 8px; text-align: left; cursor: pointer; }
.head button[aria-sort=ascending]::after { content: " ▲"; } .head button[aria-sort=descending]::after { content: " ▼"; }
.viewport { height: 60vh; min-height: 240px; overflow-y: auto; position: relative; }
.spacer { position: relative; }
.rows { position: absolute; left: 0; right: 0; top: 0; }
.row { height: 32px; border-bottom: 1px solid var(--line); cursor: pointer; }
.row > span { padding: 6px 8px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.row[aria-selected=true] { background: var(--sel); }
.sev { font-weight: 600; }
.t-critical { color: var(--critical); } .t-high { color: var(--high); } .t-medium { color: var(--medium); } .t-low { color: var(--low); } .t-info { color: var(--info); }
.tag { font-size: 11px; border: 1px solid var(--line); border-radius: 8px; padding: 0 5px; margin-left: 4px; color: var(--muted); }
.detail { border: 1px solid var(--line); border-radius: 6px; padding: 12px 16px; margin-top: 8px; background: var(--panel); }
.detail[hidden] { display: none; }
.detail dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; margin: 0; }
.detail dt { color: var(--muted); } .detail dd { margin: 0; overflow-wrap: anywhere; }
pre { background: var(--bg); border: 1px solid var(--line); padding: 8px; overflow-x: auto; margin: 0; }
table.plain { border-collapse: collapse; width: 100%; }
table.plain th, table.plain td { text-align: left; border-bottom: 1px solid var(--line); padding: 4px 8px; vertical-align: top; overflow-wrap: anywhere; }
.muted { color: var(--muted); }
.print-only { display: none; }
@media print {
  :root { --bg: #fff; --fg: #000; --panel: #fff; --line: #bbb; }
  .filters, .grid, .detail, .no-print { display: none !important; }
  .print-only { display: block; }
  header { background: none; }
  .chart { break-inside: avoid; }
  table.plain tr { break-inside: avoid; }
}
`;
