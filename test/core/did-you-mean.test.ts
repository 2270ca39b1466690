import { describe, expect, it } from 'vitest';
import { closest, didYouMean, editDistance } from '../../src/core/did-you-mean.js';

describe('editDistance', () => {
  it('counts inserts, deletes, substitutions, and a swap of neighbours as one edit', () => {
    expect(editDistance('high', 'high')).toBe(0);
    expect(editDistance('hihg', 'high')).toBe(1);
    expect(editDistance('hig', 'high')).toBe(1);
    expect(editDistance('higher', 'high')).toBe(2);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('closest and didYouMean', () => {
  it('suggest the nearest name within a third of its length, ignoring case', () => {
    expect(closest('failon', ['failOn', 'rules', 'exclusions'])).toBe('failOn');
    expect(closest('no-privileged-container', ['no-privileged-containers', 'no-host-ports'])).toBe('no-privileged-containers');
    expect(closest('x', ['high', 'low'])).toBeUndefined();
    expect(closest('severe', ['critical', 'high', 'medium', 'low'])).toBeUndefined();
    expect(didYouMean('jsno', ['table', 'json'], (n) => `"${n}"`)).toBe('; did you mean "json"?');
    expect(didYouMean('zzz', ['table', 'json'])).toBe('');
  });
});
