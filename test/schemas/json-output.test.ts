/**
 * Every `-o json` document the CLI writes, on the bundled examples and fixtures, validates against
 * its schema — closed (no key the schema lacks) and as shipped — and the shipped files, the
 * package's `files` and docs/json-output.md's gap codes are current.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GAP_CODES } from '../../src/core/resource.js';
import { SCHEMA_NAMES, documentSchema, schemaFileText } from '../../src/schemas/documents.js';
import { gapCodesMarkdown, withGapCodes } from '../../src/schemas/gap-codes-doc.js';
import { SCHEMA_VERSIONS, type SchemaName } from '../../src/schemas/versions.js';
import { runCli } from '../cli-harness.js';

const INSECURE = 'examples/insecure';
const HARDENED = 'examples/hardened';
const AUDIT_LOG = 'examples/audit-logs/eks-audit-export.log';
const RBAC = 'test/fixtures/rbac/eks-1.31-fresh.yaml';
const AWS_WEAK = 'test/fixtures/aws/weak';

const closed = new Ajv({ allErrors: true, strict: true });
const shipped = new Ajv({ allErrors: true, strict: true });
const validators = Object.fromEntries(SCHEMA_NAMES.map((name) => [name, {
  closed: closed.compile(documentSchema(name, { closed: true })),
  shipped: shipped.compile(JSON.parse(readFileSync(`schemas/${name}.schema.json`, 'utf8')) as object),
}])) as Record<SchemaName, { closed: ReturnType<Ajv['compile']>; shipped: ReturnType<Ajv['compile']> }>;

function errorsOf(name: SchemaName, document: unknown, form: 'closed' | 'shipped'): string {
  const validate = validators[name][form];
  return validate(document) ? '' : JSON.stringify(validate.errors?.slice(0, 5), null, 1);
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'eksguard-schemas-'));
  // Input with problems, so documents carry gaps: a YAML error and a document that is not an object.
  writeFileSync(join(dir, 'broken.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: [unclosed\n');
  writeFileSync(join(dir, 'not-object.yaml'), 'apiVersion: apps/v1\nkind: 42\n');
  writeFileSync(join(dir, 'not-audit.log'), '{"hello": "world"}\nnot json\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI and parses its JSON; the exit code is not this test's business, the document is. */
