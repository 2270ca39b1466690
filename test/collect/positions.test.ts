import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import jsYaml from 'js-yaml';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { readBlockYaml, UNSUPPORTED } from '../../src/collect/files/block-yaml.js';
import { chunksOf } from '../../src/collect/files/documents.js';
import { locateFast, yamlLibraryLocator } from '../../src/collect/files/locate.js';
import { PositionIndex, PositionTable } from '../../src/collect/files/positions.js';
import type { FieldPath } from '../../src/core/finding.js';
import { conformanceData } from '../support/conformance.js';

/** Every path inside a value, plus missing children (rules point at absent fields too). */
function pathsOf(value: unknown, prefix: FieldPath = []): FieldPath[] {
  const out: FieldPath[] = [prefix];
  if (Array.isArray(value)) {
    value.forEach((item, i) => out.push(...pathsOf(item, [...prefix, i])));
    out.push([...prefix, value.length], [...prefix, 'name']);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) out.push(...pathsOf(child, [...prefix, key]));
    out.push([...prefix, 'notThere', 'deeper'], [...prefix, 0]);
  } else {
    out.push([...prefix, 'inside']);
  }
  return out;
}


/**
 * Whatever the block reader reads, it places every path where the `yaml` library does; with
 * `orLineLocator`, where either it or the line locator did before positions were recorded (that
 * one places an empty item, `- ` ending a line, at its dash; the library after it).
 */
function expectSamePlaces(text: string, orLineLocator = false): boolean {
  const table = new PositionTable(4);
  const value = readBlockYaml(text, false, table);
  if (value === UNSUPPORTED) {
    expect(table.size).toBe(0);
    return false;
  }
  const index = new PositionIndex(table, 0, text);
  const library = yamlLibraryLocator(text);
  for (const path of pathsOf(value)) {
    const placed = index.locate(path);
    const line = orLineLocator ? locateFast(text, path) : undefined;
    if (line !== undefined && placed.line === line.line && placed.column === line.column) continue;
    expect(placed, `path ${JSON.stringify(path)} in\n${text}`).toEqual(library(path));
  }
  return true;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? yamlFiles(path) : /\.ya?ml$/.test(name) ? [path] : [];
  });
}

const key = fc.oneof(
  fc.constantFrom('name', 'image', 'a b', 'app.kubernetes.io/name', 'system:masters', 'it\'s', 'a"b', 'tab\there', '0', '12', 'é', '', ' x', 'a#b'),
  fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_./-]{0,8}$/),
);
const scalar = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constantFrom('a:b', "it's", 'a, b', '[x]', 'line\nbreak', 'x\n'));
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: 'small' }, scalar, tie('map'), tie('list')),
  map: fc.dictionary(key, tie('tree'), { maxKeys: 4 }),
  list: fc.array(tie('tree'), { maxLength: 3 }),
}));
const document = fc.dictionary(key, tree, { minKeys: 1, maxKeys: 5 });

const printers: readonly ((value: unknown) => string)[] = [
  (value) => jsYaml.dump(value, { lineWidth: -1 }),
  (value) => jsYaml.dump(value, { flowLevel: 1, lineWidth: -1 }),
  (value) => jsYaml.dump(value, { flowLevel: 2, lineWidth: -1 }).replaceAll('{', '{ ').replaceAll('}', ' }'),
  (value) => jsYaml.dump(value, { noArrayIndent: true, quotingType: '"', lineWidth: -1 }),
  (value) => jsYaml.dump(value, { forceQuotes: true, lineWidth: -1 }),
  (value) => stringify(value, { lineWidth: 0 }),
  (value) => stringify(value, { indentSeq: false, defaultStringType: 'QUOTE_SINGLE', lineWidth: 0 }),
  (value) => `---\n# comment\n\n${stringify(value, { indent: 4 })}`,
  // Empty items with their content on the next line, and comments after dashes.
  (value) => jsYaml.dump(value, { lineWidth: -1 }).replaceAll(/^( *)- /gm, (_m, spaces: string) => `${spaces}-\n${spaces}  `),
  (value) => jsYaml.dump(value, { lineWidth: -1 }).replaceAll(/^( *)- /gm, (_m, spaces: string) => `${spaces}- # item\n${spaces}  `),
];

const conformance = conformanceData('.', 'the positions test on all the conformance YAML (test/collect/positions.test.ts)');

describe('positions recorded by the block reader', () => {
  it('place every path where the `yaml` library does, in documents printed in every common style', () => {
    let read = 0;
    fc.assert(fc.property(document, fc.nat({ max: printers.length - 1 }), (value, printer) => {
      if (expectSamePlaces((printers[printer] as (v: unknown) => string)(value))) read += 1;
    }), { numRuns: 1500 });
    expect(read).toBeGreaterThan(600);
  });

  it('place every path where the `yaml` library does in near-misses a small edit made, when the reader still reads them', () => {
    const insert = fc.constantFrom(' ', '  ', ':', ': ', '- ', '-\n  ', '#', ' #', '\n', '\n  ', '"', "'", '|', '[', ']', '{', '}', ',', 'a', '---');
    const edit = fc.record({ at: fc.nat(), remove: fc.nat({ max: 3 }), insert });
    fc.assert(fc.property(document, fc.nat({ max: printers.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 3 }), (value, printer, edits) => {
      let text = (printers[printer] as (v: unknown) => string)(value);
      for (const { at, remove, insert: added } of edits) {
        const position = at % (text.length + 1);
        text = text.slice(0, position) + added + text.slice(position + remove);
      }
      expectSamePlaces(text, true);
    }), { numRuns: 1500 });
  });

  it('place every path where the `yaml` library does in the bundled examples and fixtures', () => {
    let read = 0;
    for (const file of [...yamlFiles('examples'), ...yamlFiles('test/fixtures')]) {
      for (const chunk of chunksOf(readFileSync(file, 'utf8'))) if (expectSamePlaces(chunk.text)) read += 1;
    }
    expect(read).toBeGreaterThan(20);
  });

  it.skipIf(conformance.missing)('place every path where the `yaml` library does in the conformance data', () => {
    let read = 0;
    for (const file of yamlFiles(conformance.path)) {
      for (const chunk of chunksOf(readFileSync(file, 'utf8'))) if (expectSamePlaces(chunk.text)) read += 1;
    }
    expect(read).toBeGreaterThan(1000);
  }, 300_000);

  it('index the items of a large sequence and the keys of a large mapping', () => {
    const items = Array.from({ length: 500 }, (_, i) => ({ name: `n${i}`, value: i }));
    const keys = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, { v: i }]));
    const text = jsYaml.dump({ items, keys });
    expect(expectSamePlaces(text)).toBe(true);
  });
});
