import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../src/collect/files/parse-manifests.js';
import { EMPTY_CONFIG } from '../../src/engine/config.js';
import { fixSources, resolveFixOptions } from '../../src/fix/fix.js';
import type { AnyRule } from '../../src/rules/define-rule.js';
import { builtinRules } from '../../src/rules/index.js';

const fixture = (name: string): string => readFileSync(`test/fixtures/fix/${name}`, 'utf8');

/** Every full-line comment of a text, in order. */
const commentLines = (text: string): string[] => text.split('\n').filter((line) => /^\s*#/.test(line)).map((line) => line.trim());

/** restrict-host-path suggests readOnly only for a host path its options allow. */
const HOST_PATH_CONFIG = { ...EMPTY_CONFIG, rules: { 'restrict-host-path': { options: { allowedPrefixes: ['/var/log'] } } } };

const GOLDEN = [
  { input: 'commented.yaml', output: 'commented.fixed.yaml', unsafe: false, config: EMPTY_CONFIG },
  { input: 'commented.yaml', output: 'commented.unsafe.yaml', unsafe: true, config: EMPTY_CONFIG },
  { input: 'list.json', output: 'list.fixed.json', unsafe: false, config: EMPTY_CONFIG },
  { input: 'every-fix.yaml', output: 'every-fix.fixed.yaml', unsafe: true, config: HOST_PATH_CONFIG },
] as const;

describe.each(GOLDEN)('$input (unsafe: $unsafe)', ({ input, output, unsafe, config }) => {
  const options = resolveFixOptions({ unsafe, config });
  const result = fixSources([{ path: input, text: fixture(input) }], options);
  const fixed = result.files[0]?.after ?? '';

  it('matches the golden file', () => {
    expect(fixed).toBe(fixture(output));
  });

  it('keeps every full-line comment, in order, and the document separators', () => {
    expect(commentLines(fixed)).toEqual(commentLines(fixture(input)));
    expect(fixed.match(/^(---|\.\.\.)$/gm)).toEqual(fixture(input).match(/^(---|\.\.\.)$/gm));
  });

  it('changes nothing on a second run, and leaves no finding whose fix it may apply', () => {
    const again = fixSources([{ path: input, text: fixed }], options);
    expect(again.files[0]?.after).toBe(fixed);
    expect(again.files[0]?.applied).toEqual([]);
    expect(again.left.filter((left) => left.reason === 'failed')).toEqual([]);
  });

  it('reads back as objects of the same kinds and names', () => {
    const names = (text: string) => parseManifests(input, text).resources.map((r) => `${r.ref.kind}/${r.ref.name}`);
    expect(names(fixed)).toEqual(names(fixture(input)));
  });
});

describe('the commented manifest', () => {
  const safe = fixSources([{ path: 'commented.yaml', text: fixture('commented.yaml') }], resolveFixOptions({}));
  const unsafe = fixSources([{ path: 'commented.yaml', text: fixture('commented.yaml') }], resolveFixOptions({ unsafe: true }));

  it('applies only safe fixes by default and lists the rest for review', () => {
    expect(safe.files[0]?.applied.every((fix) => fix.fixClass === 'safe')).toBe(true);
    const review = safe.left.filter((left) => left.reason === 'review').map((left) => left.ruleId);
    expect(review).toEqual(expect.arrayContaining(['no-privileged-containers', 'require-read-only-root-filesystem', 'require-run-as-non-root', 'require-memory-limit']));
    expect(safe.files[0]?.after).toContain('privileged: true   # line comment of privileged');
    expect(safe.files[0]?.after).toContain('hostNetwork: true');
  });

  it('drops ALL on a privileged container only once privileged is gone (--unsafe), where it also removes the capabilities added', () => {
    // The runtime ignores capabilities.drop while privileged: true stays; dropping ALL would only hide the finding.
    expect(safe.files[0]?.after).toMatch(/add: \[NET_ADMIN\]\n\s+resources:/);
    expect(safe.left.some((left) => left.ruleId === 'require-drop-all-capabilities')).toBe(true);
    expect(unsafe.files[0]?.after).not.toContain('NET_ADMIN');
    expect(unsafe.left.some((left) => left.ruleId === 'require-drop-all-capabilities')).toBe(false);
  });

  it('applies the fixes a removed privileged: true unlocks in the same run', () => {
    expect(safe.left.some((left) => left.ruleId === 'no-privilege-escalation')).toBe(true);
    expect(unsafe.left.some((left) => left.ruleId === 'no-privilege-escalation')).toBe(false);
    expect(unsafe.passes).toBeGreaterThan(1);
  });

  it('never touches the object exempted by annotation', () => {
    const tail = (text: string) => text.slice(text.indexOf('# A pod that is exempted'));
    expect(tail(unsafe.files[0]?.after ?? '')).toBe(tail(fixture('commented.yaml')));
  });

  it('lists the new objects the namespace needs instead of writing them', () => {
    expect(unsafe.create.map((item) => `${item.object.kind as string} ${item.namespace}`).sort()).toEqual(['LimitRange shop', 'NetworkPolicy shop', 'ResourceQuota shop']);
    expect(unsafe.left.filter((left) => left.reason !== 'create')).toEqual([]);
  });

  it('honours exemptions from the configuration too', () => {
    const config = { rules: {}, defaultExemptions: true, disallowAnnotationExemptions: false, exclusions: [{ reason: 'legacy', rules: ['no-host-namespaces'], namespaces: ['shop'], kinds: [], names: ['web'], labels: {} }] };
    const exempted = fixSources([{ path: 'commented.yaml', text: fixture('commented.yaml') }], resolveFixOptions({ config, unsafe: true }));
    expect(exempted.files[0]?.after).toContain('hostPID: true   # line comment of hostPID');
    expect(exempted.files[0]?.applied.some((fix) => fix.ruleId === 'no-host-namespaces')).toBe(false);
  });

  it('fixes a rule\'s needs-review fixes when --rule names it, and only that rule', () => {
    const named = fixSources([{ path: 'commented.yaml', text: fixture('commented.yaml') }], resolveFixOptions({ rules: ['no-privileged-containers'] }));
    expect(new Set(named.files[0]?.applied.map((fix) => fix.ruleId))).toEqual(new Set(['no-privileged-containers']));
    expect(named.files[0]?.after).toContain('privileged: false   # line comment of privileged');
  });
});

describe('every rule with a fix class', () => {
  it('has its suggested patch applied as the rule wrote it (every-fix.yaml)', () => {
    const result = fixSources([{ path: 'every-fix.yaml', text: fixture('every-fix.yaml') }], resolveFixOptions({ unsafe: true, config: HOST_PATH_CONFIG }));
    const applied = new Set(result.files[0]?.applied.map((fix) => fix.ruleId));
    // require-tenant-node-isolation needs a tenant map to suggest anything; its own tests cover its patches.
    const fixable = Object.values(builtinRules as Readonly<Record<string, AnyRule>>).filter((rule) => rule.meta.fix !== undefined && rule.id !== 'require-tenant-node-isolation').map((rule) => rule.id);
    expect([...applied].sort()).toEqual(fixable.sort());
    expect(result.left.filter((left) => left.reason === 'failed' || left.reason === 'review')).toEqual([]);
  });
});

describe('many objects in one file', () => {
  const deployment = (name: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  template:\n    spec:\n      hostPID: true\n      containers:\n        - name: app\n          image: nginx:1.27\n`;

  it('fixes every document, each edit placed in its own document though earlier ones grew', () => {
    const text = ['a', 'b', 'c'].map(deployment).join('---\n');
    const result = fixSources([{ path: 'three.yaml', text }], resolveFixOptions({}));
    const fixed = result.files[0]?.after ?? '';
    expect(fixed.split('---\n')).toHaveLength(3);
    for (const part of fixed.split('---\n')) {
      expect(part).not.toContain('hostPID');
      expect(part).toContain('allowPrivilegeEscalation: false');
    }
    expect(result.left.filter((left) => left.reason === 'failed')).toEqual([]);
  });

  it('fixes every item of a kind: List, by its path in the document', () => {
    const items = ['a', 'b'].map((name) => deployment(name).split('\n').map((line, i) => (line === '' ? line : `${i === 0 ? '- ' : '  '}${line}`)).join('\n')).join('');
    const text = `apiVersion: v1\nkind: List\nitems:\n${items}`;
    const result = fixSources([{ path: 'list.yaml', text }], resolveFixOptions({}));
    const parsed = parseManifests('list.yaml', result.files[0]?.after ?? '');
    expect(parsed.resources).toHaveLength(2);
    for (const resource of parsed.resources) {
      const spec = (resource.object.spec as { template: { spec: Record<string, unknown> } }).template.spec;
      expect(spec.hostPID).toBeUndefined();
      expect(spec.securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' } });
    }
  });
});
