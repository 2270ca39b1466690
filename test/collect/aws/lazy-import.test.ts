/**
 * The AWS SDK takes long to load: only `--aws` may load it. Follows the static imports (not
 * `import type`, not `await import()`) from each entry point, as test/collect/kube/lazy-import does.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const STATIC_IMPORT = /^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;

function staticPackages(entry: string): Set<string> {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) {
      const specifier = match[1] ?? '';
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else packages.add(specifier);
    }
  };
  visit(resolve(entry));
  return packages;
}

describe('lazy loading of the AWS SDK', () => {
  it('is not loaded by the CLI entry point (eksguard --version), the library barrel or the scan', () => {
    for (const entry of ['src/cli/main.ts', 'src/index.ts', 'src/cli/commands/scan.ts', 'src/scan.ts']) {
      expect([...staticPackages(entry)].filter((p) => p.startsWith('@aws-sdk/') || p.startsWith('@smithy/')), entry).toEqual([]);
    }
  });

  it('is loaded by the collector, dynamically, and the scan reaches the collector (so the check above can fail)', () => {
    expect(readFileSync('src/collect/aws/collect.ts', 'utf8')).toContain("import('@aws-sdk/client-eks')");
    expect(readFileSync('src/scan.ts', 'utf8')).toContain("await import('./collect/aws/collect.js')");
    // The collector's helpers load the SDK only dynamically; a static import would match this pattern.
    expect([...staticPackages('src/collect/aws/clients.ts')].some((p) => p.startsWith('@aws-sdk/'))).toBe(false);
    expect('import { EKSClient } from \'@aws-sdk/client-eks\';'.match(STATIC_IMPORT)).not.toBeNull();
  });
});
