/**
 * Every AWS SDK package is pinned to an exact version. The SDK's versions published after the
 * first week of January 2027 require Node 22, while `engines` promises Node 20: a range (`^`, `~`)
 * would let `npm install` pull one of those onto a supported Node 20. Exact versions published
 * before then keep the promise, and let eksguard turn off the SDK's warning about it
 * (src/collect/aws/clients.ts, withoutNodeVersionWarning). Raise a pin deliberately, with
 * `engines`, when Node 20 is dropped.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface PackageJson {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as PackageJson;
const sdk = Object.entries({ ...pkg.devDependencies, ...pkg.optionalDependencies, ...pkg.dependencies }).filter(([name]) => name.startsWith('@aws-sdk/'));

describe('AWS SDK dependencies', () => {
  it('include the clients --aws uses', () => {
    expect(sdk.map(([name]) => name)).toContain('@aws-sdk/client-eks');
  });

  it.each(sdk)('%s is pinned to an exact version (%s), not a range', (_name, version) => {
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
