/** The terminal table: a fixed scan result rendered at 60, 100 and 200 columns, colour off and on. */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/finding.js';
import type { AuditResult } from '../../src/engine/audit.js';
import { terminalWidth, type Io } from '../../src/cli/io.js';
import { renderTable } from '../../src/report/table.js';
import { displayWidth, wrap } from '../../src/report/terminal-text.js';

const RESOURCE = { provider: 'kubernetes', apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: 'web' } as const;

function finding(over: Partial<Finding> & Pick<Finding, 'ruleId' | 'severity' | 'message'>): Finding {
  return { messageId: 'm', area: 'pod-security', title: over.ruleId, remediation: '', resource: RESOURCE, path: [], ...over };
}

// In engine order (by line); the table must put the worst first within the resource.
const RESULT: AuditResult = {
  findings: [
    finding({ ruleId: 'no-host-ipc', severity: 'high', message: 'Pod "web" shares the host IPC namespace.', path: ['spec', 'hostIPC'], location: { file: 'deploy/shop.yaml', line: 8, column: 3 }, remediation: 'Remove hostIPC.' }),
    finding({ ruleId: 'require-memory-limit', severity: 'medium', message: 'Container "app" has no memory limit: it can take all of the node\'s memory and get its neighbours OOM-killed.', path: ['spec', 'containers', 0, 'resources', 'limits', 'memory'], location: { file: 'deploy/shop.yaml', line: 12, column: 5 }, remediation: 'Set resources.limits.memory on every container.' }),
    finding({ ruleId: 'no-privileged-containers', severity: 'critical', message: 'Container "app\u001b[31m" runs privileged: it has every capability and full access to the host\'s devices.', path: ['spec', 'containers', 0, 'securityContext', 'privileged'], location: { file: 'deploy/shop.yaml', line: 20, column: 9 }, remediation: 'Remove privileged: true.', suggestions: [{ messageId: 's', message: 'Turn it off', patch: [{ op: 'replace', path: ['spec', 'containers', 0, 'securityContext', 'privileged'], value: false }] }] }),
  ],
  exempted: [],
  gaps: [{ source: 'deploy/broken.yaml', line: 3, code: 'YAML_SYNTAX', message: 'unexpected flow-map end' }],
  notEvaluated: [
    { ruleId: 'require-cloudtrail', reason: 'needs aws evidence, which this scan did not read' },
    { ruleId: 'require-imdsv2', reason: 'needs aws evidence, which this scan did not read' },
    { ruleId: 'no-wildcard-rbac', reason: 'no Roles or ClusterRoles in the input' },
  ],
  summary: { bySeverity: { critical: 1, high: 1, medium: 1, low: 0, info: 0 }, findings: 3, exempted: 0, resources: 1, rulesRun: 12, checks: 10, passed: 7, score: 61 },
};
const CONTEXT = { version: '0.0.0', sources: [{ path: 'deploy/shop.yaml', objects: 1, documents: 1 }] };

// eslint-disable-next-line no-control-regex -- removing the colour codes the table emits
const stripColour = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, '');

const AT_60 = `  SEVERITY  LOCATION · RULE
            FINDING, FIELD, FIX

Pod shop/web (deploy/shop.yaml)
  critical  deploy/shop.yaml:20 · no-privileged-containers
            Container "app\\x1b[31m" runs privileged: it has
            every capability and full access to the host's
            devices.
            field:
              spec.containers[0].securityContext.privileged
            fix: Remove privileged: true.
            set:
              spec.containers[0].securityContext.privileged
              = false
  high      deploy/shop.yaml:8 · no-host-ipc
            Pod "web" shares the host IPC namespace.
            field: spec.hostIPC
            fix: Remove hostIPC.
  medium    deploy/shop.yaml:12 · require-memory-limit
            Container "app" has no memory limit: it can take
            all of the node's memory and get its neighbours
            OOM-killed.
            field:
              spec.containers[0].resources.limits.memory
            fix: Set resources.limits.memory on every
              container.

Not evaluated (3 rules; the input lacks what they need):
  2 rules: needs aws evidence, which this scan did not read
  1 rule: no Roles or ClusterRoles in the input
  (-v or -o json lists each rule with its reason)

Incomplete: 1 input problem:
  deploy/broken.yaml:3: unexpected flow-map end
    (YAML_SYNTAX)

3 findings: 1 critical, 1 high, 1 medium · score 61/100 ·
  1 object in 1 source · 12 rules · 1 gap
`;

