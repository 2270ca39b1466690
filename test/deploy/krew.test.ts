/**
 * deploy/krew/eksguard.yaml against what krew's validation requires of a Plugin manifest
 * (krew.googlecontainertools.github.com/v1alpha2: name, semver version, shortDescription, and
 * platforms each with a label selector, uri, a SHA-256 checksum, files and bin), and against the
 * package it installs.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const manifest = parse(readFileSync('deploy/krew/eksguard.yaml', 'utf8')) as {
  metadata: { name: string };
  spec: { version: string; platforms: { uri: string; sha256: string; bin: string; files: { from: string; to: string }[]; selector: { matchExpressions: { key: string; values: string[] }[] } }[] };
};
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string; bin: Record<string, string>; files: string[] };

/** krew's rules for a Plugin (its index/validation package), as a schema. */
const KREW_PLUGIN = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'krew.googlecontainertools.github.com/v1alpha2' },
    kind: { const: 'Plugin' },
    metadata: { type: 'object', required: ['name'], properties: { name: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' } } },
    spec: {
      type: 'object',
      required: ['version', 'shortDescription', 'platforms'],
      properties: {
        version: { type: 'string', pattern: '^v(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$' },
        homepage: { type: 'string', pattern: '^https://' },
        shortDescription: { type: 'string', minLength: 1, maxLength: 70 },
        description: { type: 'string' },
        caveats: { type: 'string' },
        platforms: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['selector', 'uri', 'sha256', 'bin'],
            additionalProperties: false,
            properties: {
              selector: {
                type: 'object',
                additionalProperties: false,
                properties: {
                  matchLabels: { type: 'object', additionalProperties: { type: 'string' } },
                  matchExpressions: {
                    type: 'array',
                    items: {
                      type: 'object', required: ['key', 'operator'], additionalProperties: false,
                      properties: { key: { type: 'string' }, operator: { enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'] }, values: { type: 'array', items: { type: 'string' } } },
                    },
                  },
                },
              },
              uri: { type: 'string', pattern: '^https://' },
              sha256: { type: 'string', pattern: '^[a-f0-9]{64}$' },
              bin: { type: 'string', minLength: 1 },
              files: { type: 'array', items: { type: 'object', required: ['from', 'to'], additionalProperties: false, properties: { from: { type: 'string', minLength: 1 }, to: { type: 'string', minLength: 1 } } } },
            },
          },
        },
      },
    },
  },
};

describe('the krew plugin manifest', () => {
  it('is a valid krew Plugin', () => {
    const validate = new Ajv({ allErrors: true }).compile(KREW_PLUGIN);
    expect(validate(manifest) ? [] : validate.errors).toEqual([]);
  });

  it('is named as kubectl calls it, and its file after the plugin (as the krew index requires)', () => {
    expect(manifest.metadata.name).toBe('eksguard');
    expect(pkg.bin[`kubectl-${manifest.metadata.name}`]).toBeDefined();
  });

  it("is the package's version, and downloads that version's archive", () => {
    expect(manifest.spec.version).toBe(`v${pkg.version}`);
    for (const platform of manifest.spec.platforms) expect(platform.uri).toContain(`/releases/download/v${pkg.version}/eksguard-krew-v${pkg.version}.tar.gz`);
  });

  it('runs the package\'s kubectl-eksguard from the npm pack layout (package/), on the systems a #!/usr/bin/env node script runs on', () => {
    for (const platform of manifest.spec.platforms) {
      expect(platform.bin).toBe(pkg.bin['kubectl-eksguard']);
      expect(platform.files).toEqual([{ from: 'package/*', to: '.' }]);
      expect(platform.selector.matchExpressions.flatMap((e) => (e.key === 'os' ? e.values : []))).toEqual(['linux', 'darwin']);
    }
  });

  it('rejects what krew rejects (the schema is not a rubber stamp)', () => {
    const validate = new Ajv({ allErrors: true }).compile(KREW_PLUGIN);
    const broken = structuredClone(manifest) as unknown as { spec: { version: string; platforms: Record<string, unknown>[] } };
    broken.spec.version = '0.1.0';
    delete broken.spec.platforms[0]?.bin;
    (broken.spec.platforms[0] as Record<string, unknown>).sha256 = 'abc';
    expect(validate(broken)).toBe(false);
    expect((validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`).sort()).toEqual([
      "/spec/platforms/0 must have required property 'bin'",
      '/spec/platforms/0/sha256 must match pattern "^[a-f0-9]{64}$"',
      '/spec/version must match pattern "^v(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$"',
    ]);
  });
});
