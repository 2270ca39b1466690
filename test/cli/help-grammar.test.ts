/**
 * Every command's `--help` against what it accepts. The commander tree is walked as `main` builds
 * it: every option help shows parses; every format `-o` lists is accepted and every format the
 * command accepts is listed; `--fail-on` accepts exactly the values help lists.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, type Option } from 'commander';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runCli } from '../cli-harness.js';
import { makeTempDir } from '../temp-dir.js';
import { PassThrough, Readable } from 'node:stream';

const realParse = Command.prototype.parseAsync;

/** The program `main(argv)` builds, captured before it parses (nothing runs). */
async function programFor(argv: readonly string[]): Promise<Command> {
  let captured: Command | undefined;
  const spy = vi.spyOn(Command.prototype, 'parseAsync').mockImplementation(function (this: Command) {
    // The program itself is what is wanted: commander calls parseAsync on it.
    captured = this; // eslint-disable-line @typescript-eslint/no-this-alias
    return Promise.resolve(this);
  });
  try {
    await main(argv, { stdout: new PassThrough(), stderr: new PassThrough(), stdin: Readable.from([]), env: {}, cwd: process.cwd() });
  } finally {
    spy.mockRestore();
  }
  if (captured === undefined) throw new Error('main did not parse');
  return captured;
}

function leaves(command: Command, path: string[] = []): string[][] {
  const subs = command.commands.filter((c) => c.name() !== 'help');
  if (subs.length === 0) return [path];
  return subs.flatMap((c) => leaves(c, [...path, c.name()]));
}

function find(program: Command, path: readonly string[]): Command {
  let at = program;
  for (const name of path) {
    const next = at.commands.find((c) => c.name() === name);
    if (next === undefined) throw new Error(`no command ${path.join(' ')}`);
    at = next;
  }
  return at;
}

/** Values to try for an option that takes one (a word, then a number), when the test only checks that it parses. */
function samples(option: Option): (string | undefined)[] {
  if (option.negate || (!option.required && !option.optional)) return [undefined];
  if (option.argChoices?.[0] !== undefined) return [option.argChoices[0]];
  return option.long === '--output' ? ['json'] : ['x', '30'];
}

