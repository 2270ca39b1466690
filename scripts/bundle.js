#!/usr/bin/env node
// The CLI's bundle (`npm run build`, after tsc): bin/eksguard.js and bin/kubectl-eksguard.js run
// dist/cli-bundle/, not the ~210 modules tsc writes to dist/. Node 20's ES module loader resolves,
// reads and compiles each module on its own, and for a scan of a small file that was more than half
// of the whole process (docs/performance.md, start-up). dist/ stays as tsc writes it: it is the
// library (`dist/index.js`) and its types.
//
// - Code splitting: every `await import()` of the sources stays a chunk of its own, loaded when it
//   is today (another command, a report format, the AWS SDK collectors), so a command still loads
//   only what it uses (test/cli/start-up-modules.test.ts).
// - `packages: 'external'`: dependencies stay in node_modules and load as they do from dist/ (the
//   lazy ones lazily); only eksguard's own modules are joined.
// - Bundled from src/ (TypeScript, as vitest runs it), so the source maps lead to src/. They are
//   written beside the chunks but not named in them (`sourcemap: 'external'`): a linked map costs
//   nothing until source maps are enabled, and `--enable-source-maps` costs every start; the npm
//   package ships no maps (package.json `files`). src/cli/stack-trace.ts reads them when an
//   internal error's stack is printed.
// - Each module keeps its own `import.meta.url`: files found relative to a module (package.json,
//   docs/rules/, the precompiled validators, the `yaml` library) are found from its place under
//   dist/, as unbundled. Except the worker threads' entry modules, which the module starting one
//   names beside itself (`new URL('./parse-worker.js', import.meta.url)`): that URL is left to the
//   chunk, and each worker is a bundle of its own beside the chunks (a worker is a new isolate that
//   shares no module with the main thread, and one file starts sooner than a few chunks).
// - Flat: entries and chunks are all in dist/cli-bundle/, so that any chunk finds the workers.
import { rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const dist = join(root, 'dist');
export const BUNDLE_DIR = join(dist, 'cli-bundle');

/** What the bin scripts import. */
const ENTRIES = {
  main: 'src/cli/main.ts',
  'kubectl-plugin': 'src/cli/kubectl-plugin.ts',
  errors: 'src/core/errors.ts',
  // bin/eksguard.js starts the second thread of a large audit log's read with it, before the CLI loads.
  'audit-prestart': 'src/audit-log/sources/files/range-worker.ts',
};
/** The worker threads' modules, each a bundle named as the module starting it names it. */
const WORKERS = ['src/collect/files/parse-worker.ts', 'src/audit-log/sources/files/worker.ts'];

const entryPoints = Object.fromEntries(Object.entries(ENTRIES).map(([name, path]) => [name, join(root, path)]));
const workerEntries = Object.fromEntries(WORKERS.map((path) => [basename(path, '.ts'), join(root, path)]));
const workerPaths = new Set(Object.values(workerEntries));
if (Object.keys(workerEntries).length !== WORKERS.length || Object.keys(workerEntries).some((name) => name in ENTRIES)) {
  throw new Error('two files of the bundle would have the same name');
}

/** `import.meta.url` of a source module as its tsc output under dist/ would see it, from a chunk in BUNDLE_DIR. */
function ownUrl(path) {
  const built = join(dist, relative(src, path)).replace(/\.ts$/, '.js');
  return `new URL(${JSON.stringify(relative(BUNDLE_DIR, built).split(sep).join('/'))}, import.meta.url).href`;
}

const moduleUrls = {
  name: 'module-urls',
  setup(bundle) {
    bundle.onLoad({ filter: /\.ts$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const contents = text.replace(/new URL\((['"])\.\/([\w-]+)\.js\1, import\.meta\.url\)|import\.meta\.url/g, (match, _quote, name) => (
        name !== undefined && workerPaths.has(resolve(dirname(args.path), `${name}.ts`)) ? match : match.replace('import.meta.url', ownUrl(args.path))
      ));
      return { contents, loader: 'ts' };
    });
  },
};

const OPTIONS = {
  outdir: BUNDLE_DIR,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  entryNames: '[name]',
  chunkNames: 'chunk-[hash]',
  sourcemap: 'external',
  sourcesContent: false,
  metafile: true,
  plugins: [moduleUrls],
  logLevel: 'warning',
};

export async function bundle() {
  rmSync(BUNDLE_DIR, { recursive: true, force: true });
  const workers = await build({ ...OPTIONS, entryPoints: workerEntries, splitting: false });
  const cli = await build({ ...OPTIONS, entryPoints, splitting: true });
  // Which of eksguard's modules each file of the bundle holds: the start-up test reads it to see
  // which modules a command loaded. Not shipped (package.json `files`).
  const modules = Object.fromEntries([workers, cli].flatMap((result) => Object.entries(result.metafile.outputs))
    .filter(([file]) => file.endsWith('.js'))
    .map(([file, output]) => [basename(file), Object.keys(output.inputs).sort()]));
  writeFileSync(join(BUNDLE_DIR, 'modules.json'), `${JSON.stringify(modules, null, 1)}\n`);
  return modules;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const modules = await bundle();
  const files = Object.keys(modules).length;
  const own = new Set(Object.values(modules).flat()).size;
  console.log(`bundle: ${own} modules in ${files} files (${relative(root, BUNDLE_DIR)}/)`);
}
