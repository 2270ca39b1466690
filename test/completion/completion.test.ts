/**
 * `eksguard completion bash|zsh|fish`: the model read from a commander tree, and the scripts run
 * by the real shells — bash's completion function with COMP_WORDS/COMP_CWORD set, fish's
 * `complete -C`, zsh's function with compadd and _files standing in for the completion system —
 * on the words a user would have typed. The words reach the shells as arguments, never as code.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { allDetections } from '../../src/audit-log/registry.js';
import { OUTPUT_FORMATS, parseFailOn } from '../../src/cli/commands/scan.js';
import { completionModel } from '../../src/completion/model.js';
import { completionScript } from '../../src/completion/scripts.js';
import { SEVERITIES } from '../../src/core/finding.js';
import { builtinRules } from '../../src/rules/index.js';
import { runCli } from '../cli-harness.js';
import { externalProgram } from '../support/external.js';
import { makeTempDir } from '../temp-dir.js';

const RULE_IDS = Object.keys(builtinRules).sort();
const DETECTION_IDS = allDetections().map((d) => d.id);

describe('completionModel', () => {
  const program = new Command('tool').option('--debug', 'debug');
  program.command('scan')
    .argument('[paths...]', 'files')
    .addOption(new Option('-o, --output <format>', 'format').choices(['table', 'json']))
    .option('--fail-on <severity>', 'exit 1 at or above critical|high|none (default: high)')
    .option('--rule <id>', 'only this rule')
    .option('--config <file>', 'configuration file')
    .option('--context <name>', 'a context')
    .option('--quiet', 'quiet');
  program.command('rules').argument('[id]', 'a rule id');
  const nodes = completionModel(program, { options: { '--rule': ['r1', 'r2'] }, arguments: { rules: ['r1', 'r2'] } });
  const scan = nodes.find((n) => n.path === 'scan');

  it('has every command, with its subcommands and options (help included)', () => {
    expect(nodes.map((n) => n.path)).toEqual(['', 'scan', 'rules']);
    expect(nodes[0]?.subcommands).toEqual(['scan', 'rules']);
    expect(nodes[0]?.options).toEqual(['--debug', '-h', '--help']);
    expect(scan?.options).toEqual(['-o', '--output', '--fail-on', '--rule', '--config', '--context', '--quiet', '-h', '--help']);
  });

  it('takes values from choices, from the list the help names, from registries; files from the placeholder', () => {
    expect(scan?.valueOptions).toEqual([
      { flags: ['-o', '--output'], values: ['table', 'json'], files: false },
      { flags: ['--fail-on'], values: ['critical', 'high', 'none'], files: false },
      { flags: ['--rule'], values: ['r1', 'r2'], files: false },
      { flags: ['--config'], values: [], files: true },
      { flags: ['--context'], values: [], files: false },
    ]);
    expect(scan?.files).toBe(true);
    expect(nodes.find((n) => n.path === 'rules')).toMatchObject({ argumentValues: ['r1', 'r2'], files: false });
  });

  it('refuses to write a word that would need shell quoting', () => {
    const odd = completionModel(new Command('tool').addOption(new Option('--mode <m>', 'm').choices(['a b'])), { options: {}, arguments: {} });
    expect(() => completionScript('bash', odd)).toThrow('"a b" is not a plain word');
  });
});

describe('eksguard completion', () => {
  it('refuses a shell it has no script for', async () => {
    const run = await runCli(['completion', 'tcsh']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("'tcsh' is invalid");
    expect(run.stderr).toContain('Allowed choices are bash, zsh, fish.');
  });

  it('prints one script per shell, made for that shell', async () => {
    expect((await runCli(['completion', 'bash'])).stdout).toContain('complete -o filenames -F _eksguard eksguard\n');
    expect((await runCli(['completion', 'zsh'])).stdout).toMatch(/^#compdef eksguard\n/);
    expect((await runCli(['completion', 'fish'])).stdout).toContain("complete -c eksguard -f -a '(__eksguard_complete)'\n");
  });
});

/** A directory with files to complete, and the scripts, written once. */
let dir: string;
const scripts: Record<string, string> = {};
beforeAll(async () => {
  dir = makeTempDir('completion');
  writeFileSync(join(dir, 'deploy.yaml'), '');
  writeFileSync(join(dir, 'dump.json'), '');
  for (const shell of ['bash', 'zsh', 'fish'] as const) {
    scripts[shell] = join(dir, `eksguard.${shell}`);
    writeFileSync(scripts[shell], (await runCli(['completion', shell])).stdout);
  }
});

/** What a shell offers for the words typed (the last one being completed), one per line. */
type Complete = (words: readonly string[]) => string[];

/** Runs a shell; `status` 1 is how a zsh completion function says it offered nothing. */
function shellRun(program: string, args: readonly string[], okStatus: readonly number[] = [0]): string[] {
  const run = spawnSync(program, args, { cwd: dir, encoding: 'utf8', timeout: 20_000, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir } });
  expect(run.stderr).toBe('');
  expect(okStatus).toContain(run.status);
  const lines = run.stdout.split('\n').filter((l) => l !== '');
  if (run.status !== 0) expect(lines).toEqual([]);
  return lines;
}

