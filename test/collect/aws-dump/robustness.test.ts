import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAwsDump } from '../../../src/collect/aws-dump/recognise.js';
import { selectCluster } from '../../../src/collect/aws-dump/select.js';
import { Inventory } from '../../../src/core/inventory.js';
import { audit } from '../../../src/engine/audit.js';
import { EMPTY_CONFIG } from '../../../src/engine/config.js';
import { resolveRules } from '../../../src/engine/rule-set.js';
import { builtinRules } from '../../../src/rules/index.js';

function files(dir: string): { path: string; doc: unknown }[] {
  const out: { path: string; doc: unknown }[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push({ path: p, doc: JSON.parse(readFileSync(p, 'utf8')) as unknown });
    }
  };
  walk(dir);
  return out;
}

/** Every path to a value inside a JSON document. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const here = prefix.length > 0 ? [prefix] : [];
  if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => paths(v, [...prefix, i]))];
  if (value !== null && typeof value === 'object') return [...here, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]))];
  return here;
}

function replaced(doc: unknown, path: readonly (string | number)[], value: unknown): unknown {
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1] as string | number] = value;
  return copy;
}

const DUMP = [...files('test/fixtures/aws/weak'), ...files('test/fixtures/aws/hardened')];
const rules = resolveRules(builtinRules, { config: EMPTY_CONFIG });

describe('AWS evidence of unexpected shapes', () => {
  it('never makes the scan throw: a rule that trips over a value is a gap naming it, the rest goes on', () => {
    fc.assert(fc.property(
      fc.nat(DUMP.length - 1), fc.nat(), fc.oneof(fc.constant(null), fc.string(), fc.integer(), fc.boolean(), fc.constant([]), fc.constant({}), fc.array(fc.string(), { maxLength: 2 })),
      (fileIndex, pathSeed, value) => {
        const target = DUMP[fileIndex];
        if (target === undefined) return;
        const candidates = paths(target.doc);
        const path = candidates[pathSeed % Math.max(candidates.length, 1)];
        const mutated = path === undefined ? value : replaced(target.doc, path, value);
        const parsed = parseAwsDump(DUMP.map((f, i) => ({ path: f.path, text: JSON.stringify(i === fileIndex ? mutated : f.doc) })));
        for (const name of ['shop-weak', 'shop-hardened']) {
          try {
            selectCluster(parsed.evidence, name, 'dump');
          } catch (error) {
            expect((error as Error).name).toBe('UsageError');
          }
        }
        const result = audit(new Inventory([], parsed.gaps, [], parsed.evidence), rules, { exclusions: [], defaultExemptions: false, disallowAnnotationExemptions: false });
        expect(result.summary.checks).toBeGreaterThan(0);
      },
    ), { numRuns: 400, seed: 20_261_127 }); // a fixed seed: the same mutations on every run, so CI never flakes
  });
});
