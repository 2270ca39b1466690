// What the bench measures of a child process, as a user runs it: wall time from spawn to exit and
// peak resident set size. Peak RSS comes from GNU time (`/usr/bin/time -f %M`, kilobytes) when it
// is installed; otherwise a node child reports its own `process.resourceUsage().maxRSS` at exit
// through a `--import` hook (bench-rss-hook.js), and other programs report none.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, availableParallelism, cpus, tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const GNU_TIME = '/usr/bin/time';
const hasGnuTime = existsSync(GNU_TIME);
const hook = join(dirname(fileURLToPath(import.meta.url)), 'bench-rss-hook.js');
const scratch = mkdtempSync(join(tmpdir(), 'eksguard-bench-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

/** How peak RSS is read, for the bench's header. */
export const RSS_SOURCE = hasGnuTime ? 'GNU time -f %M' : 'process.resourceUsage().maxRSS via --import hook (node children only)';

/** Runs `command args` to its end; returns { ms, rssMiB (undefined when unknown), status, stderr }. */
export function measure(command, args, options = {}) {
  const rssFile = join(scratch, 'rss');
  rmSync(rssFile, { force: true });
  let argv;
  if (hasGnuTime) argv = [GNU_TIME, ['-q', '-f', '%M', '-o', rssFile, command, ...args]];
  else if (command === process.execPath) argv = [command, ['--import', hook, ...args]];
  else argv = [command, args];
  const env = { ...process.env, ...options.env, EKSGUARD_BENCH_RSS_FILE: rssFile };
  const start = process.hrtime.bigint();
  const run = spawnSync(argv[0], argv[1], { cwd: options.cwd, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  let rssMiB;
  if (existsSync(rssFile)) {
    const kib = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
    if (Number.isFinite(kib) && kib > 0) rssMiB = kib / 1024;
  }
  return { ms, rssMiB, status: run.status, stderr: run.stderr };
}

/** Fails the bench loudly when a measured command did not do its work. */
export function checked(result, what, okStatuses = [0]) {
  if (!okStatuses.includes(result.status)) {
    console.error(`${what} exited ${result.status}:\n${result.stderr}`);
    process.exit(1);
  }
  return result;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Runs each of `commands` `runs` times, alternated run by run so a neighbour's load weighs on all alike. */
export function interleaved(commands, runs) {
  const samples = commands.map(() => []);
  for (let i = 0; i < runs; i += 1) {
    commands.forEach((run, k) => samples[k].push(run()));
  }
  return samples.map((list) => ({ ms: median(list.map((s) => s.ms)), rssMiB: Math.max(...list.map((s) => s.rssMiB ?? 0)) || undefined, all: list.map((s) => s.ms) }));
}

/** The machine line printed with every set of figures: the load changes what the times mean. */
export function machine() {
  return `node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'}), load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`;
}

export const mib = (value) => (value === undefined ? 'n/a' : `${value.toFixed(0)} MiB`);
export const secs = (ms) => `${(ms / 1000).toFixed(2)} s`;
