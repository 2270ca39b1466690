/**
 * Start-up (issue #20): a command loads only the modules it uses. A manifest scan never loads the
 * AWS SDK or @kubernetes/client-node, and a scan of plain manifests loads neither the `yaml` library
 * nor Ajv (the fast readers and the rules' checked defaults do without them, and a config file is
 * checked by precompiled validators), nor the modules of other commands and report formats.
 * Modules are seen as they load: ES modules through a loader hook, CommonJS ones through the
 * require cache at exit. bin/eksguard.js runs the CLI's bundle (scripts/bundle.js): the files of
 * dist/cli-bundle/ a run loads stand for the source modules each holds (its modules.json), so a
 * bundle that joined another command's modules to the scan's fails here as the modules would.
 * No timing here: `npm run bench` measures the start-up itself.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../temp-dir.js';

let dir: string;
/** The source modules in each file of the bundle (`main.js` → `src/cli/main.ts`, …). */
let bundled: Record<string, string[]>;

beforeAll(() => {
  bundled = JSON.parse(readFileSync('dist/cli-bundle/modules.json', 'utf8')) as Record<string, string[]>;
  dir = makeTempDir('modules');
  // The loader hooks run on their own thread: they append each URL to the file named by the environment.
  writeFileSync(join(dir, 'hooks.mjs'), `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(process.env.EKSGUARD_TEST_MODULES, url + '\\n');
  return next(url, context);
}
`);
  writeFileSync(join(dir, 'trace.mjs'), `import { register, createRequire } from 'node:module';
import { appendFileSync } from 'node:fs';
register('./hooks.mjs', import.meta.url);
const cache = createRequire(import.meta.url).cache;
process.on('exit', () => appendFileSync(process.env.EKSGUARD_TEST_MODULES, Object.keys(cache).join('\\n') + '\\n'));
`);
});

/** The files a run of the CLI loaded: decoded paths and URLs, one per module. */
function modulesLoaded(args: readonly string[], name: string): string[] {
  const log = join(dir, `${name}.log`);
  writeFileSync(log, '');
  const run = spawnSync(process.execPath, ['--import', join(dir, 'trace.mjs'), 'bin/eksguard.js', ...args], {
    encoding: 'utf8', env: { ...process.env, EKSGUARD_TEST_MODULES: log }, timeout: 60_000,
  });
  expect(run.stderr).not.toMatch(/Error|at .*\.js:\d+/);
  return [...new Set(readFileSync(log, 'utf8').split('\n').filter((line) => line !== '').map((line) => decodeURIComponent(line)))];
}

/** The npm packages among loaded modules (scoped ones as @scope/name). */
function packagesOf(modules: readonly string[]): Set<string> {
  const packages = new Set<string>();
  for (const line of modules) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(line);
    if (match?.[1] !== undefined) packages.add(match[1]);
  }
  return packages;
}

function packagesLoaded(args: readonly string[], name: string): Set<string> {
  return packagesOf(modulesLoaded(args, name));
}

/**
 * The project's own modules among loaded ones, as paths under dist/ (`cli/main.js`): those a loaded
 * file of the bundle holds, and those loaded from dist/ itself (the precompiled validators).
 */
