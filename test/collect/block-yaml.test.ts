import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import jsYaml from 'js-yaml';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { readBlockYaml, UNSUPPORTED } from '../../src/collect/files/block-yaml.js';
import { chunksOf } from '../../src/collect/files/documents.js';
import { KUBE_YAML_SCHEMA } from '../../src/collect/files/yaml-schema.js';
import { conformanceData } from '../support/conformance.js';

type Outcome = { value: unknown } | { error: true };

function withJsYaml(text: string): Outcome {
  try {
    return { value: jsYaml.load(text, { schema: KUBE_YAML_SCHEMA }) };
  } catch {
    return { error: true };
  }
}

/**
 * The one property that matters: whatever the fast reader accepts, js-yaml reads to the same
 * value; whatever js-yaml rejects, the fast reader gives up on (so js-yaml can name the error).
 */
function expectAgreement(text: string): boolean {
  const fast = readBlockYaml(text);
  if (fast === UNSUPPORTED) return false;
  const reference = withJsYaml(text);
  expect(reference, `js-yaml rejects what the fast reader accepted:\n${text}`).not.toHaveProperty('error');
  expect(fast, `different values for:\n${text}`).toStrictEqual((reference as { value: unknown }).value);
  return true;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? yamlFiles(path) : /\.ya?ml$/.test(name) ? [path] : [];
  });
}

// Strings that look like other YAML types, or hold YAML's indicators, as values and keys.
const TRICKY = ['yes', 'No', 'on', 'OFF', 'y', 'n', 'true', 'False', '~', 'null', 'NULL', '', ' ', ' a', 'a ', '0644', '0x1F', '0o17', '1_000', '+1', '-1', '1e3',
  '1.5', '.inf', '-.Inf', '.NaN', '12:30', '2024-01-01', '100m', 'a #b', 'a#b', 'a: b', 'a:b', 'a:', '#x', '- x', '-x', '? x', ': x', '"q"', "'", "it's", '\\', 'a\\nb',
  'a\nb', 'a\n', '\n', 'tab\there', '[a]', '{a: 1}', 'a, b', '&anchor', '*alias', '!tag', '|', '>', '%', '@', '`', '<<', '---', '...', '\u00e9t\u00e9', 'http://x:80/#/a'];

const key = fc.oneof(fc.constantFrom('name', 'image', 'securityContext', 'a b', 'app.kubernetes.io/name', 'x-y_z', 'system:masters', ...TRICKY), fc.string({ maxLength: 6 }));
const scalar = fc.oneof(fc.constantFrom<unknown>(...TRICKY), fc.string({ maxLength: 10 }), fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null));
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: 'small' }, scalar, tie('map'), tie('list')),
  map: fc.dictionary(key, tie('tree'), { maxKeys: 4 }),
  list: fc.array(tie('tree'), { maxLength: 3 }),
}));
const document = fc.dictionary(key, tree, { minKeys: 1, maxKeys: 5 });

/** The ways tools print YAML: kubectl/Helm-like block style, js-yaml's and `yaml`'s options. */
const printers: readonly ((value: unknown) => string)[] = [
  (value) => jsYaml.dump(value, { lineWidth: -1 }),
  (value) => jsYaml.dump(value, { lineWidth: 20 }),
  (value) => jsYaml.dump(value, { flowLevel: 2, lineWidth: -1 }),
  // Hand-written style: short maps and lists on one line below block mappings (`labels: { app: web }`).
  (value) => jsYaml.dump(value, { flowLevel: 1, lineWidth: -1 }),
  (value) => jsYaml.dump(value, { flowLevel: 3, lineWidth: -1 }).replaceAll('{', '{ ').replaceAll('}', ' }'),
  (value) => jsYaml.dump(value, { noArrayIndent: true, quotingType: '"', lineWidth: -1 }),
  (value) => jsYaml.dump(value, { forceQuotes: true, lineWidth: -1 }),
  (value) => stringify(value, { lineWidth: 0 }),
  (value) => stringify(value, { indentSeq: false, defaultStringType: 'QUOTE_SINGLE', lineWidth: 0 }),
  (value) => stringify(value, { collectionStyle: 'flow', lineWidth: 0 }),
  (value) => `---\n# comment\n${stringify(value, { indent: 4 })}`,
];

// Edits that turn valid YAML into the near-misses people type: each must be read as js-yaml reads it, or given up on.
const EDIT_TEXT = [' ', '  ', ':', ': ', '-', '- ', '#', ' #', '\n', '\n  ', '"', "'", '|', '|-', '|+', '>', '[', ']', '{', '}', ',', 'a', '1', '---', '...', '&', '*', '!', '?', '\t', '\r', '\\'];
const edit = fc.record({ at: fc.nat(), remove: fc.nat({ max: 3 }), insert: fc.constantFrom(...EDIT_TEXT) });

function applyEdits(text: string, edits: readonly { at: number; remove: number; insert: string }[]): string {
  let out = text;
  for (const { at, remove, insert } of edits) {
    const position = at % (out.length + 1);
    out = out.slice(0, position) + insert + out.slice(position + remove);
  }
  return out;
}

/** How many documents of the files there are, and how many readBlockYaml read itself (all compared with js-yaml). */
function agreeOnFiles(files: readonly string[]): { documents: number; accepted: number } {
  let documents = 0;
  let accepted = 0;
  for (const file of files) {
    for (const chunk of chunksOf(readFileSync(file, 'utf8'))) {
      documents += 1;
      if (expectAgreement(chunk.text)) accepted += 1;
    }
  }
  return { documents, accepted };
}

const conformance = conformanceData('.', 'the readBlockYaml test on all the conformance YAML (test/collect/block-yaml.test.ts)');

