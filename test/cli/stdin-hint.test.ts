/** `eksguard scan -` on a terminal says that it is reading standard input; piped input stays silent. */
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec:\n  containers: [{name: c, image: "r.example/c@sha256:0000000000000000000000000000000000000000000000000000000000000000"}]\n';

async function run(args: string[], terminal: boolean): Promise<{ code: number; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const err: Buffer[] = [];
  stdout.resume();
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const stdin = Object.assign(Readable.from([Buffer.from(POD)]), terminal ? { isTTY: true } : {});
  const code = await main(args, { stdout, stderr, stdin, env: {}, cwd: process.cwd() });
  return { code, stderr: Buffer.concat(err).toString('utf8') };
}

const HINT = 'eksguard: reading standard input from the terminal: type or paste, then Ctrl-D; or pipe the input in (helm template . | eksguard scan -)\n';

describe('reading standard input from a terminal', () => {
  it('prints one hint line on stderr before reading, then scans what was typed', async () => {
    const result = await run(['scan', '-', '-o', 'json', '--fail-on', 'none'], true);
    expect(result).toEqual({ code: 0, stderr: HINT });
  });

  it('prints it for audit analyze - too', async () => {
    expect((await run(['audit', 'analyze', '-', '--allow-gaps', '--fail-on', 'none'], true)).stderr.startsWith(HINT)).toBe(true);
  });

  it('a scan of files never opens standard input (opening it costs start-up time)', async () => {
    const stdout = new PassThrough();
    stdout.resume();
    const io = { stdout, stderr: new PassThrough(), env: {}, cwd: process.cwd(), get stdin(): never { throw new Error('standard input opened'); } };
    expect(await main(['scan', 'examples/hardened', '-o', 'json', '--fail-on', 'none'], io)).toBe(0);
  });

  it('says nothing when the input is piped, or when standard input is not read', async () => {
    expect((await run(['scan', '-', '-o', 'json', '--fail-on', 'none'], false)).stderr).toBe('');
    expect((await run(['scan', 'examples/hardened', '-o', 'json', '--fail-on', 'none'], true)).stderr).toBe('');
  });
});
