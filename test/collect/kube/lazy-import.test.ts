/**
 * @kubernetes/client-node takes over a second to load: only `--cluster` may load it. Follows the
 * static imports (not `import type`, not `await import()`) from each entry point.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const STATIC_IMPORT = /^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;

/** Every module reached by static imports from `entry`: relative ones as paths, packages by name. */
function staticGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(STATIC_IMPORT)) {
      const specifier = match[1] ?? '';
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else packages.add(specifier);
    }
  };
  visit(resolve(entry));
  return { files, packages };
}

describe('lazy loading of the Kubernetes client', () => {
  it('is not loaded by the CLI entry point (eksguard --version) or the library barrel', () => {
    for (const entry of ['src/cli/main.ts', 'src/index.ts', 'src/cli/commands/scan.ts', 'src/cli/commands/snapshot.ts']) {
      const { packages } = staticGraph(entry);
      expect([...packages].filter((p) => p.startsWith('@kubernetes/')), entry).toEqual([]);
    }
  });

  it('is loaded by the collector (so the check above can fail)', () => {
    const { packages, files } = staticGraph('src/collect/kube/collect.ts');
    expect(packages).toContain('@kubernetes/client-node');
    expect(files).toContain(join(process.cwd(), 'src/collect/kube/connection.ts'));
  });
});