let paths: string[][] = [];
let dir = '';
beforeAll(async () => {
  paths = leaves(await programFor(['--help']));
  dir = makeTempDir('help-grammar');
  writeFileSync(join(dir, 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: { name: p, namespace: a }\nspec: { containers: [{ name: c, image: c:1 }] }\n');
  writeFileSync(join(dir, 'audit.log'), '');
});

afterEach(() => { vi.restoreAllMocks(); });

describe('every command', () => {
  it('is found in the tree (the walk sees every leaf command)', () => {
    const names = paths.map((p) => p.join(' '));
    for (const expected of ['scan', 'rules', 'pss check', 'pss advise', 'rbac risky', 'rbac who-can', 'audit analyze', 'generate tenant', 'snapshot', 'diff']) expect(names).toContain(expected);
  });

  it('parses every option its help lists', async () => {
    const failures: string[] = [];
    for (const path of paths) {
      const program = await programFor(path);
      const command = find(program, path);
      const help = command.helpInformation();
      const args = command.registeredArguments.filter((a) => a.required).map(() => 'x');
      for (const option of command.options) {
        if (!help.includes(option.flags)) failures.push(`${path.join(' ')}: ${option.flags} not in help`);
        const flag = option.long ?? option.short ?? '';
        // Options every run needs (snapshot's --output-file) are given each time.
        const required = command.options.filter((o) => o.mandatory && o !== option).flatMap((o) => [o.long ?? '', 'x']);
        const errors: string[] = [];
        let seen: Record<string, unknown> | undefined;
        for (const value of samples(option)) {
          seen = undefined;
          command.action((...actionArgs: unknown[]) => { seen = (actionArgs.at(-1) as Command).opts(); });
          try {
            await realParse.call(program, [...path, ...args, ...required, flag, ...(value !== undefined ? [value] : [])], { from: 'user' });
            break;
          } catch (error) {
            errors.push(`${path.join(' ')} ${flag} ${value ?? ''}: ${error instanceof CommanderError ? error.message : String(error)}`);
          }
        }
        if (seen === undefined) failures.push(...errors);
        else if (!(option.attributeName() in seen)) failures.push(`${path.join(' ')} ${flag}: not given to the command`);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});

describe('-v, --verbose', () => {
  it('every command printing a table of findings or risks lists it in --help, from the one definition, and takes both spellings', async () => {
    const withVerbose: string[] = [];
    for (const path of paths) {
      const program = await programFor(path);
      const command = find(program, path);
      const option = command.options.find((o) => o.long === '--verbose');
      if (option === undefined) continue;
      withVerbose.push(path.join(' '));
      expect(option.flags, path.join(' ')).toBe('-v, --verbose');
      // Made by verboseOption (src/cli/options.ts): the same opening words everywhere.
      expect(option.description, path.join(' ')).toMatch(/^the table in full( \(with [^)]+\))?: /);
      expect(command.helpInformation(), path.join(' ')).toMatch(/\n {2}-v, --verbose +the table in full[ :]/);
      const args = command.registeredArguments.filter((a) => a.required).map(() => 'x');
      for (const flag of ['-v', '--verbose']) {
        let seen: Record<string, unknown> | undefined;
        command.action((...actionArgs: unknown[]) => { seen = (actionArgs.at(-1) as Command).opts(); });
        await realParse.call(program, [...path, ...args, flag], { from: 'user' });
        expect(seen?.verbose, `${path.join(' ')} ${flag}`).toBe(true);
      }
    }
    expect(withVerbose.sort()).toEqual(['audit analyze', 'audit queries', 'rbac risky', 'scan']);
  }, 60_000);

  it('audit queries takes -v with --run only (the printed queries are no table)', async () => {
    const run = await runCli(['audit', 'queries', '-v']);
    expect([run.code, run.stderr]).toEqual([2, 'eksguard: --all-clusters, --since, --region, --concurrency and -v go with --run\n']);
  });
});

/** `-o`'s formats as help lists them: commander's choices, or the `report format: a|b|c` list. */
function listedFormats(command: Command): string[] | undefined {
  const output = command.options.find((o) => o.long === '--output');
  if (output === undefined) return undefined;
  if (output.argChoices !== undefined) return [...output.argChoices];
  const m = /report format: ([a-z|]+)/.exec(output.description);
  return m?.[1]?.split('|');
}

/** Arguments that get a command past "nothing to read" to where it judges its options. */
function inputs(path: readonly string[]): string[] {
  const name = path.join(' ');
  if (name === 'audit analyze') return [join(dir, 'audit.log')];
  if (['scan', 'pss check', 'pss advise', 'rbac risky'].includes(name)) return [join(dir, 'pod.yaml')];
  return [];
}

const FORMAT_ERROR = /unknown format|is invalid|Allowed choices|printed queries are/;

describe('-o and --fail-on: help lists what is accepted', () => {
  it('every format help lists is accepted, and an unknown one is refused with exactly the listed formats', async () => {
    const checked: string[] = [];
    for (const path of paths) {
      const program = await programFor(path);
      const command = find(program, path);
      const formats = listedFormats(command);
      if (formats === undefined || path.join(' ') === 'audit queries') continue;
      checked.push(path.join(' '));
      for (const format of formats) {
        const run = await runCli([...path, ...inputs(path), '-o', format, '--allow-gaps'].filter((a) => a !== '--allow-gaps' || command.options.some((o) => o.long === '--allow-gaps')), { cwd: dir });
        expect(run.stderr, `${path.join(' ')} -o ${format}`).not.toMatch(FORMAT_ERROR);
      }
      const bad = await runCli([...path, ...inputs(path), '-o', 'bogus'], { cwd: dir });
      expect(bad.code, path.join(' ')).toBe(2);
      const list = /expected one of ([a-z, ]+);?/.exec(bad.stderr)?.[1] ?? /Allowed choices are ([a-z, ]+)\./.exec(bad.stderr)?.[1];
      expect(list?.split(', '), `${path.join(' ')}: ${bad.stderr}`).toEqual(formats);
    }
    expect(checked).toEqual(expect.arrayContaining(['scan', 'pss check', 'pss advise', 'rbac risky', 'rbac who-can', 'audit analyze', 'rules']));
  }, 300_000);

  it('--fail-on accepts exactly the values its help lists, info included', async () => {
    for (const path of paths) {
      const program = await programFor(path);
      const command = find(program, path);
      const option = command.options.find((o) => o.long === '--fail-on');
      if (option === undefined) continue;
      const listed = /at or above: ([a-z|]+)/.exec(option.description)?.[1]?.split('|');
      expect(listed, path.join(' ')).toEqual(['critical', 'high', 'medium', 'low', 'info', 'none']);
      const bad = await runCli([...path, ...inputs(path), '--fail-on', 'bogus'], { cwd: dir });
      if (path.join(' ') === 'diff' || path.join(' ') === 'webhook') continue; // they read their inputs first
      expect(bad.stderr, path.join(' ')).toContain(`--fail-on bogus: expected one of ${(listed ?? []).join(', ')}`);
    }
  }, 120_000);
});

describe("the parser's own errors", () => {
  it('carry the eksguard: prefix, and what was typed reaches stderr escaped', async () => {
    const run = await runCli(['scan', '--bogus-\u001b]0;owned\u0007']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^eksguard: unknown option '--bogus-\\x1b\]0;owned\\x07'\n/);
    expect(run.stderr).not.toContain('\u001b');
    expect((await runCli(['rbac', 'who-can'])).stderr).toMatch(/^eksguard: missing required argument 'verb'\n/);
    expect((await runCli(['rules', '-o', 'yaml'])).stderr).toMatch(/^eksguard: option '-o, --output <format>' argument 'yaml' is invalid/);
  });
});
