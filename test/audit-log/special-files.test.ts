// Audit logs named by a path that is not a regular file: a named pipe or a process substitution
// (`eksguard audit analyze <(zcat audit.log.gz)`) is read as a stream; a device is refused, never read.
import { execFileSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { analyzeAuditLogs } from '../../src/audit-log/analyze.js';
import { auditEvent, jsonLines, tempDir } from './events.js';

const EXEC = auditEvent({ verb: 'create', subresource: 'exec', namespace: 'shop', name: 'web-1', code: 101, auditID: 'exec-1' });

async function throughPipe(content: Buffer): Promise<Awaited<ReturnType<typeof analyzeAuditLogs>>> {
  const fifo = join(tempDir(), 'audit.pipe');
  execFileSync('mkfifo', [fifo]);
  const writer = createWriteStream(fifo);
  writer.end(content);
  return analyzeAuditLogs({ paths: [fifo] });
}

describe('an audit log that is not a regular file', () => {
  it('a named pipe is read as a stream, plain or gzip, where positioned reads would fail (ESPIPE)', async () => {
    for (const content of [Buffer.from(jsonLines([EXEC])), gzipSync(jsonLines([EXEC]))]) {
      const result = await throughPipe(content);
      expect(result.gaps).toEqual([]);
      expect(result.findings.map((f) => f.ruleId)).toEqual(['audit-pod-exec']);
    }
  });

  it('a character device is a gap naming it, read not at all (`/dev/zero` would never end)', async () => {
    const started = Date.now();
    const result = await analyzeAuditLogs({ paths: ['/dev/zero'] });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.gaps).toEqual([{ source: '/dev/zero', code: 'UNREADABLE', message: 'not a regular file (a character device); not read' }]);
  });
});