function ownModules(modules: readonly string[]): string[] {
  return modules.flatMap((line) => {
    if (line.includes('node_modules')) return [];
    const file = /\/dist\/cli-bundle\/([^/]+\.js)$/.exec(line)?.[1];
    if (file !== undefined) return (bundled[file] ?? [`${file}: not in modules.json`]).map((path) => path.replace(/^src\//, '').replace(/\.ts$/, '.js'));
    const match = /\/dist\/(.+\.c?js)$/.exec(line);
    return match?.[1] !== undefined ? [match[1]] : [];
  });
}

/** The files of the bundle among loaded modules. */
function bundleFiles(modules: readonly string[]): string[] {
  return modules.flatMap((line) => /\/dist\/cli-bundle\/([^/]+\.js)$/.exec(line)?.[1] ?? []);
}

const HEAVY = ['@aws-sdk/', '@smithy/', '@kubernetes/client-node', 'yaml', 'ajv', 'playwright-core', 'kubernetes-models', 'prom-client'];

function heavyIn(packages: Set<string>): string[] {
  return [...packages].filter((p) => HEAVY.some((h) => (h.endsWith('/') ? p.startsWith(h) : p === h))).sort();
}

describe('modules a command loads', () => {
  it('a manifest scan loads no AWS SDK, client-node, yaml or Ajv: only the argument parser and js-yaml', () => {
    const report = join(dir, 'report.json');
    const modules = modulesLoaded(['scan', 'examples/hardened/web.yaml', '-o', `json=${report}`, '--fail-on', 'none'], 'scan');
    expect(JSON.parse(readFileSync(report, 'utf8'))).toHaveProperty('findings');
    expect(heavyIn(packagesOf(modules))).toEqual([]);
    expect([...packagesOf(modules)].sort()).toEqual(['commander', 'js-yaml']);
  });

  it('a manifest scan runs the bundle: its modules come from a few of the bundle\'s files, none from dist/ itself', () => {
    const modules = modulesLoaded(['scan', 'examples/hardened/web.yaml', '-o', `json=${join(dir, 'r5.json')}`, '--fail-on', 'none'], 'bundle');
    expect(modules.filter((line) => /\/dist\/(?!cli-bundle\/)/.test(line) && !line.includes('node_modules'))).toEqual([]);
    const files = bundleFiles(modules);
    expect(files).toEqual(expect.arrayContaining(['main.js']));
    const own = ownModules(modules);
    // A few files for many modules, and only some of the bundle's: the other commands' chunks stay unloaded.
    expect(files.length * 3).toBeLessThan(own.length);
    expect(files.length * 2).toBeLessThan(Object.keys(bundled).length);
  });

  it('a manifest scan loads no module of another command, input or report format than its own', () => {
    const own = ownModules(modulesLoaded(['scan', 'examples/hardened/web.yaml', '-o', `json=${join(dir, 'r4.json')}`, '--fail-on', 'none'], 'own'));
    // The hook sees the project's modules: the scan's own are there.
    expect(own).toEqual(expect.arrayContaining(['cli/main.js', 'cli/commands/scan.js', 'scan.js', 'report/json.js', 'rules/index.js']));
    const foreign = own.filter((path) => (
      /^cli\/commands\/(?!scan\.js|fleet-options\.js)/.test(path) // other commands' registrations and runs
      || /^report\/(?!json\.js|aws-scope\.js)/.test(path) // other formats' renderers
      || /^(fleet|webhook|generate|incident|fix|completion|security-hub|snapshot|audit-log)\//.test(path)
      || /^collect\/(aws|aws-dump|kube)\//.test(path) || path === 'collect/kube-sources.js'
      || /^baseline\/(?!fingerprint\.js)/.test(path) || path.startsWith('core/validators/')
    ));
    expect(foreign).toEqual([]);
  });

  it('a table scan loads the table renderer and no other', () => {
    const own = ownModules(modulesLoaded(['scan', 'examples/hardened/web.yaml', '--fail-on', 'none'], 'table'));
    expect(own.filter((path) => path.startsWith('report/'))).toEqual(expect.arrayContaining(['report/table.js']));
    expect(own.filter((path) => /^report\/(json|sarif|junit|markdown|ocsf|asff|html\/)/.test(path))).toEqual([]);
  });

  it('a scan with rule options in its config checks them without Ajv: precompiled validators, Ajv\'s runtime helpers at most', () => {
    const config = join(dir, 'eksguard.yaml');
    writeFileSync(config, 'rules:\n  restrict-image-registries:\n    severity: high\n    options: {allowedRegistries: [registry.example.com]}\n');
    const modules = modulesLoaded(['scan', 'examples/hardened/web.yaml', '--config', config, '-o', `json=${join(dir, 'r2.json')}`, '--fail-on', 'none'], 'config');
    // The hook sees CommonJS modules too: Ajv's compiler would be found if it loaded.
    expect(ownModules(modules)).toEqual(expect.arrayContaining(['core/validators/config.generated.cjs', 'core/validators/options.generated.cjs']));
    expect(modules.filter((path) => /node_modules\/ajv\//.test(path) && !/node_modules\/ajv\/dist\/runtime\//.test(path))).toEqual([]);
    expect(heavyIn(packagesOf(modules)).filter((p) => p !== 'ajv')).toEqual([]);
  });

  it('a config that is not valid is reported in the same words, still without Ajv', () => {
    const config = join(dir, 'bad.yaml');
    writeFileSync(config, 'rules:\n  run-as-non-root: hgh\n');
    const log = join(dir, 'bad.log');
    writeFileSync(log, '');
    const run = spawnSync(process.execPath, ['--import', join(dir, 'trace.mjs'), 'bin/eksguard.js', 'scan', 'examples/hardened/web.yaml', '--config', config], {
      encoding: 'utf8', env: { ...process.env, EKSGUARD_TEST_MODULES: log }, timeout: 60_000,
    });
    expect(run.stderr).toContain('at /rules/run-as-non-root: `run-as-non-root` must be one of critical, high, medium, low, info, off — got `hgh`; did you mean `high`?');
    expect(readFileSync(log, 'utf8')).not.toMatch(/node_modules\/ajv\/dist\/(ajv|core)\.js/);
  });

  it('the other commands load when named, and with the help that lists every command', () => {
    const help = spawnSync(process.execPath, ['bin/eksguard.js', '--help'], { encoding: 'utf8', timeout: 60_000 });
    expect(help.stdout).toMatch(/^ {2}scan \[options\]/m);
    for (const command of ['pss', 'audit', 'generate', 'incident', 'webhook', 'fix', 'diff', 'completion']) expect(help.stdout).toMatch(new RegExp(`^ {2}${command} `, 'm'));
    const own = ownModules(modulesLoaded(['rbac', 'lookup', '', 'examples/hardened/web.yaml'], 'rbac'));
    expect(own.filter((path) => /^cli\/commands\/(fix|generate|webhook|completion)\.js$/.test(path))).toEqual([]);
  });

  it('a manifest with anchors and aliases loads the yaml library, which bounds their expansion', () => {
    const file = join(dir, 'aliases.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels: &l {app: x}, annotations: *l}\n');
    const packages = packagesLoaded(['scan', file, '-o', `json=${join(dir, 'r3.json')}`, '--fail-on', 'none'], 'aliases');
    expect(heavyIn(packages)).toEqual(['yaml']);
  });
});
