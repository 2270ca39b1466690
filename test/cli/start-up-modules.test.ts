/**
 * Start-up (issue #20): a command loads only the modules it uses. A manifest scan never loads the
 * AWS SDK or @kubernetes/client-node, and a scan of plain manifests without a config file loads
 * neither the `yaml` library nor Ajv (the fast readers and the rules' checked defaults do without
 * them). Packages are seen as they load: ES modules through a loader hook, CommonJS ones through
 * the require cache at exit. No timing here: `npm run bench` measures the start-up itself.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../temp-dir.js';

let dir: string;

beforeAll(() => {
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

/** The npm packages a run of the CLI loaded (scoped ones as @scope/name). */
function packagesLoaded(args: readonly string[], name: string): Set<string> {
  const log = join(dir, `${name}.log`);
  writeFileSync(log, '');
  const run = spawnSync(process.execPath, ['--import', join(dir, 'trace.mjs'), 'bin/eksguard.js', ...args], {
    encoding: 'utf8', env: { ...process.env, EKSGUARD_TEST_MODULES: log }, timeout: 60_000,
  });
  expect(run.stderr).not.toMatch(/Error|at .*\.js:\d+/);
  const packages = new Set<string>();
  for (const line of readFileSync(log, 'utf8').split('\n')) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(decodeURIComponent(line));
    if (match?.[1] !== undefined) packages.add(match[1]);
  }
  return packages;
}

const HEAVY = ['@aws-sdk/', '@smithy/', '@kubernetes/client-node', 'yaml', 'ajv', 'playwright-core', 'kubernetes-models', 'prom-client'];

function heavyIn(packages: Set<string>): string[] {
  return [...packages].filter((p) => HEAVY.some((h) => (h.endsWith('/') ? p.startsWith(h) : p === h))).sort();
}

describe('modules a command loads', () => {
  it('a manifest scan loads no AWS SDK, client-node, yaml or Ajv: only the argument parser, js-yaml and colours', () => {
    const report = join(dir, 'report.json');
    const packages = packagesLoaded(['scan', 'examples/hardened/web.yaml', '-o', `json=${report}`, '--fail-on', 'none'], 'scan');
    expect(JSON.parse(readFileSync(report, 'utf8'))).toHaveProperty('findings');
    expect(heavyIn(packages)).toEqual([]);
    expect([...packages].sort()).toEqual(['commander', 'js-yaml', 'picocolors']);
  });

  it('a scan with rule options in its config loads Ajv to check them, still no AWS SDK or client-node', () => {
    const config = join(dir, 'eksguard.yaml');
    writeFileSync(config, 'rules:\n  restrict-image-registries:\n    severity: high\n    options: {allowedRegistries: [registry.example.com]}\n');
    const packages = packagesLoaded(['scan', 'examples/hardened/web.yaml', '--config', config, '-o', `json=${join(dir, 'r2.json')}`, '--fail-on', 'none'], 'config');
    // The hook sees CommonJS packages too: Ajv is found when it loads.
    expect(heavyIn(packages)).toEqual(['ajv']);
  });

  it('a manifest with anchors and aliases loads the yaml library, which bounds their expansion', () => {
    const file = join(dir, 'aliases.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels: &l {app: x}, annotations: *l}\n');
    const packages = packagesLoaded(['scan', file, '-o', `json=${join(dir, 'r3.json')}`, '--fail-on', 'none'], 'aliases');
    expect(heavyIn(packages)).toEqual(['yaml']);
  });
});
