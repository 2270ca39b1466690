/** The `webhook:` section of eksguard.yaml, and whether annotation exemptions were set explicitly. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/engine/config.js';
import { admissionPolicy } from '../../src/webhook/evaluate.js';

describe('webhook configuration', () => {
  it('reads allowUsers, and refuses keys it does not know, naming them', () => {
    expect(parseConfig('eksguard.yaml', 'webhook:\n  allowUsers: ["system:node:*"]\n').webhook).toEqual({ allowUsers: ['system:node:*'] });
    expect(() => parseConfig('eksguard.yaml', 'webhook:\n  allowUser: [alice]\n')).toThrow(/^eksguard.yaml at \/webhook/);
    expect(() => parseConfig('eksguard.yaml', 'webhook:\n  allowUsers: [""]\n')).toThrow(/^eksguard.yaml at \/webhook\/allowUsers\/0/);
  });

  it('ignores annotation exemptions at admission unless the file sets disallowAnnotationExemptions: false', () => {
    expect(admissionPolicy(parseConfig('eksguard.yaml', 'failOn: high\n')).disallowAnnotationExemptions).toBe(true);
    expect(admissionPolicy(parseConfig('eksguard.yaml', 'disallowAnnotationExemptions: true\n')).disallowAnnotationExemptions).toBe(true);
    expect(admissionPolicy(parseConfig('eksguard.yaml', 'disallowAnnotationExemptions: false\n')).disallowAnnotationExemptions).toBe(false);
    // scan keeps its own default: annotations count unless the file says true.
    expect(parseConfig('eksguard.yaml', 'failOn: high\n').disallowAnnotationExemptions).toBe(false);
  });
});