/** The cases every shell passes: what it offers, whatever the shell filters by itself. */
function sharedCases(complete: Complete, filtersByPrefix: boolean) {
  const starting = (prefix: string, words: readonly string[]) => (filtersByPrefix ? words.filter((w) => w.startsWith(prefix)) : words);

  it('commands, then subcommands', () => {
    expect(complete(['eksguard', 'sc'])).toEqual(filtersByPrefix ? ['scan'] : expect.arrayContaining(['scan', 'snapshot', 'completion']));
    expect(complete(['eksguard', 'rbac', '']).sort()).toEqual(['lookup', 'risky', 'who-can']);
  });

  it('options of the command the words name, past other options and their values', () => {
    expect(complete(['eksguard', 'scan', '--fa'])).toEqual(filtersByPrefix ? ['--fail-on'] : expect.arrayContaining(['--fail-on', '--output', '--rule']));
    const afterValues = complete(['eksguard', 'scan', '-o', 'json', '--rule', 'x', '--co']);
    expect(afterValues).toEqual(expect.arrayContaining([...starting('--co', ['--config', '--context', '--color'])]));
    expect(afterValues).not.toContain('--tls-cert');
    // -v of the table commands comes from the tree too.
    for (const command of [['scan'], ['audit', 'analyze'], ['audit', 'queries'], ['rbac', 'risky']]) expect(complete(['eksguard', ...command, '--ver']), command.join(' ')).toEqual(filtersByPrefix ? ['--verbose'] : expect.arrayContaining(['--verbose']));
  });

  it('-o formats of each command, as its help lists them', () => {
    expect(complete(['eksguard', 'scan', '-o', '']).sort()).toEqual([...OUTPUT_FORMATS].sort());
    const risky = complete(['eksguard', 'rbac', 'risky', '--output', '']);
    expect(risky).toEqual(expect.arrayContaining(['json', 'sarif', 'table']));
    expect(risky.every((format) => (OUTPUT_FORMATS as readonly string[]).includes(format))).toBe(true);
    // What --fail-on's help lists, every value of it one the parser takes.
    const failOn = complete(['eksguard', 'scan', '--fail-on', '']);
    expect(failOn).toEqual(expect.arrayContaining([...SEVERITIES.filter((s) => s !== 'info'), 'none']));
    for (const value of failOn) expect(() => parseFailOn(value)).not.toThrow();
  });

  it('rule ids and detection ids from the registries', () => {
    expect(complete(['eksguard', 'scan', '--rule', '']).sort()).toEqual(RULE_IDS);
    expect(complete(['eksguard', 'rules', 'no-host']).sort()).toEqual(starting('no-host', RULE_IDS));
    expect(complete(['eksguard', 'audit', 'analyze', '--detection', '']).sort()).toEqual([...DETECTION_IDS].sort());
  });

  it('files for paths and file options, nothing for a free value', () => {
    expect(complete(['eksguard', 'scan', 'dep'])).toContain('deploy.yaml');
    expect(complete(['eksguard', 'scan', '--baseline', 'du'])).toContain('dump.json');
    expect(complete(['eksguard', 'scan', '--context', ''])).toEqual([]);
  });
}

const bash = externalProgram('bash', 'the bash completion tests');
describe.skipIf(bash.missing)('the bash script, in bash', () => {
  const complete: Complete = (words) => shellRun(bash.path, ['-c',
    'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _eksguard; printf "%s\\n" "${COMPREPLY[@]}"',
    'bash', scripts.bash ?? '', ...words]);
  sharedCases(complete, true);
});

const fish = externalProgram('fish', 'the fish completion tests');
describe.skipIf(fish.missing)('the fish script, in fish (complete -C)', () => {
  const complete: Complete = (words) => shellRun(fish.path, ['--no-config', '-c', 'source $argv[1]; complete -C (string join " " -- $argv[2..-1])', scripts.fish ?? '', ...words])
    .map((line) => line.split('\t')[0] ?? '');
  it('is valid fish (fish -n)', () => {
    expect(shellRun(fish.path, ['-n', scripts.fish ?? ''])).toEqual([]);
  });
  sharedCases(complete, true);
});

const zsh = externalProgram('zsh', 'the zsh completion tests');
describe.skipIf(zsh.missing)('the zsh script, in zsh (compadd and _files stand in for the completion system)', () => {
  // compadd's matching by prefix is zsh's own: the stub lists every candidate given.
  const complete: Complete = (words) => shellRun(zsh.path, ['-f', '-c',
    'compdef() { : }; compadd() { shift; print -l -- "$@" }; _files() { print -l -- ${words[CURRENT]}*(N) }; source "$1"; shift; words=("$@"); CURRENT=$#; _eksguard',
    'zsh', scripts.zsh ?? '', ...words], [0, 1]);
  it('is valid zsh (zsh -n)', () => {
    expect(shellRun(zsh.path, ['-n', scripts.zsh ?? ''])).toEqual([]);
  });
  sharedCases(complete, false);
});
