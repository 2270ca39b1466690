/** `incident locate` printed: a table for people, JSON for tools. */
import { createColors } from 'picocolors';
import type { Gap } from '../core/resource.js';
import { lookupRole, lookupSource, table } from '../rbac/render.js';
import type { LocateQuery, LocateResult } from './locate.js';
import { printable } from '../report/terminal-text.js';

export function describeQuery(query: LocateQuery): string {
  switch (query.by) {
    case 'image': return `image ${query.image}`;
    case 'service-account': return `ServiceAccount ${query.namespace}/${query.name}`;
    case 'workload': return `${query.kind} ${query.namespace}/${query.name}`;
    case 'pod': return `pod ${query.namespace}/${query.name}`;
  }
}

export function renderLocateTable(result: LocateResult, gaps: readonly Gap[], options: { readonly color: boolean }): string {
  const c = createColors(options.color);
  const out: string[] = [];
  const pods = result.targets.filter((t) => t.kind === 'Pod').length;
  out.push(c.bold(`${describeQuery(result.query)}: ${pods} pod${pods === 1 ? '' : 's'}${result.targets.length > pods ? `, ${result.targets.length - pods} controller${result.targets.length - pods === 1 ? '' : 's'} without pods in the input` : ''}`));
  if (result.targets.length > 0) {
    const showMatch = result.query.by === 'image';
    const rows = result.targets.map((t) => [
      t.namespace,
      t.kind === 'Pod' ? t.name : `${t.kind} ${t.name}`,
      t.owners.join(' < ') || '-',
      t.node ?? (t.kind === 'Pod' ? '(no node)' : '-'),
      t.instanceId ?? '-',
      t.serviceAccount,
      ...(showMatch ? [t.containers.map((m) => `${m.name} (${m.match})`).join(', ')] : []),
    ].map(printable));
    out.push('', ...table(rows, ['NAMESPACE', 'POD', 'OWNERS', 'NODE', 'INSTANCE', 'SERVICEACCOUNT', ...(showMatch ? ['MATCHED CONTAINERS'] : [])]).map((l, i) => (i === 0 ? c.dim(l) : l)));
  }
  for (const sa of result.serviceAccounts) {
    out.push('', c.bold(printable(`ServiceAccount ${sa.namespace}/${sa.name}${sa.declared ? '' : ' (not in the input)'}`)));
    if (sa.iamRoles.length === 0) out.push('  IAM role: none found');
    for (const role of sa.iamRoles) out.push(printable(`  IAM role: ${role.arn} (${role.via === 'irsa' ? 'IRSA' : 'Pod Identity'}, ${role.from})`));
    if (sa.rbac.length === 0) out.push('  RBAC: no bindings beyond what every ServiceAccount holds');
    for (const row of sa.rbac) out.push(printable(`  RBAC: ${lookupRole(row)} ${row.scope === 'cluster-wide' ? 'cluster-wide' : `in ${row.scope}`} via ${lookupSource(row)}${row.through !== undefined ? ` (${row.through})` : ''}`));
  }
  for (const note of result.notes) out.push('', c.dim(note));
  if (gaps.length > 0) out.push('', c.bold(c.red(`Incomplete: ${gaps.length} input problem${gaps.length === 1 ? '' : 's'} (see standard error).`)));
  return `${out.join('\n')}\n`;
}

export function renderLocateJson(result: LocateResult, gaps: readonly Gap[]): string {
  return `${JSON.stringify({
    query: result.query,
    targets: result.targets.map((t) => ({ ...t, node: t.node ?? null, instanceId: t.instanceId ?? null, phase: t.phase ?? null })),
    serviceAccounts: result.serviceAccounts.map((sa) => ({
      namespace: sa.namespace,
      name: sa.name,
      declared: sa.declared,
      iamRoles: sa.iamRoles,
      rbac: sa.rbac.map((r) => ({ role: r.role, scope: r.scope, source: { kind: r.source.kind, name: r.source.name, namespace: r.source.namespace ?? null }, through: r.through ?? null })),
    })),
    notes: result.notes,
    gaps: gaps.map((g) => ({ source: g.source, line: g.line ?? null, code: g.code, message: g.message })),
  }, null, 2)}\n`;
}
