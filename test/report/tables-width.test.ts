/**
 * Every command's table at 60, 100 and 200 columns: each line fits (words longer than a line are
 * broken), colour changes no column, and NO_COLOR, --no-color and a pipe print no escape codes.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/report/terminal-text.js';
import { runCli } from '../cli-harness.js';
import { realisticCluster, toYaml } from '../rbac/realistic-cluster.js';
import { makeTempDir } from '../temp-dir.js';
import { auditEvent, jsonLines } from '../audit-log/events.js';

// eslint-disable-next-line no-control-regex -- removing the colour codes the tables emit
const stripColour = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, '');

const PODS = `apiVersion: v1
kind: Namespace
metadata: { name: shop, labels: { pod-security.kubernetes.io/enforce: restricted } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: agent-with-a-rather-long-name-for-a-narrow-terminal, namespace: shop }
spec:
  selector: { matchLabels: { app: agent } }
  template:
    metadata: { labels: { app: agent } }
    spec:
      hostNetwork: true
      containers: [{ name: agent, image: agent:1, securityContext: { privileged: true } }]
`;

// 30 exec sessions a minute apart (more events than a finding keeps, more minutes than the timeline shows by default), and a Secret read.
const LOG = jsonLines([
  ...Array.from({ length: 30 }, (_, i) => auditEvent({ verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'shop', name: 'agent-with-a-rather-long-name-for-a-narrow-terminal', user: 'alice', code: 101, time: `2024-05-01T10:${String(i).padStart(2, '0')}:00.000000Z` })),
  auditEvent({ verb: 'get', resource: 'secrets', namespace: 'kube-system', name: 'aws-secret', user: 'system:serviceaccount:shop:agent', time: '2024-05-01T11:30:00.000000Z' }),
]);

let dump = '';
let pods = '';
let log = '';
beforeAll(() => {
  const dir = makeTempDir('widths');
  dump = join(dir, 'rbac.yaml');
  writeFileSync(dump, toYaml(realisticCluster()));
  pods = join(dir, 'pods.yaml');
  writeFileSync(pods, PODS);
  log = join(dir, 'audit.log');
  writeFileSync(log, LOG);
});

const COMMANDS: readonly (readonly string[])[] = [
  ['pss', 'check', 'PODS'],
  ['pss', 'advise', 'PODS'],
  ['rbac', 'who-can', 'list', 'secrets', 'DUMP'],
  ['rbac', 'lookup', '', 'DUMP'],
  ['rbac', 'risky', 'DUMP', '--fail-on', 'none'],
  ['rbac', 'risky', 'DUMP', '--fail-on', 'none', '-v'],
  ['audit', 'analyze', 'LOG', '--fail-on', 'none'],
  ['audit', 'analyze', 'LOG', '--fail-on', 'none', '-v'],
  ['rules'],
];

describe('command tables', () => {
  for (const command of COMMANDS) {
    for (const columns of [60, 100, 200]) {
      it(`${command.slice(0, 2).join(' ')}${command.includes('-v') ? ' -v' : ''} at ${columns} columns: every line fits, colour changes no column`, async () => {
        const args = command.map((a) => (a === 'PODS' ? pods : a === 'DUMP' ? dump : a === 'LOG' ? log : a));
        const coloured = await runCli(args, { columns });
        const plain = await runCli(args, { columns, env: { NO_COLOR: '1' } });
        expect(coloured.stdout).toContain('\u001b[');
        expect(plain.stdout).not.toContain('\u001b');
        expect(stripColour(coloured.stdout)).toBe(plain.stdout);
        // -v's lines are there, and fit as the others do.
        if (command[0] === 'audit') {
          expect(plain.stdout).toMatch(command.includes('-v') ? /\n {12}docs:[^]*\n {12}30 events from [^]*the\s+first\s+10\s+in\s+log\s+order:\n/ : /\n {12}first: [^]*\(\+29\s+more/);
          expect(plain.stdout).toContain(command.includes('-v') ? 'Timeline (events per minute, UTC):' : 'the 24 busiest of 31');
        }
        if (command[1] === 'risky') expect(/docs:\s+https:/.test(plain.stdout)).toBe(command.includes('-v'));
        // The kubectl command pss advise prints is pasted whole: it is the one line left unwrapped.
        const wide = plain.stdout.split('\n').filter((line) => displayWidth(line) > columns && !line.startsWith('  kubectl label '));
        expect(wide).toEqual([]);
        // --no-color and a pipe (100 columns) are plain too.
        expect((await runCli([...args, '--no-color'], { columns })).stdout).toBe(plain.stdout);
        if (columns === 100) expect((await runCli(args)).stdout).toBe(plain.stdout);
      });
    }
  }
});
