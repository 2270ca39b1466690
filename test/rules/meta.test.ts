import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateAgainst } from '../../src/core/json-schema.js';
import { RULE_AREAS, type AnyRule } from '../../src/rules/define-rule.js';
import { builtinRules } from '../../src/rules/index.js';
import { designData } from '../support/conformance.js';

const REQUIRED_HEADINGS = ['## Rule Details', '## Remediation', '## When Not To Use It', '## References'];
const rules = Object.entries(builtinRules) as [string, AnyRule][];

describe('rule registry', () => {
  it('registers every rule file, keyed by its id, in sorted order', () => {
    const files = RULE_AREAS.flatMap((area) =>
      existsSync(`src/rules/${area}`) ? readdirSync(`src/rules/${area}`).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)) : []);
    expect(files.sort()).toEqual(Object.keys(builtinRules).sort());
    expect(Object.keys(builtinRules)).toEqual(Object.keys(builtinRules).sort());
    for (const [id, rule] of rules) expect(rule.id).toBe(id);
  });

  it('lists every rule in docs/rules/README.md', () => {
    const index = readFileSync('docs/rules/README.md', 'utf8');
    for (const [id, rule] of rules) expect(index).toContain(`| [${id}](${id}.md) | ${rule.meta.area} | ${rule.meta.severity} |`);
  });

  it('lists each rule\'s CIS Amazon EKS Benchmark ids in the README\'s CIS EKS column', () => {
    const index = readFileSync('docs/rules/README.md', 'utf8');
    expect(index).toContain('| rule | area | severity | evidence | title | CIS EKS |');
    for (const [id, rule] of rules) {
      const row = index.split('\n').find((line) => line.startsWith(`| [${id}](${id}.md) |`)) ?? '';
      const cis = (rule.meta.docs.controls ?? []).filter((c) => c.startsWith('cis-eks:')).map((c) => c.slice('cis-eks:'.length));
      expect(row.split('|').slice(-2, -1)[0]?.trim(), id).toBe(cis.join(', '));
      for (const c of cis) expect(c, id).toMatch(/^[1-5]\.\d+\.\d+$/);
    }
  });

  // The catalogue lives in the design notes, outside the repository (EKSGUARD_DESIGN_DIR).
  const catalogue = designData('RULES.md', 'the check of rule ids and severities against the public catalogue (test/rules/meta.test.ts)');
  it.skipIf(catalogue.missing)('uses only ids from the public catalogue, with its severities', () => {
    const text = readFileSync(catalogue.path, 'utf8');
    // The first wave's table is `| id | severity |`; the second wave's adds the area: `| id | area | severity |`.
    for (const [id, rule] of rules) {
      expect(text.includes(`| ${id} | ${rule.meta.severity} |`) || text.includes(`| ${id} | ${rule.meta.area} | ${rule.meta.severity} |`), id).toBe(true);
    }
  });
});

describe.each(rules)('%s', (id, rule) => {
  const area = rule.meta.area;

  it('lives in its area folder with a test file', () => {
    expect(existsSync(`src/rules/${area}/${id}.ts`)).toBe(true);
    expect(existsSync(`test/rules/${area}/${id}.test.ts`)).toBe(true);
  });

  it('has a doc page with its title and the required headings', () => {
    const doc = readFileSync(`docs/rules/${id}.md`, 'utf8');
    expect(doc.startsWith(`# ${id}\n`)).toBe(true);
    for (const heading of REQUIRED_HEADINGS) expect(doc).toContain(`\n${heading}\n`);
    const properties = Object.keys((rule.meta.schema?.properties ?? {}) as object);
    if (properties.length > 0) {
      expect(doc).toContain('\n## Options\n');
      for (const option of properties) expect(doc, `option ${option} documented`).toContain(`### ${option}`);
    }
  });

  it('shows on its doc page\'s Controls line exactly the CIS Amazon EKS Benchmark ids of its metadata', () => {
    const controls = readFileSync(`docs/rules/${id}.md`, 'utf8').split('\n').find((line) => line.startsWith('| Controls |')) ?? '';
    const cis = (rule.meta.docs.controls ?? []).filter((c) => c.startsWith('cis-eks:')).map((c) => c.slice('cis-eks:'.length));
    const shown = [...controls.matchAll(/CIS Amazon EKS Benchmark (\d[\d.]*(?:, \d[\d.]*)*)/g)].flatMap((m) => (m[1] ?? '').split(', '));
    expect(shown, `${id}: the Controls line names the rule's cis-eks controls, in order`).toEqual(cis);
  });

  it('has metadata written as sentences', () => {
    expect(rule.meta.docs.description).toMatch(/^[A-Z][^\n]*[^.]$/);
    expect(rule.meta.remediation).toMatch(/^[A-Z`][\s\S]*\.$/);
    expect(rule.meta.rationale).toMatch(/^[A-Z`][\s\S]*\.$/);
    expect(rule.meta.evidence.length).toBeGreaterThan(0);
    for (const message of Object.values(rule.meta.messages as Record<string, string>)) expect(message).toMatch(/\.$/);
  });

  it('declares the fix class of its suggestions (eksguard fix)', () => {
    const declared = rule.meta.fix;
    if (rule.meta.hasSuggestions !== true) {
      expect(declared).toBeUndefined();
      return;
    }
    expect(declared, 'a rule with suggestions says whether eksguard fix may apply them').toBeDefined();
    if (typeof declared === 'object') {
      const messages = Object.keys(rule.meta.messages as object);
      for (const [messageId, cls] of Object.entries(declared as object)) {
        expect(messages, `fix class for unknown messageId ${messageId}`).toContain(messageId);
        expect(['safe', 'review']).toContain(cls);
      }
    } else {
      expect(['safe', 'review']).toContain(declared);
    }
  });

  it('has defaults that satisfy its schema', () => {
    if (rule.meta.schema) {
      expect(rule.meta.schema.additionalProperties).toBe(false);
      expect(validateAgainst(rule.meta.schema, rule.defaultOptions)).toEqual([]);
      for (const [name, property] of Object.entries(rule.meta.schema.properties ?? {})) {
        expect((property as { description?: string }).description, `option ${name} has a description`).toBeTruthy();
      }
    } else {
      expect(rule.defaultOptions).toEqual({});
    }
  });
});
