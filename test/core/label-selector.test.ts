/** The one label-selector evaluator, as RBAC aggregation and the NetworkPolicy rules both use it. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isEmptySelector, labelsOf, requirementsOf, selectorMatches } from '../../src/core/label-selector.js';

const record = { tier: 'web', 'rbac.example.com/aggregate': 'true' };
const map = new Map(Object.entries(record));

describe.each([['a record', record], ['a map', map]] as const)('selectorMatches on %s of labels', (_name, labels) => {
  it('matchLabels: every pair must be present with that value', () => {
    expect(selectorMatches({ matchLabels: { tier: 'web' } }, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { tier: 'web', 'rbac.example.com/aggregate': 'true' } }, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { tier: 'db' } }, labels)).toBe(false);
    expect(selectorMatches({ matchLabels: { missing: 'x' } }, labels)).toBe(false);
  });

  it('In: the key is present with one of the values', () => {
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['db', 'web'] }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['db'] }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'missing', operator: 'In', values: [''] }] }, labels)).toBe(false);
  });

  it('NotIn: the key is absent, or present with another value', () => {
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web'] }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'missing', operator: 'NotIn', values: ['x'] }] }, labels)).toBe(true);
  });

  it('Exists and DoesNotExist look at the key only', () => {
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'missing', operator: 'Exists' }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'missing', operator: 'DoesNotExist' }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist', values: [] }] }, labels)).toBe(false);
  });

  it('ANDs matchLabels and matchExpressions', () => {
    expect(selectorMatches({ matchLabels: { tier: 'web' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web'] }] }, labels)).toBe(false);
    expect(selectorMatches({ matchLabels: { tier: 'web' }, matchExpressions: [{ key: 'rbac.example.com/aggregate', operator: 'Exists' }] }, labels)).toBe(true);
  });

  it('selects everything with {} (and with empty lists)', () => {
    expect(selectorMatches({}, labels)).toBe(true);
    expect(selectorMatches({}, {})).toBe(true);
    expect(selectorMatches({ matchLabels: {}, matchExpressions: [] }, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: null, matchExpressions: null }, labels)).toBe(true);
  });

  it('selects nothing with no selector at all, as LabelSelectorAsSelector(nil)', () => {
    expect(selectorMatches(null, labels)).toBe(false);
    expect(selectorMatches(undefined, labels)).toBe(false);
    expect(selectorMatches(null, {})).toBe(false);
  });

  it('selects nothing when the API server would have rejected the selector', () => {
    for (const selector of [
      { matchExpressions: [{ key: 'tier', operator: 'In', values: [] }] },
      { matchExpressions: [{ key: 'tier', operator: 'NotIn' }] },
      { matchExpressions: [{ key: 'tier', operator: 'Exists', values: ['web'] }] },
      { matchExpressions: [{ key: 'tier', operator: 'Like', values: ['w'] }] },
      { matchExpressions: [{ key: 'tier', operator: 'In', values: 'web' }] },
      { matchExpressions: [{ key: 'tier', operator: 'In', values: [5] }] },
      { matchExpressions: [{ operator: 'Exists' }] },
      { matchExpressions: 'tier' },
      { matchLabels: { tier: 5 } },
      { matchLabels: ['tier'] },
      'tier=web',
    ]) expect(selectorMatches(selector, labels), JSON.stringify(selector)).toBe(false);
  });
});

describe('requirementsOf', () => {
  it('turns matchLabels into In requirements, after which come the expressions', () => {
    expect(requirementsOf({ matchLabels: { a: 'x' }, matchExpressions: [{ key: 'b', operator: 'Exists' }] })).toEqual([
      { key: 'a', operator: 'In', values: ['x'] },
      { key: 'b', operator: 'Exists', values: [] },
    ]);
    expect(requirementsOf({})).toEqual([]);
    expect(requirementsOf(null)).toBeUndefined();
    expect(requirementsOf({ matchExpressions: [{ key: 'b', operator: 'Nope' }] })).toBeUndefined();
  });
});

describe('isEmptySelector', () => {
  it('is true for {} and for absence, where the API decodes absence as {}', () => {
    expect(isEmptySelector({})).toBe(true);
    expect(isEmptySelector(undefined)).toBe(true);
    expect(isEmptySelector({ matchLabels: {}, matchExpressions: [] })).toBe(true);
    expect(isEmptySelector({ matchLabels: { a: 'b' } })).toBe(false);
    expect(isEmptySelector({ matchExpressions: [{ key: 'a', operator: 'Exists' }] })).toBe(false);
    expect(isEmptySelector('x')).toBe(false);
  });
});

describe('labelsOf', () => {
  it('keeps string labels only', () => {
    expect(labelsOf({ metadata: { labels: { a: 'x', b: 1 } } })).toEqual({ a: 'x' });
    expect(labelsOf({})).toEqual({});
  });
});

describe('matchLabels, as a property', () => {
  const key = fc.constantFrom('a', 'b', 'c', 'app.kubernetes.io/name');
  const value = fc.constantFrom('', 'x', 'y');
  const labelSet = fc.dictionary(key, value);
  it('selects exactly the label sets that hold every pair (records and maps alike)', () => {
    fc.assert(fc.property(labelSet, labelSet, (wanted, labels) => {
      const expected = Object.entries(wanted).every(([k, v]) => Object.hasOwn(labels, k) && labels[k] === v);
      expect(selectorMatches({ matchLabels: wanted }, labels)).toBe(expected);
      expect(selectorMatches({ matchLabels: wanted }, new Map(Object.entries(labels)))).toBe(expected);
    }));
  });
  it('agrees with the same pairs written as In expressions', () => {
    fc.assert(fc.property(labelSet, labelSet, (wanted, labels) => {
      const expressions = Object.entries(wanted).map(([k, v]) => ({ key: k, operator: 'In', values: [v] }));
      expect(selectorMatches({ matchExpressions: expressions }, labels)).toBe(selectorMatches({ matchLabels: wanted }, labels));
    }));
  });
});
