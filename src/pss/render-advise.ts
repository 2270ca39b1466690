/** The `pss advise` reports: a table for people, JSON for machines, Namespace manifests to apply. */
import jsYaml from 'js-yaml';
import { createColors } from 'picocolors';
import type { Gap } from '../core/resource.js';
import type { AdviseReport, NamespaceAdvice } from './advise.js';
import { compareLevels, formatPolicy } from './levels.js';
import { PSS_MODES } from './namespace-policy.js';
import { SCHEMA_VERSIONS } from '../schemas/versions.js';
import { describeWorkload, gapJson, gapLines, plural, resourceJson, violationJson } from './render-common.js';

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

export function renderAdviseTable(report: AdviseReport, gaps: readonly Gap[], options: { readonly color: boolean }): string {
  const c = createColors(options.color);
  const out: string[] = [];
  for (const advice of report.namespaces) {
    out.push(`${c.bold(`Namespace ${advice.namespace}`)} (${plural(advice.workloads, 'workload')}): ${c.bold(formatPolicy(advice.level, advice.version))}`);
    const current = currentLine(advice);
    out.push(`  ${current.includes('violate') ? c.yellow(current) : c.dim(current)}`);
    for (const e of advice.current?.errors ?? []) out.push(c.yellow(`  label ${e.label}=${JSON.stringify(e.value)} is not valid: PSA uses ${e.fallback}`));
    if (advice.blockedLevel === undefined) out.push(`  every workload satisfies restricted`);
    else {
      out.push(`  ${advice.blockedLevel} is blocked by ${plural(advice.blocking.length, 'workload')}:`);
      const width = Math.max(...advice.blocking.flatMap((b) => b.violations.map((v) => v.check.length)));
      for (const b of advice.blocking) {
        out.push(`    ${describeWorkload(b.workload)}`);
        for (const v of b.violations) out.push(`      ${c.dim(v.check.padEnd(width))}  ${v.message}`);
      }
    }
    out.push(`  ${c.cyan(advice.command)}`);
    out.push('');
  }
  if (report.withoutWorkloads.length > 0) {
    out.push(c.dim(`No workloads, nothing to judge: ${report.withoutWorkloads.join(', ')}`));
    out.push('');
  }
  if (gaps.length > 0) {
    out.push(c.bold(c.red(`Incomplete: ${plural(gaps.length, 'input problem')}:`)));
    for (const line of gapLines(gaps)) out.push(`  ${line}`);
    out.push('');
  }
  const counts = (['restricted', 'baseline', 'privileged'] as const)
    .map((level) => [level, report.namespaces.filter((a) => a.level === level).length] as const)
    .filter(([, n]) => n > 0)
    .map(([level, n]) => `${n} ${level}`);
  out.push(report.namespaces.length === 0
    ? 'No workloads in the input.'
    : `${plural(report.namespaces.length, 'namespace')}: ${counts.join(', ')} (policy version ${report.version}) · warn and audit are set one level stricter than enforce`);
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
