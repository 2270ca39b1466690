/**
 * Reading one file on two threads gives exactly what reading it on one gives: findings, the line
 * numbers of their events and of gaps, counts and the timeline. Runs the built module (`npm test`
 * builds first): the worker thread is compiled JavaScript.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type * as Analyze from '../../src/audit-log/analyze.js';
import { auditEvent, writeLog } from './events.js';

const built = fileURLToPath(new URL('../../dist/audit-log/analyze.js', import.meta.url));

describe.skipIf(!existsSync(built))('audit logs read on two threads', () => {
  it('match a single-threaded read line for line, over many ranges', async () => {
    const { analyzeAuditLogs } = (await import(pathToFileURL(built).href)) as typeof Analyze;
    const lines: string[] = [];
    for (let i = 0; i < 3000; i += 1) {
      const time = `2024-05-01T${String(10 + Math.floor(i / 600)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00Z`;
      const event = i % 97 === 0
        ? auditEvent({ verb: 'get', resource: 'secrets', namespace: `ns${i % 3}`, name: 'db', user: `user${i % 5}`, time })
        : i % 131 === 0
          ? auditEvent({ verb: 'create', subresource: 'exec', namespace: 'shop', name: 'web', code: 101, stage: 'ResponseStarted', time })
          : auditEvent({ verb: 'list', resource: 'pods', namespace: 'shop', time, code: i % 7 === 0 ? 403 : 200 });
      lines.push(i === 2500 ? JSON.stringify(event).slice(0, 100) : JSON.stringify(event));
    }
    const file = writeLog('big.log', `${lines.join('\n')}\n`);
    const parallel = await analyzeAuditLogs({ paths: [file], parallel: true, parallelMinBytes: 0, rangeBytes: 256 * 1024 });
    const single = await analyzeAuditLogs({ paths: [file], parallel: false });
    expect(parallel.sources[0]?.parallel).toBe(true);
    expect(single.sources[0]?.parallel).toBe(false);
    expect(parallel.findings.length).toBeGreaterThan(5);
    expect(parallel.gaps).toEqual([{ source: file, line: 2501, code: 'JSON_SYNTAX', message: expect.any(String) }]);
    expect(parallel.findings).toEqual(single.findings);
    expect(parallel.gaps).toEqual(single.gaps);
    expect(parallel.timeline).toEqual(single.timeline);
    expect({ ...parallel.sources[0], parallel: false }).toEqual(single.sources[0]);
  });
});
