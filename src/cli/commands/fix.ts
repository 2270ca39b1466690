/**
 * `eksguard fix PATH... [--write | --check] [--rule ID ...] [--unsafe] [--config FILE] [-o diff|json]`:
 * the I/O edge of src/fix/. Reads the files, asks the library for the fixed texts, then prints a
 * diff, answers the CI question (--check), or writes each changed file atomically (a temporary
 * file beside it, renamed over it, with its mode). docs/fix.md is the user's page.
 */
import { randomBytes } from 'node:crypto';
import { access, chmod, constants, readFile, realpath, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import type { FileOutcome, FixInput, FixResult, LeftFinding } from '../../fix/fix.js';
import { ExitCode, type Io } from '../io.js';
import { terminalText as printable } from '../../core/terminal-text.js';

export interface FixArgs {
  readonly paths: readonly string[];
  readonly write: boolean;
  readonly check: boolean;
  readonly rules: readonly string[];
  readonly unsafe: boolean;
  readonly config?: string;
  readonly output: 'diff' | 'json';
}

/** Registers `eksguard fix` on the program; `done` receives the exit code. */
export function registerFixCommand(program: Command, io: Io, done: (code: ExitCode) => void): void {
  program
    .command('fix')
    .description('repair manifests: apply the fixes findings suggest, keeping comments and layout (diff by default; --write edits in place)')
    .argument('<paths...>', 'files, directories, or - for stdin (the fixed YAML goes to stdout)')
    .option('--write', 'edit the files in place (atomically) and print a summary')
    .option('--check', 'exit 1 when any fix is pending, 0 otherwise (for CI); changes nothing')
    .option('--rule <id>', 'fix only this rule, including its needs-review fixes (repeatable, or comma-separated)', (value: string, previous: string[] | undefined) => [
      ...(previous ?? []), ...value.split(',').map((v) => v.trim()).filter((v) => v !== ''),
    ])
    .option('--unsafe', 'also apply fixes that need review (they may break a working workload: read the diff)')
    .option('--config <file>', 'configuration file (default: ./eksguard.yaml when present): rules off, exemptions')
    .addOption(new Option('-o, --output <format>', 'without --write: a unified diff, or the edits as JSON').choices(['diff', 'json']).default('diff'))
    .addHelpText('after', `
Safe fixes (they cannot break a working workload) are applied by default; fixes that need review
(readOnlyRootFilesystem, runAsNonRoot, removing privileged or hostNetwork, adding limits) only with
--unsafe, or for the rules --rule names. Exempted findings are never fixed. New objects a namespace
needs (default-deny NetworkPolicy, LimitRange, ResourceQuota) are listed, never written.

Examples:
  eksguard fix k8s/                          what would change, as a unified diff
  eksguard fix k8s/ --write                  apply the safe fixes in place
  eksguard fix k8s/ --write --unsafe         apply the needs-review fixes too
  eksguard fix k8s/ --check                  in CI: fail while a fix is pending
  helm template . | eksguard fix - > fixed.yaml`)
    .action(async (paths: string[], opts: { write?: boolean; check?: boolean; rule?: string[]; unsafe?: boolean; config?: string; output: 'diff' | 'json' }) => {
      done(await runFix({
        paths,
        write: opts.write === true,
        check: opts.check === true,
        rules: opts.rule ?? [],
        unsafe: opts.unsafe === true,
        ...(opts.config !== undefined ? { config: opts.config } : {}),
        output: opts.output,
      }, io));
    });
}

async function readStdin(io: Io): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of io.stdin) parts.push(typeof part === 'string' ? Buffer.from(part) : part);
  const text = Buffer.concat(parts).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Whether a kustomization.yaml beside the file names it as a patch. */
async function kustomizeRefusal(file: string): Promise<string | undefined> {
  const { kustomizePatchFiles, KUSTOMIZE_PATCH_REASON } = await import('../../fix/refuse.js');
  const dir = dirname(file);
  for (const name of ['kustomization.yaml', 'kustomization.yml', 'Kustomization']) {
    let text: string;
    try {
      text = await readFile(join(dir, name), 'utf8');
    } catch {
      continue;
    }
    const target = resolve(file);
    if (kustomizePatchFiles(text).some((patch) => resolve(dir, patch) === target)) return KUSTOMIZE_PATCH_REASON;
  }
  return undefined;
}

interface Problem {
  readonly source: string;
  readonly message: string;
  /** Whether it makes the exit code 2 (a Helm chart directory does not). */
  readonly fatal: boolean;
}

