/**
 * The examples on the doc pages of the rbac and aws-auth rules run: the incorrect one is reported,
 * the correct one is not (`eksguard rules ID` prints them as the failing and passing example).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRuleDoc } from '../../src/cli/rule-docs.js';
import type { AnyRule } from '../../src/rules/define-rule.js';
import { builtinRules } from '../../src/rules/index.js';
import { notEvaluatedReason, runRule } from '../rule-tester.js';

const rules = Object.values(builtinRules as Readonly<Record<string, AnyRule>>).filter((rule) => rule.meta.area === 'rbac' || rule.id.includes('aws-auth') || rule.id === 'no-system-masters-mappings');

describe.each(rules.map((rule) => [rule.id, rule] as const))('%s doc examples', (id, rule) => {
  const doc = parseRuleDoc(readFileSync(`docs/rules/${id}.md`, 'utf8'));

  it('reports the incorrect example', () => {
    const incorrect = doc.incorrect ?? '';
    expect(notEvaluatedReason(rule, incorrect)).toBeUndefined();
    expect(runRule(rule, incorrect).length).toBeGreaterThan(0);
  });

  it('passes the correct example', () => {
    const correct = doc.correct ?? '';
    expect(notEvaluatedReason(rule, correct)).toBeUndefined();
    expect(runRule(rule, correct).map((f) => f.message)).toEqual([]);
  });
});