async function json(args: readonly string[], cwd?: string): Promise<Record<string, unknown>> {
  const run = await runCli(args, cwd !== undefined ? { cwd } : {});
  expect(run.stdout, `${args.join(' ')}: ${run.stderr}`).toMatch(/^\{/);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

interface Case {
  readonly name: string;
  readonly schema: SchemaName;
  readonly run: () => Promise<Record<string, unknown>>;
  /** What the document must hold, so the case exercises what it claims to. */
  readonly check?: (doc: Record<string, unknown>) => void;
}

const arrayAt = (doc: Record<string, unknown>, key: string): unknown[] => doc[key] as unknown[];

const CASES: readonly Case[] = [
  {
    name: 'scan of the insecure example',
    schema: 'scan',
    run: () => json(['scan', INSECURE, '-o', 'json']),
    check: (doc) => {
      expect(arrayAt(doc, 'findings').length).toBeGreaterThan(5);
      expect(arrayAt(doc, 'notEvaluated').length).toBeGreaterThan(0);
      expect(arrayAt(doc, 'findings').some((f) => (f as { suggestions: unknown[] }).suggestions.length > 0)).toBe(true);
    },
  },
  { name: 'scan of the hardened example', schema: 'scan', run: () => json(['scan', HARDENED, '-o', 'json']) },
  {
    name: 'scan of the hardened example by bin/eksguard.js, as installed (dist/: npm run build)',
    schema: 'scan',
    run: () => new Promise((done, fail) => {
      expect(existsSync('dist/cli/main.js'), 'run npm run build first').toBe(true);
      execFile(process.execPath, ['bin/eksguard.js', 'scan', HARDENED, '-o', 'json'], { timeout: 50_000 }, (error, stdout) => {
        if (error !== null && typeof error.code !== 'number') fail(error);
        else done(JSON.parse(stdout) as Record<string, unknown>);
      });
    }),
  },
  {
    name: 'scan with gaps',
    schema: 'scan',
    run: () => json(['scan', INSECURE, join(dir, 'broken.yaml'), join(dir, 'not-object.yaml'), join(dir, 'missing.yaml'), '-o', 'json']),
    check: (doc) => expect(new Set(arrayAt(doc, 'gaps').map((g) => (g as { code: string }).code))).toEqual(new Set(['YAML_SYNTAX', 'NOT_A_KUBE_OBJECT', 'NOT_FOUND'])),
  },
  {
    name: 'scan with AWS evidence (AWS resources)',
    schema: 'scan',
    run: () => json(['scan', '--aws-dump', AWS_WEAK, '-o', 'json']),
    check: (doc) => expect(arrayAt(doc, 'findings').some((f) => (f as { resource: { arn: unknown } }).resource.arn !== null)).toBe(true),
  },
  {
    name: 'scan with a baseline (baseline and baselineState)',
    schema: 'scan',
    run: async () => {
      const old = await runCli(['scan', `${INSECURE}/shop.yaml`, '-o', 'json']);
      writeFileSync(join(dir, 'baseline.json'), old.stdout);
      return json(['scan', INSECURE, '--baseline', join(dir, 'baseline.json'), '-o', 'json']);
    },
    check: (doc) => expect(doc.baseline).not.toBeNull(),
  },
  {
    name: 'audit analyze of the example log (evidence, exempted, timeline)',
    schema: 'audit-analyze',
    run: () => json(['audit', 'analyze', 'eks-audit-export.log', '-o', 'json'], 'examples/audit-logs'),
    check: (doc) => {
      expect(arrayAt(doc, 'findings').length).toBeGreaterThan(0);
      expect(arrayAt(doc, 'exempted').length).toBeGreaterThan(0);
      expect(doc.summary).not.toHaveProperty('score');
    },
  },
  {
    name: 'audit analyze with gaps and detections not evaluated (no config)',
    schema: 'audit-analyze',
    run: () => json(['audit', 'analyze', AUDIT_LOG, join(dir, 'not-audit.log'), '-o', 'json']),
    check: (doc) => {
      expect(arrayAt(doc, 'gaps').length).toBeGreaterThan(0);
      expect(arrayAt(doc, 'notEvaluated').length).toBeGreaterThan(0);
    },
  },
  { name: 'audit queries, printed', schema: 'audit-queries', run: () => json(['audit', 'queries', '--cluster-name', 'prod', '-o', 'json']) },
  {
    name: 'pss check at restricted',
    schema: 'pss-check',
    run: () => json(['pss', 'check', INSECURE, '--level', 'restricted', '-o', 'json']),
    check: (doc) => expect(arrayAt(doc, 'results').some((r) => (r as { allowed: boolean }).allowed === false)).toBe(true),
  },
  {
    name: 'pss check at namespace labels, with gaps',
    schema: 'pss-check',
    run: () => json(['pss', 'check', HARDENED, INSECURE, join(dir, 'broken.yaml'), '-o', 'json']),
    check: (doc) => expect(arrayAt(doc, 'gaps').length).toBeGreaterThan(0),
  },
  { name: 'pss advise', schema: 'pss-advise', run: () => json(['pss', 'advise', INSECURE, HARDENED, '-o', 'json']) },
  {
    name: 'rbac who-can',
    schema: 'rbac-who-can',
    run: () => json(['rbac', 'who-can', 'get', 'secrets', RBAC, '-n', 'kube-system', '-o', 'json']),
    check: (doc) => expect(arrayAt(doc, 'subjects').length).toBeGreaterThan(1),
  },
  { name: 'rbac who-can, a non-resource URL', schema: 'rbac-who-can', run: () => json(['rbac', 'who-can', 'get', '/metrics', RBAC, '-o', 'json']) },
  {
    name: 'rbac lookup',
    schema: 'rbac-lookup',
    run: () => json(['rbac', 'lookup', 'system:', RBAC, '-o', 'json']),
    check: (doc) => expect(arrayAt(doc, 'rows').length).toBeGreaterThan(0),
  },
  {
    name: 'rbac risky of the insecure example, with gaps',
    schema: 'rbac-risky',
    run: () => json(['rbac', 'risky', INSECURE, RBAC, join(dir, 'broken.yaml'), '-o', 'json']),
    check: (doc) => expect(arrayAt(doc, 'gaps').length).toBeGreaterThan(0),
  },
  {
    name: 'diff of two scans',
    schema: 'diff',
    run: async () => {
      writeFileSync(join(dir, 'old.json'), (await runCli(['scan', `${INSECURE}/shop.yaml`, '-o', 'json'])).stdout);
      writeFileSync(join(dir, 'new.json'), (await runCli(['scan', `${INSECURE}/node-agents.yaml`, '-o', 'json'])).stdout);
      return json(['diff', join(dir, 'old.json'), join(dir, 'new.json'), '-o', 'json']);
    },
    check: (doc) => {
      const summary = doc.summary as { new: number; fixed: number };
      expect(summary.new).toBeGreaterThan(0);
      expect(summary.fixed).toBeGreaterThan(0);
    },
  },
];

describe('every -o json document validates against its schema', () => {
  it('covers every schema', () => {
    expect(new Set(CASES.map((c) => c.schema))).toEqual(new Set(SCHEMA_NAMES));
  });

  it.each(CASES)('$name', async ({ schema, run, check }) => {
    const doc = await run();
    expect(doc.schemaVersion).toBe(SCHEMA_VERSIONS[schema]);
    expect(Object.keys(doc)[0]).toBe('schemaVersion');
    check?.(doc);
    expect(errorsOf(schema, doc, 'closed')).toBe('');
    expect(errorsOf(schema, doc, 'shipped')).toBe('');
  }, 60_000);
});

describe('the schemas reject broken documents', () => {
  let scan: Record<string, unknown>;
  beforeAll(async () => { scan = await json(['scan', INSECURE, '-o', 'json']); }, 60_000);
  const findingsOf = (doc: Record<string, unknown>) => doc.findings as Record<string, unknown>[];

  it('a finding without its severity', () => {
    const broken = structuredClone(scan);
    delete findingsOf(broken)[0]?.severity;
    expect(errorsOf('scan', broken, 'shipped')).toContain('severity');
  });

  it('a severity that is not one', () => {
    const broken = structuredClone(scan);
    (findingsOf(broken)[0] as Record<string, unknown>).severity = 'urgent';
    expect(errorsOf('scan', broken, 'shipped')).not.toBe('');
  });

  it('a gap code the code cannot emit, and a line that is not a number', () => {
    const broken = { ...structuredClone(scan), gaps: [{ source: 'x.yaml', line: '4', code: 'OOPS', message: 'm' }] };
    const errors = errorsOf('scan', broken, 'shipped');
    expect(errors).toContain('/gaps/0/code');
    expect(errors).toContain('/gaps/0/line');
  });

  it('another schemaVersion', () => {
    expect(errorsOf('scan', { ...scan, schemaVersion: 2 }, 'shipped')).toContain('schemaVersion');
  });

  it('an absent value left out instead of null', () => {
    const broken = structuredClone(scan);
    delete broken.baseline;
    expect(errorsOf('scan', broken, 'shipped')).toContain('baseline');
  });

  it('a key the schema lacks: refused closed, accepted as shipped (keys may be added)', () => {
    const added = { ...scan, later: true };
    expect(errorsOf('scan', added, 'closed')).toContain('additionalProperties');
    expect(errorsOf('scan', added, 'shipped')).toBe('');
  });
});

describe('derived files are current', () => {
  it.each(SCHEMA_NAMES)('schemas/%s.schema.json (npx tsx scripts/machine-output.ts)', (name) => {
    expect(readFileSync(`schemas/${name}.schema.json`, 'utf8')).toBe(schemaFileText(name));
  });

  it('the package ships schemas/', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('schemas');
  });

  it("docs/json-output.md lists exactly the gap codes of GAP_CODES (npx tsx scripts/machine-output.ts)", () => {
    const page = readFileSync('docs/json-output.md', 'utf8');
    expect(withGapCodes(page)).toBe(page);
    const listed = [...page.matchAll(/^- `([A-Z_]+)`: /gm)].map((m) => m[1]);
    expect(listed).toEqual(Object.keys(GAP_CODES));
    expect(gapCodesMarkdown().split('\n')).toHaveLength(Object.keys(GAP_CODES).length);
  });

  it('the gap-code schema enum is GAP_CODES', () => {
    const schema = JSON.parse(readFileSync('schemas/scan.schema.json', 'utf8')) as { properties: { gaps: { items: { properties: { code: { enum: string[] } } } } } };
    expect(schema.properties.gaps.items.properties.code.enum).toEqual(Object.keys(GAP_CODES));
  });
});