/** The inputs: stdin, and the manifest files a scan of these paths would read (same walk, same skips). */
async function readInputs(args: FixArgs, io: Io): Promise<{ inputs: FixInput[]; problems: Problem[] }> {
  const inputs: FixInput[] = [];
  const problems: Problem[] = [];
  if (args.paths.includes('-')) inputs.push({ path: '-', text: await readStdin(io) });
  const paths = args.paths.filter((path) => path !== '-').map((path) => resolve(io.cwd, path));
  if (paths.length === 0) return { inputs, problems };
  const { readManifestSources } = await import('../../collect/files/read-sources.js');
  const read = await readManifestSources(paths);
  for (const gap of read.gaps) {
    // Parse problems are the library's to report, per file; here only what could not be read at all.
    if (gap.code === 'NOT_FOUND' || gap.code === 'UNREADABLE' || gap.code === 'TOO_LARGE' || gap.code === 'BINARY') {
      // A Helm chart found by the walk is left alone on purpose, like a template file: not an error.
      problems.push({ source: gap.source, message: gap.message, fatal: !gap.message.startsWith('a Helm chart') });
    }
  }
  const seen = new Set<string>();
  for (const source of read.sources) {
    if (source.skipped !== undefined || seen.has(source.path) || problems.some((p) => p.source === source.path)) continue;
    seen.add(source.path);
    let text: string;
    try {
      text = await readFile(source.path, 'utf8');
    } catch (error) {
      problems.push({ source: source.path, message: `cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, fatal: true });
      continue;
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const refused = await kustomizeRefusal(source.path);
    inputs.push({ path: source.path, text, ...(refused !== undefined ? { refused } : {}) });
  }
  return { inputs, problems };
}

/** Writes a file atomically: a temporary file beside it, with its mode, renamed over it. */
async function writeAtomically(file: string, text: string): Promise<void> {
  const target = await realpath(file); // a symlink stays a symlink: its target is what changes
  await access(target, constants.W_OK); // a read-only file is reported, not replaced
  const { mode } = await stat(target);
  // root passes the access check: a file without any write bit is still read-only by intent.
  if ((mode & 0o222) === 0) throw Object.assign(new Error('read-only file'), { code: 'EACCES' });
  const temporary = join(dirname(target), `.${basename(target)}.eksguard-fix-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await writeFile(temporary, text, { mode: mode & 0o7777, flag: 'wx' });
    await chmod(temporary, mode & 0o7777); // the umask may have narrowed it
    await rename(temporary, target);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

/** A path as the user gave it: relative to the working directory when below it. */
function relativePath(path: string, io: Io): string {
  const cwd = io.cwd.endsWith('/') ? io.cwd : `${io.cwd}/`;
  return path.startsWith(cwd) ? path.slice(cwd.length) : path;
}

/** A path for the terminal: relative, control characters made visible, stdin named. */
function displayPath(path: string, io: Io): string {
  return path === '-' ? '<stdin>' : printable(relativePath(path, io));
}

function countByRule(files: readonly FileOutcome[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const file of files) for (const fix of file.applied) counts.set(fix.ruleId, (counts.get(fix.ruleId) ?? 0) + 1);
  return counts;
}

/** The summary after --write (and on stderr for the other modes): what changed, what is left, what to create. */
function summary(result: FixResult, io: Io, written: boolean): string {
  const lines: string[] = [];
  const changed = result.files.filter((file) => file.after !== file.before);
  const total = changed.reduce((n, file) => n + file.applied.length, 0);
  lines.push(`${written ? 'Fixed' : 'Would fix'} ${total} finding${total === 1 ? '' : 's'} in ${changed.length} file${changed.length === 1 ? '' : 's'}.`);
  for (const [rule, count] of [...countByRule(result.files)].sort((a, b) => a[0].localeCompare(b[0]))) lines.push(`  ${rule}: ${count}`);
  if (changed.length > 0) lines.push(`${written ? 'Changed' : 'Would change'}:`, ...changed.map((file) => `  ${displayPath(file.path, io)} (${file.applied.length} fix${file.applied.length === 1 ? '' : 'es'})`));
  for (const file of result.files) if (file.refused !== undefined) lines.push(`Left untouched: ${displayPath(file.path, io)}: ${printable(file.refused)}`);
  const group = (reason: LeftFinding['reason'], title: string): void => {
    const items = result.left.filter((left) => left.reason === reason);
    if (items.length === 0) return;
    lines.push('', `${title} (${items.length}):`);
    for (const item of items) {
      // Lines are the fixed text's: shown only once it is on disk.
      const where = item.file !== undefined ? ` (${displayPath(item.file, io)}${written && item.line !== undefined ? `:${item.line}` : ''})` : '';
      lines.push(`  ${item.ruleId}  ${printable(item.resource)}${where}${item.detail !== undefined ? `: ${printable(item.detail)}` : ''}`);
    }
  };
  group('review', 'Left for review: apply with --unsafe, or --rule ID');
  group('failed', 'Could not be written safely');
  group('refused', 'In files eksguard does not edit');
  group('none', 'No mechanical fix');
  if (result.create.length > 0) {
    lines.push('', `Create these (not written: eksguard does not guess which file should hold them) (${result.create.length}):`);
  }
  return `${lines.join('\n')}\n`;
}

/** The objects to create, as one YAML stream with a comment per object. */
async function createThese(result: FixResult): Promise<string> {
  if (result.create.length === 0) return '';
  const { stringify } = await import('yaml');
  return result.create.map((item) => `---\n# ${item.ruleId}${item.note !== undefined ? `: ${printable(item.note)}` : ''}\n${stringify(item.object)}`).join('');
}

function jsonReport(result: FixResult, io: Io): string {
  return `${JSON.stringify({
    files: result.files.map((file) => ({
      path: relativePath(file.path, io),
      changed: file.after !== file.before,
      ...(file.refused !== undefined ? { refused: file.refused } : {}),
      fixes: file.applied.map(({ ruleId, messageId, message, fixClass, resource, pointer, patch }) => ({
        ruleId, messageId, message, fixClass, resource, pointer,
        patch: patch.map((op) => ({ ...op, path: `/${op.path.map((s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}` })),
      })),
    })),
    left: result.left.map((left) => (left.file === undefined ? left : { ...left, file: relativePath(left.file, io) })),
    create: result.create,
    gaps: result.gaps.map((gap) => ({ ...gap, source: relativePath(gap.source, io) })),
  }, null, 2)}\n`;
}

export async function runFix(args: FixArgs, io: Io): Promise<ExitCode> {
  if (args.write && args.check) throw new UsageError('--write and --check exclude each other', 'eksguard fix --check changes nothing; --write edits the files.');
  if (args.paths.includes('-') && args.paths.length > 1) throw new UsageError('- (stdin) cannot be combined with other paths', 'Run eksguard fix - on its own; the fixed YAML goes to stdout.');
  const [{ fixSources, resolveFixOptions }, { loadConfig }] = await Promise.all([import('../../fix/fix.js'), import('../../scan.js')]);
  const loaded = await loadConfig(args.config === undefined ? undefined : resolve(io.cwd, args.config), io.cwd);
  const options = resolveFixOptions({
    config: loaded.config,
    ...(loaded.file !== undefined ? { configFile: loaded.file } : {}),
    rules: args.rules,
    unsafe: args.unsafe,
  });
  const { inputs, problems } = await readInputs(args, io);
  for (const problem of problems) io.stderr.write(`eksguard fix: ${displayPath(problem.source, io)}: ${printable(problem.message)}${problem.fatal ? '' : '; left untouched'}\n`);
  const result = fixSources(inputs, options);
  const changed = result.files.filter((file) => file.after !== file.before);
  // A file that did not parse is left untouched, and reported like an unreadable one.
  const unparsable = result.files.filter((file) => file.refused?.startsWith('does not parse') === true);
  let failed = problems.filter((problem) => problem.fatal).length + unparsable.length;

  if (args.paths.includes('-')) {
    const stdin = result.files.find((file) => file.path === '-');
    if (!args.check && stdin !== undefined) io.stdout.write(args.output === 'json' ? jsonReport(result, io) : stdin.after);
    io.stderr.write(summary(result, io, false) + (await createThese(result)));
    if (failed > 0) return ExitCode.Fatal;
    return args.check && changed.length > 0 ? ExitCode.Findings : ExitCode.Ok;
  }

  if (args.write) {
    for (const file of changed) {
      try {
        await writeAtomically(file.path, file.after);
      } catch (error) {
        failed += 1;
        const code = (error as NodeJS.ErrnoException).code;
        io.stderr.write(`eksguard fix: ${displayPath(file.path, io)}: cannot write (${code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? 'read-only' : (code ?? 'error')}); left as it was\n`);
      }
    }
    io.stdout.write(summary(result, io, true) + (await createThese(result)));
    return failed > 0 ? ExitCode.Fatal : ExitCode.Ok;
  }

  if (args.output === 'json') {
    io.stdout.write(jsonReport(result, io));
  } else if (!args.check) {
    const { createTwoFilesPatch } = await import('diff');
    for (const file of changed) {
      // A path outside the working directory stays absolute: `a/` and its leading slash would make
      // `a//tmp/x`, which git apply refuses; git itself writes `a/tmp/x`.
      const name = displayPath(file.path, io).replace(/^\/+/, '');
      io.stdout.write(createTwoFilesPatch(`a/${name}`, `b/${name}`, file.before, file.after, undefined, undefined, { context: 3 }).replace(/^=+\n/, ''));
    }
  }
  io.stderr.write(summary(result, io, false) + (await createThese(result)));
  if (failed > 0) return ExitCode.Fatal;
  return args.check && changed.length > 0 ? ExitCode.Findings : ExitCode.Ok;
}
