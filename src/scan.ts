import { readFile } from 'node:fs/promises';
import { readManifestSources, type SourceSummary } from './collect/files/read-sources.js';
import { ConfigError } from './core/errors.js';
import { Inventory } from './core/inventory.js';
import type { Gap } from './core/resource.js';
import { audit, type AuditResult } from './engine/audit.js';
import { EMPTY_CONFIG, parseConfig, type Config, type Exclusion } from './engine/config.js';
import { resolveRules, type EnabledRule } from './engine/rule-set.js';
import type { AnyRule } from './rules/define-rule.js';
import { builtinRules } from './rules/index.js';

export interface ScanOptions {
  /** Files, directories and `-` (standard input). */
  readonly paths: readonly string[];
  readonly stdin?: AsyncIterable<Buffer | string>;
  readonly config?: Config;
  readonly configFile?: string;
  /** Run only these rules. */
  readonly rules?: readonly string[];
  /** Namespaces whose findings are listed as exempted. */
  readonly excludeNamespaces?: readonly string[];
  readonly registry?: Readonly<Record<string, AnyRule>>;
  /** Keep every (rule, target) pair judged, for reports that list passes (JUnit). */
  readonly recordChecks?: boolean;
}

export interface ScanResult extends AuditResult {
  readonly sources: readonly SourceSummary[];
  readonly inventory: Inventory;
  /** The rules this scan ran, with effective severity and options (reporters list them, e.g. SARIF's tool.driver.rules). */
  readonly rules: readonly EnabledRule[];
}

/** Reads `eksguard.yaml` (or the named file). A named file that is missing is an error; a default one is optional. */
export async function loadConfig(file: string | undefined, cwd: string): Promise<{ config: Config; file?: string }> {
  const candidates = file ? [file] : [`${cwd}/eksguard.yaml`, `${cwd}/eksguard.yml`, `${cwd}/.eksguard.yaml`];
  for (const candidate of candidates) {
    let text: string;
    try {
      text = await readFile(candidate, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (!file && code === 'ENOENT') continue;
      throw new ConfigError(candidate, '', code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? 'error'})`);
    }
    return { config: parseConfig(candidate, text), file: candidate };
  }
  return { config: EMPTY_CONFIG };
}

/** Scans manifests: read the sources, run the enabled rules, apply exemptions. */
export async function scanManifests(options: ScanOptions): Promise<ScanResult> {
  const config = options.config ?? EMPTY_CONFIG;
  const enabled = resolveRules(options.registry ?? builtinRules, {
    config,
    ...(options.configFile ? { configFile: options.configFile } : {}),
    ...(options.rules ? { only: options.rules } : {}),
  });
  const read = await readManifestSources(options.paths, options.stdin ? { stdin: options.stdin } : {});
  const gaps: Gap[] = [...read.gaps];
  if (read.resources.length === 0 && read.gaps.length === 0) {
    gaps.push({ source: options.paths.join(', '), code: 'NO_INPUT', message: 'no Kubernetes objects found in the input' });
  }
  const inventory = new Inventory(read.resources, gaps, ['manifests']);
  const excluded: Exclusion[] = (options.excludeNamespaces ?? []).length > 0
    ? [{ reason: 'namespace excluded by --exclude-namespace', rules: [], namespaces: [...(options.excludeNamespaces ?? [])], kinds: [], names: [], labels: {} }]
    : [];
  const result = audit(inventory, enabled, {
    exclusions: [...excluded, ...config.exclusions],
    defaultExemptions: config.defaultExemptions,
    disallowAnnotationExemptions: config.disallowAnnotationExemptions,
  }, { recordChecks: options.recordChecks === true });
  return { ...result, sources: read.sources, inventory, rules: enabled };
}
