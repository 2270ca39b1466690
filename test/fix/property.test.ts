import fc from 'fast-check';
import { diffLines } from 'diff';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseManifests } from '../../src/collect/files/parse-manifests.js';
import type { PatchOp } from '../../src/core/finding.js';
import { applyPatch } from '../../src/engine/apply-patch.js';
import { fixSources, resolveFixOptions, type FixResult } from '../../src/fix/fix.js';
import type { AnyRule } from '../../src/rules/define-rule.js';
import { builtinRules } from '../../src/rules/index.js';

/** The rules that have fixes: the others only slow the loop down here. */
const registry = Object.fromEntries(Object.entries(builtinRules as Readonly<Record<string, AnyRule>>).filter(([, rule]) => rule.meta.fix !== undefined));

const securityContext = fc.oneof(
  fc.constant(undefined),
  fc.constant({}),
  fc.record({
    privileged: fc.option(fc.boolean(), { nil: undefined }),
    allowPrivilegeEscalation: fc.option(fc.boolean(), { nil: undefined }),
    readOnlyRootFilesystem: fc.option(fc.boolean(), { nil: undefined }),
    runAsNonRoot: fc.option(fc.boolean(), { nil: undefined }),
    capabilities: fc.option(fc.record({
      add: fc.option(fc.subarray(['NET_ADMIN', 'SYS_TIME', 'NET_BIND_SERVICE', 'CHOWN'], { minLength: 1 }), { nil: undefined }),
      drop: fc.option(fc.subarray(['NET_RAW', 'ALL', 'MKNOD'], { minLength: 1 }), { nil: undefined }),
    }, { requiredKeys: [] }), { nil: undefined }),
    seccompProfile: fc.option(fc.constantFrom({ type: 'Unconfined' }, { type: 'RuntimeDefault' }), { nil: undefined }),
  }, { requiredKeys: [] }),
);

const container = fc.record({
  name: fc.constantFrom('app', 'web', 'side-car'),
  image: fc.constantFrom('nginx:1.27', 'busybox:1.36', 'registry.example.com/team/api:2.0'),
  ports: fc.option(fc.array(fc.record({ containerPort: fc.integer({ min: 80, max: 9000 }), hostPort: fc.option(fc.integer({ min: 80, max: 9000 }), { nil: undefined }) }, { requiredKeys: ['containerPort'] }), { minLength: 1, maxLength: 2 }), { nil: undefined }),
  env: fc.option(fc.array(fc.record({ name: fc.constantFrom('A', 'B'), value: fc.constantFrom('1', 'true', 'x y') }), { minLength: 1, maxLength: 2 }), { nil: undefined }),
  securityContext,
  resources: fc.option(fc.record({ requests: fc.record({ memory: fc.constantFrom('64Mi', '1Gi') }) }), { nil: undefined }),
}, { requiredKeys: ['name', 'image'] });

const podSpec = fc.record({
  hostPID: fc.option(fc.boolean(), { nil: undefined }),
  hostIPC: fc.option(fc.boolean(), { nil: undefined }),
  hostNetwork: fc.option(fc.boolean(), { nil: undefined }),
  securityContext: fc.option(fc.record({ runAsUser: fc.option(fc.integer({ min: 0, max: 2000 }), { nil: undefined }), fsGroup: fc.option(fc.constant(2000), { nil: undefined }) }, { requiredKeys: [] }), { nil: undefined }),
  containers: fc.uniqueArray(container, { minLength: 1, maxLength: 3, selector: (c) => c.name }),
}, { requiredKeys: ['containers'] });

/** Drops undefined members (fast-check's optional keys): YAML has no undefined. */
function clean(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

const deployment = podSpec.map((spec) => clean({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'gen', namespace: 'team' },
  spec: { selector: { matchLabels: { app: 'gen' } }, template: { metadata: { labels: { app: 'gen' } }, spec } },
}) as Record<string, unknown>);

/**
 * A manifest as text, in one of several styles, with comments in every place YAML allows them:
 * head comments above keys and list items, line comments after scalars and after `key:`, foot
 * comments at the end of blocks, and comments around the document separators.
 */
const manifest = fc.record({
  object: deployment,
  indent: fc.constantFrom(2, 4),
  indentSeq: fc.boolean(),
  commentSeeds: fc.array(fc.nat(9), { minLength: 60, maxLength: 60 }),
  blankLines: fc.boolean(),
}).map(({ object, indent, indentSeq, commentSeeds, blankLines }) => {
  const lines = stringify(object, { indent, indentSeq, lineWidth: 0 }).replace(/\n$/, '').split('\n');
  const out: string[] = ['# generated manifest', '---'];
  lines.forEach((line, i) => {
    const seed = commentSeeds[i % commentSeeds.length] ?? 0;
    const indentation = /^ */.exec(line)?.[0] ?? '';
    if (seed === 1) out.push(`${indentation}# head comment ${i}`);
    if (seed === 2 && blankLines) out.push('');
    // A line comment needs a space before `#`, and must not land inside a quoted scalar.
    out.push(seed >= 6 ? `${line}   # line comment ${i}` : line);
    if (seed === 3) out.push(`${indentation}# foot comment ${i}`);
  });
  out.push('# before the separator', '---', '# a second, empty document', '');
  return { text: out.join('\n'), object };
});

