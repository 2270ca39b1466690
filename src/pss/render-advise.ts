/** The `pss advise` reports: a table for people, JSON for machines, Namespace manifests to apply. */
import jsYaml from 'js-yaml';
import { createColors } from 'picocolors';
import type { Gap } from '../core/resource.js';
import type { AdviseReport, NamespaceAdvice } from './advise.js';
import { compareLevels, formatPolicy } from './levels.js';
import { PSS_MODES } from './namespace-policy.js';
import { SCHEMA_VERSIONS } from '../schemas/versions.js';
import { describeWorkload, gapJson, gapLines, plural, resourceJson, tableWidth, violationJson, type TableStyle } from './render-common.js';
import { wrapText, wrapWords } from '../report/terminal-text.js';
import { terminalText } from '../core/terminal-text.js';

function adviceJson(advice: NamespaceAdvice): object {
  return {
    namespace: advice.namespace,
    workloads: advice.workloads,
    level: advice.level,
    version: advice.version,
    blocked: advice.blockedLevel === undefined ? null : {
      level: advice.blockedLevel,
      workloads: advice.blocking.map((b) => ({ resource: resourceJson(b.workload), violations: b.violations.map(violationJson) })),
    },
    current: advice.current === undefined ? null : {
      ...Object.fromEntries(PSS_MODES.map((mode) => [mode, advice.current?.policy[mode]])),
      labelErrors: advice.current.errors,
    },
    labels: advice.labels,
    command: advice.command,
  };
}

export function renderAdviseJson(report: AdviseReport, gaps: readonly Gap[]): string {
  return `${JSON.stringify({
    schemaVersion: SCHEMA_VERSIONS['pss-advise'],
    version: report.version,
    namespaces: report.namespaces.map(adviceJson),
    withoutWorkloads: report.withoutWorkloads,
    gaps: gaps.map(gapJson),
  }, null, 2)}\n`;
}

/** What the namespace enforces today, and whether its workloads already break it. */
function currentLine(advice: NamespaceAdvice): string {
  if (advice.current === undefined) return "today: not in the input (PSA's default is privileged)";
  const enforce = advice.current.policy.enforce;
  const text = `today: enforce ${formatPolicy(enforce.level, enforce.version)}`;
  return compareLevels(enforce.level, advice.level) > 0 ? `${text}, which some of its workloads violate: PSA rejects their new pods` : text;
}

export function renderAdviseTable(report: AdviseReport, gaps: readonly Gap[], options: TableStyle): string {
  const c = createColors(options.color);
  const columns = tableWidth(options);
  const out: string[] = [];
  for (const advice of report.namespaces) {
    out.push(...wrapText(`Namespace ${advice.namespace} (${plural(advice.workloads, 'workload')}): ${formatPolicy(advice.level, advice.version)}`, columns, '', '  ', c.bold));
    const current = currentLine(advice);
    out.push(...wrapText(current, columns, '  ', '    ', current.includes('violate') ? c.yellow : c.dim));
    for (const e of advice.current?.errors ?? []) out.push(...wrapText(`label ${e.label}=${JSON.stringify(e.value)} is not valid: PSA uses ${e.fallback}`, columns, '  ', '    ', c.yellow));
    if (advice.blockedLevel === undefined) out.push(`  every workload satisfies restricted`);
    else {
      out.push(...wrapText(`${advice.blockedLevel} is blocked by ${plural(advice.blocking.length, 'workload')}:`, columns, '  ', '    '));
      const width = Math.max(...advice.blocking.flatMap((b) => b.violations.map((v) => v.check.length)));
      const messageAt = 6 + width + 2 <= columns - 30 ? 6 + width + 2 : 8;
      for (const b of advice.blocking) {
        out.push(...wrapText(describeWorkload(b.workload), columns, '    ', '      '));
        for (const v of b.violations) {
          const text = wrapText(v.message, columns, ' '.repeat(messageAt), ' '.repeat(messageAt));
          const head = `      ${c.dim(v.check.padEnd(width))}  `;
          if (messageAt === 6 + width + 2) out.push(`${head}${(text[0] ?? '').slice(messageAt)}`, ...text.slice(1));
          else out.push(`      ${c.dim(v.check)}`, ...text);
        }
      }
    }
    // The command is pasted as it is: not wrapped (a continuation line would break it), only escaped.
    out.push(`  ${c.cyan(terminalText(advice.command))}`);
    out.push('');
  }
  if (report.withoutWorkloads.length > 0) {
    out.push(...wrapText(`No workloads, nothing to judge: ${report.withoutWorkloads.join(', ')}`, columns, '', '  ', c.dim));
    out.push('');
  }
  if (gaps.length > 0) {
    out.push(c.bold(c.red(`Incomplete: ${plural(gaps.length, 'input problem')}:`)));
    for (const line of gapLines(gaps)) out.push(...wrapText(line, columns, '  ', '    '));
    out.push('');
  }
  const counts = (['restricted', 'baseline', 'privileged'] as const)
    .map((level) => [level, report.namespaces.filter((a) => a.level === level).length] as const)
    .filter(([, n]) => n > 0)
    .map(([level, n]) => `${n} ${level}`);
  out.push(...(report.namespaces.length === 0
    ? ['No workloads in the input.']
    : wrapWords([`${plural(report.namespaces.length, 'namespace')}: ${counts.join(', ')} (policy version ${report.version})`, 'warn and audit are set one level stricter than enforce'], columns, '', '  ', ' · ')));
  return `${out.join('\n')}\n`;
}

/**
 * One Namespace manifest per namespace with the advised labels. Applied server-side under its
 * own field manager, it sets these labels and leaves every other label and field alone.
 */
export function renderAdviseYaml(report: AdviseReport, gaps: readonly Gap[]): string {
  const docs = report.namespaces.map((advice) => {
    const blocked = advice.blockedLevel === undefined
      ? '# every workload satisfies restricted'
      : `# ${advice.blockedLevel} is blocked by: ${advice.blocking.map((b) => describeWorkload(b.workload)).join(', ')}`;
    const manifest = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: advice.namespace, labels: advice.labels } };
    return `# ${advice.namespace}: ${formatPolicy(advice.level, advice.version)} (${plural(advice.workloads, 'workload')})\n${blocked}\n${jsYaml.dump(manifest, { lineWidth: -1, noRefs: true })}`;
  });
  const incomplete = gaps.length === 0 ? '' : `# Incomplete: ${plural(gaps.length, 'input problem')} (advice covers only what was read):\n${gapLines(gaps).map((line) => `#   ${line}\n`).join('')}`;
  const header = `# Apply with: kubectl apply --server-side --field-manager=eksguard-pss --force-conflicts -f FILE\n${incomplete}`;
  return docs.length === 0 ? `${header}# No workloads in the input.\n` : `${header}---\n${docs.join('---\n')}`;
}