describe('readBlockYaml', () => {
  it('reads what js-yaml reads for documents printed in every common style', () => {
    let accepted = 0;
    fc.assert(fc.property(document, fc.nat({ max: printers.length - 1 }), (value, printer) => {
      if (expectAgreement((printers[printer] as (v: unknown) => string)(value))) accepted += 1;
    }), { numRuns: 1500 });
    expect(accepted).toBeGreaterThan(600); // it must read most of them itself, not hand everything over
  });

  it('never accepts differently what a small edit turned into a near-miss or an error', () => {
    let accepted = 0;
    fc.assert(fc.property(document, fc.nat({ max: printers.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 3 }), (value, printer, edits) => {
      if (expectAgreement(applyEdits((printers[printer] as (v: unknown) => string)(value), edits))) accepted += 1;
    }), { numRuns: Number(process.env.FUZZ_RUNS ?? 4000) });
    expect(accepted).toBeGreaterThan(Number(process.env.FUZZ_RUNS ?? 4000) / 10); // edits it still reads must be compared too
  });

  it('agrees with js-yaml on the bundled examples and fixtures, and reads nearly all of them itself', () => {
    // eksguard fix's fixtures hold every comment position and style YAML allows, on purpose: agreement is checked, the share is not.
    const exotic = yamlFiles('test/fixtures/fix');
    expect(agreeOnFiles(exotic).documents).toBeGreaterThan(0);
    const { documents, accepted } = agreeOnFiles([...yamlFiles('examples'), ...yamlFiles('test').filter((f) => !exotic.includes(f))]);
    expect(documents).toBeGreaterThan(10);
    // A few dozen documents: one exotic example moves the share by several points. The one left
    // to js-yaml today is a folded scalar (`>-`); flow scalars such as `name: system:masters` are read.
    expect(accepted / documents).toBeGreaterThan(0.9);
  });

  it.skipIf(conformance.missing)('agrees with js-yaml on the conformance data, and reads nearly all of it itself', () => {
    const { documents, accepted } = agreeOnFiles(yamlFiles(conformance.path));
    expect(documents).toBeGreaterThan(1000);
    expect(accepted / documents).toBeGreaterThan(0.95);
  });

  it.each([
    ['a typical Deployment', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web  # the app\n  labels: {app: web, tier: "front"}\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: nginx:1.25\n        args: ["--port", \'8080\']\n        securityContext:\n          privileged: yes\n          capabilities:\n            drop: [ALL]\n'],
    ['indented sequences and compact mappings', 'items:\n  - a: 1\n    b:\n      - x\n      -\n      - z: ~\n  - c\n'],
    ['literal block scalars with every chomping', 'a: |\n  line 1\n\n    indented\n  line 3\n\n\nb: |-\n  x\n\nc: |+\n  y\n\n\nd: 1\n'],
    ['a block scalar that ends the document', 'data:\n  script: |\n    #!/bin/sh\n    echo "#1"\n'],
    ['comments everywhere', '# head\na: 1 # one\n  # indented comment\nb:   # nothing\n#\nc: x#y\n'],
    ['quoted keys and escapes', '"a b": "tab\\there \\u00e9 \\"q\\""\n\'c\': \'it\'\'s\'\n'],
    ['flow scalars holding a colon, as RBAC dumps write them', 'subjects:\n  - { apiGroup: rbac.authorization.k8s.io, kind: Group, name: system:masters }\nurls: [http://x:80/a, "b"]\n'],
    ['a document marker with a comment', '--- # first\nkind: List\nitems: []\n'],
    ['YAML 1.1 booleans, nulls and numbers', 'a: yes\nb: off\nc: ~\nd: 0x1F\ne: 1e3\nf: .inf\ng: 0644\nh: 12:30\n'],
    // Both readers look keys and short values up among those met before, wherever met: the same
    // texts as block and flow keys and values, long and short, strings and not.
    ['texts met as block and flow keys and values', 'containerPort: yes\nports: [{containerPort: 8080, name: containerPort}, {name: RuntimeDefault, x: 8080}]\nRuntimeDefault: {x8081: [containerPort, yes, RuntimeDefault, "yes", 8080]}\nlast: {containerPort: ~, hex: 0x1F  , text: a b  }\n'],
  ])('agrees with js-yaml on %s', (_name, text) => {
    expect(expectAgreement(text)).toBe(true);
  });

  it.each([
    ['anchors and aliases', 'a: &x 1\nb: *x\n'],
    ['tags', 'a: !!str 1\n'],
    ['folded scalars', 'a: >\n  folded\n  text\n'],
    ['multi-line plain scalars', 'a: one\n  two\n'],
    ['multi-line flow collections', 'a: [1,\n  2]\n'],
    ['duplicate keys', 'a: 1\na: 2\n'],
    ['merge keys', 'base: {a: 1}\nmerged:\n  <<: {b: 2}\n'],
    ['tabs', 'a:\tb\n'],
    ['carriage returns', 'a: b\r\n'],
    ['a mapping value on the key line', 'a: b: c\n'],
    ['bad indentation', 'a:\n    b: 1\n  c: 2\n'],
    ['an empty document', '# nothing\n'],
    ['a scalar document', 'just text\n'],
    ['directives', '%YAML 1.2\n---\na: 1\n'],
    ['a key that reads as a number', '80: http\n'],
    ['a flow key that reads as a number or null, met before as a value', 'a: 8080\nb: [8080, ~]\nc: {8080: x}\n'],
    ['nested compact sequences', '- - a\n'],
  ])('leaves %s to js-yaml', (_name, text) => {
    expect(readBlockYaml(text)).toBe(UNSUPPORTED);
  });
});