/** The runs of lines of `before` that the fix took away or changed, as diff reports them. */
function removedBlocks(before: string, after: string): string[][] {
  return diffLines(before, after).filter((part) => part.removed).map((part) => part.value.split('\n').filter((line) => line !== ''));
}

/** Replays the applied patches, in order, on the original object. */
function replay(object: unknown, result: FixResult): unknown {
  let out = object;
  for (const fix of result.files[0]?.applied ?? []) out = applyPatch(out, fix.patch);
  return out;
}

/** Keys a patch touches: those on its paths, and those inside the values it writes. */
function segmentsOf(patches: readonly PatchOp[]): Set<string> {
  const keys = new Set(patches.flatMap((op) => op.path.filter((s): s is string => typeof s === 'string')));
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === 'object') for (const [key, inner] of Object.entries(value)) { keys.add(key); visit(inner); }
  };
  for (const op of patches) if (op.op !== 'remove') visit(op.value);
  return keys;
}

describe.each([false, true])('fix on generated manifests (unsafe: %s)', (unsafe) => {
  const options = resolveFixOptions({ unsafe, registry });

  it('reads back as the patched object, edits only the patched nodes, leaves nothing to fix and is a no-op the second time', () => {
    fc.assert(fc.property(manifest, ({ text, object }) => {
      const result = fixSources([{ path: 'gen.yaml', text }], options);
      const file = result.files[0];
      if (file === undefined) throw new Error('no file');
      const fixed = file.after;
      // (a) the fixed text reads as exactly the patched object, with the scan's own reader.
      const parsed = parseManifests('gen.yaml', fixed);
      expect(parsed.gaps).toEqual([]);
      expect(isDeepStrictEqual(parsed.resources[0]?.object, replay(object, result))).toBe(true);
      // (b) every line the fix took away belongs to a patched node: it names a key the patches touch,
      //     or is an item or value under one. A comment line goes only with the node it sits inside
      //     (a removed block that starts at a touched key, not more indented than the comment); every
      //     other comment stays, in order.
      const touched = segmentsOf(file.applied.flatMap((fix) => fix.patch));
      const keyOf = (line: string) => /^\s*(?:- )?([\w-]+):/.exec(line)?.[1];
      const indentOf = (line: string) => /^ */.exec(line)?.[0].length ?? 0;
      const removedComments: string[] = [];
      for (const block of removedBlocks(text, fixed)) {
        const owner = block.find((line) => { const key = keyOf(line); return key !== undefined && touched.has(key); });
        for (const line of block) {
          if (line.trim().startsWith('#')) {
            expect(owner !== undefined && indentOf(owner) <= indentOf(line), `removed comment line ${JSON.stringify(line)}`).toBe(true);
            removedComments.push(line);
            continue;
          }
          const key = keyOf(line);
          const listItem = /^\s*- /.test(line) || /^\s*[\w-]+: \[/.test(line);
          expect(key === undefined ? listItem : touched.has(key) || listItem || owner !== undefined, `removed line ${JSON.stringify(line)}`).toBe(true);
        }
      }
      const comments = (t: string) => t.split('\n').filter((l) => /^\s*#/.test(l));
      const kept = [...comments(text)];
      for (const line of removedComments) kept.splice(kept.indexOf(line), 1);
      expect(comments(fixed)).toEqual(kept);
      // (c) a rescan finds nothing these options would fix; (d) fixing again changes nothing.
      const again = fixSources([{ path: 'gen.yaml', text: fixed }], options);
      expect(again.files[0]?.applied).toEqual([]);
      expect(again.files[0]?.after).toBe(fixed);
      expect(again.left.filter((left) => left.reason === 'failed')).toEqual([]);
      expect(result.left.filter((left) => left.reason === 'failed')).toEqual([]);
    }), { numRuns: 30 });
  }, 120_000);
});

describe('fix on generated JSON', () => {
  it('keeps JSON as JSON with its indentation, reading back as the patched object', () => {
    const options = resolveFixOptions({ unsafe: true, registry });
    fc.assert(fc.property(deployment, fc.constantFrom(2, 4), (object, indent) => {
      const text = `${JSON.stringify(object, null, indent)}\n`;
      const result = fixSources([{ path: 'gen.json', text }], options);
      const fixed = result.files[0]?.after ?? '';
      expect(JSON.parse(fixed)).toEqual(replay(object, result));
      // Re-serialising the result with the same indentation gives the same text: the file's style is kept.
      expect(fixed).toBe(`${JSON.stringify(JSON.parse(fixed), null, indent)}\n`);
      expect(fixSources([{ path: 'gen.json', text: fixed }], options).files[0]?.after).toBe(fixed);
    }), { numRuns: 20 });
  }, 120_000);
});
