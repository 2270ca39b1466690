import { describe, expect, it } from 'vitest';
import { labelsOf, selectorMatches } from '../../src/rbac/label-selector.js';

describe('selectorMatches', () => {
  const labels = { tier: 'web', 'rbac.example.com/aggregate': 'true' };

  it('ANDs matchLabels and matchExpressions', () => {
    expect(selectorMatches({ matchLabels: { tier: 'web' } }, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { tier: 'web' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web'] }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'rbac.example.com/aggregate', operator: 'In', values: ['true', 'yes'] }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'missing', operator: 'DoesNotExist' }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'missing', operator: 'NotIn', values: ['x'] }] }, labels)).toBe(true);
  });

  it('selects everything with {}', () => {
    expect(selectorMatches({}, {})).toBe(true);
  });

  it('selects nothing when malformed', () => {
    expect(selectorMatches(null, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: [] }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'Like', values: ['w'] }] }, labels)).toBe(false);
    expect(selectorMatches({ matchLabels: { tier: 5 } }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: 'tier' }, labels)).toBe(false);
  });
});

describe('labelsOf', () => {
  it('keeps string labels only', () => {
    expect(labelsOf({ metadata: { labels: { a: 'x', b: 1 } } })).toEqual({ a: 'x' });
    expect(labelsOf({})).toEqual({});
  });
});
