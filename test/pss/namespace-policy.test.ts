/** PSA's reading of the pod-security.kubernetes.io labels: defaults, fallbacks, warn following enforce. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, policyFromLabels, policyLabels } from '../../src/pss/namespace-policy.js';

const P = 'pod-security.kubernetes.io/';
const policyOf = (labels: Record<string, unknown>) => policyFromLabels(labels).policy;

describe('policyFromLabels', () => {
  it('defaults every mode to privileged, latest', () => {
    expect(policyFromLabels(undefined)).toEqual({ policy: DEFAULT_POLICY, errors: [] });
    expect(policyFromLabels({ app: 'web' })).toEqual({ policy: DEFAULT_POLICY, errors: [] });
    expect(DEFAULT_POLICY.enforce).toEqual({ level: 'privileged', version: 'latest' });
  });

  it('reads each mode and its version', () => {
    expect(policyOf({ [`${P}enforce`]: 'baseline', [`${P}enforce-version`]: 'v1.29', [`${P}audit`]: 'restricted', [`${P}warn`]: 'restricted', [`${P}warn-version`]: 'latest' })).toEqual({
      enforce: { level: 'baseline', version: 'v1.29' },
      audit: { level: 'restricted', version: 'latest' },
      warn: { level: 'restricted', version: 'latest' },
    });
  });

  it('makes warn follow a stricter enforce level, with its version, when warn is not labelled', () => {
    expect(policyOf({ [`${P}enforce`]: 'restricted', [`${P}enforce-version`]: 'v1.25' })).toEqual({
      enforce: { level: 'restricted', version: 'v1.25' },
      audit: { level: 'privileged', version: 'latest' },
      warn: { level: 'restricted', version: 'v1.25' },
    });
    // warn-version labelled: warn follows the level only.
    expect(policyOf({ [`${P}enforce`]: 'baseline', [`${P}enforce-version`]: 'v1.25', [`${P}warn-version`]: 'v1.30' }).warn).toEqual({ level: 'baseline', version: 'v1.30' });
    // warn labelled, even less strictly: it stays as labelled.
    expect(policyOf({ [`${P}enforce`]: 'restricted', [`${P}warn`]: 'privileged' }).warn).toEqual({ level: 'privileged', version: 'latest' });
    // Only enforce's level counts, not its version alone.
    expect(policyOf({ [`${P}enforce-version`]: 'v1.25' }).warn).toEqual({ level: 'privileged', version: 'latest' });
  });

  it('fails closed on a bad enforce level and open on bad audit and warn levels', () => {
    const { policy, errors } = policyFromLabels({ [`${P}enforce`]: 'strict', [`${P}audit`]: 'Restricted', [`${P}warn`]: '' });
    expect(policy.enforce.level).toBe('restricted');
    expect(policy.audit.level).toBe('privileged');
    expect(policy.warn.level).toBe('privileged');
    expect(errors.map((e) => [e.label, e.value])).toEqual([[`${P}enforce`, 'strict'], [`${P}audit`, 'Restricted'], [`${P}warn`, '']]);
  });

  it('does not make warn follow an enforce level it could not parse', () => {
    expect(policyOf({ [`${P}enforce`]: 'bogus' }).warn).toEqual({ level: 'privileged', version: 'latest' });
  });

  it('reads a bad version as latest, and keeps versions newer than it knows as written', () => {
    for (const bad of ['v1.05', 'v2.0', '1.25', 'v1', 'LATEST', 'v1.25.0']) {
      const { policy, errors } = policyFromLabels({ [`${P}enforce`]: 'baseline', [`${P}enforce-version`]: bad });
      expect(policy.enforce, bad).toEqual({ level: 'baseline', version: 'latest' });
      expect(errors, bad).toEqual([{ label: `${P}enforce-version`, value: bad, fallback: 'latest' }]);
    }
    expect(policyOf({ [`${P}audit-version`]: 'v1.99' }).audit.version).toBe('v1.99');
  });

  it('treats a label value that is not a string as invalid', () => {
    expect(policyFromLabels({ [`${P}enforce`]: 1 }).errors).toHaveLength(1);
    expect(policyOf({ [`${P}enforce`]: 1 }).enforce.level).toBe('restricted');
  });
});

describe('policyLabels', () => {
  it('writes enforce, warn and audit, each level before its version', () => {
    expect(Object.entries(policyLabels(policyOf({ [`${P}enforce`]: 'baseline' })))).toEqual([
      [`${P}enforce`, 'baseline'], [`${P}enforce-version`, 'latest'],
      [`${P}warn`, 'baseline'], [`${P}warn-version`, 'latest'],
      [`${P}audit`, 'privileged'], [`${P}audit-version`, 'latest'],
    ]);
  });
});
