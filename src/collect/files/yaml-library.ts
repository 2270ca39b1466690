import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

/**
 * The `yaml` library, loaded on first use. The fast readers (block-yaml.ts, locate.ts) read what
 * people write without it; it is 70 modules that a scan of plain manifests would otherwise
 * compile at every start (see docs/performance.md). `createRequire` because callers are
 * synchronous: a dynamic `import()` would make every locate call async.
 */
let library: typeof Yaml | undefined;

export function yamlLibrary(): typeof Yaml {
  library ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  return library;
}