const AT_200 = `  SEVERITY  LOCATION · RULE
            FINDING, FIELD, FIX

Pod shop/web (deploy/shop.yaml)
  critical  deploy/shop.yaml:20 · no-privileged-containers
            Container "app\\x1b[31m" runs privileged: it has every capability and full access to the host's devices.
            field: spec.containers[0].securityContext.privileged
            fix: Remove privileged: true.
            set: spec.containers[0].securityContext.privileged = false
  high      deploy/shop.yaml:8 · no-host-ipc
            Pod "web" shares the host IPC namespace.
            field: spec.hostIPC
            fix: Remove hostIPC.
  medium    deploy/shop.yaml:12 · require-memory-limit
            Container "app" has no memory limit: it can take all of the node's memory and get its neighbours OOM-killed.
            field: spec.containers[0].resources.limits.memory
            fix: Set resources.limits.memory on every container.

Not evaluated (3 rules; the input lacks what they need):
  2 rules: needs aws evidence, which this scan did not read
  1 rule: no Roles or ClusterRoles in the input
  (-v or -o json lists each rule with its reason)

Incomplete: 1 input problem:
  deploy/broken.yaml:3: unexpected flow-map end (YAML_SYNTAX)

3 findings: 1 critical, 1 high, 1 medium · score 61/100 · 1 object in 1 source · 12 rules · 1 gap
`;

describe('renderTable', () => {
  it('at 60 columns: the exact text, worst first, remediation and field to set under each finding', () => {
    expect(renderTable(RESULT, CONTEXT, { color: false, width: 60 })).toBe(AT_60);
  });

  it('at 200 columns: nothing wraps', () => {
    expect(renderTable(RESULT, CONTEXT, { color: false, width: 200 })).toBe(AT_200);
  });

  for (const width of [60, 100, 200]) {
    it(`at ${width} columns every line fits, and colour changes no column`, () => {
      const plain = renderTable(RESULT, CONTEXT, { color: false, width });
      const coloured = renderTable(RESULT, CONTEXT, { color: true, width });
      expect(coloured).not.toBe(plain);
      expect(coloured).toContain('\u001b[');
      expect(stripColour(coloured)).toBe(plain);
      for (const line of plain.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(width);
      // Continuation lines of a message hang under the message, past the severity column.
      expect(plain).toMatch(width === 200 ? /\n {12}Container "app" has no memory limit: it can take all .*OOM-killed\.\n/ : /\n {12}Container "app" has no memory limit:[^\n]*\n {12}[^ f]/);
    });
  }

  it('-v: the docs link under each finding, and every rule not evaluated by name instead of a count per reason', () => {
    const docs = new Map([['no-host-ipc', 'https://eksguard.io/rules/no-host-ipc']]);
    const verbose = renderTable(RESULT, CONTEXT, { color: false, width: 100, verbose: true, docs });
    expect(verbose).toContain('            fix: Remove hostIPC.\n            docs: https://eksguard.io/rules/no-host-ipc\n');
    expect(verbose).toContain('Not evaluated (3 rules; the input lacks what they need):\n  require-cloudtrail: needs aws evidence, which this scan did not read\n  require-imdsv2: needs aws evidence, which this scan did not read\n  no-wildcard-rbac: no Roles or ClusterRoles in the input\n');
    expect(verbose).not.toContain('lists each rule with its reason');
    const plain = renderTable(RESULT, CONTEXT, { color: false, width: 100, docs });
    expect(plain).not.toContain('docs: ');
    expect(plain).toContain('  2 rules: needs aws evidence, which this scan did not read\n');
  });

  it('the input\'s control characters are shown, not sent to the terminal', () => {
    const coloured = renderTable(RESULT, CONTEXT, { color: true, width: 100 });
    expect(coloured).toContain('app\\x1b[31m');
    expect(coloured).not.toContain('app\u001b[31m');
  });
});

describe('terminal text', () => {
  it('counts wide characters as two columns and colour codes as none', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('名前')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('\u001b[31mred\u001b[39m')).toBe(3);
    expect(displayWidth('🔒')).toBe(2);
  });

  it('wraps wide text by columns, not by characters', () => {
    const lines = wrap('名前名前名前 名前名前名前', 10, '', '');
    expect(lines).toEqual(['名前名前名', '前', '名前名前名', '前']);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(10);
  });
});

describe('terminalWidth', () => {
  const io = (stdout: { isTTY?: boolean; columns?: number }) => ({ stdout, stderr: {}, stdin: [], env: {}, cwd: '/' }) as unknown as Io;
  it('is the terminal\'s width on a terminal, and 100 for a pipe or a file', () => {
    expect(terminalWidth(io({ isTTY: true, columns: 60 }))).toBe(60);
    expect(terminalWidth(io({ isTTY: false, columns: 60 }))).toBe(100);
    expect(terminalWidth(io({}))).toBe(100);
  });
});
