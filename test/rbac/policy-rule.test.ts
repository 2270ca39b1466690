import { describe, expect, it } from 'vitest';
import {
  allowedVerbs, formatRule, isCoveredBy, nonResourceURLMatches, resourceMatches, ruleAllows, ruleKey, rulesOf, toPolicyRule, type PolicyRule,
} from '../../src/rbac/policy-rule.js';

const rule = (fields: Partial<PolicyRule>): PolicyRule => ({ verbs: [], apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: [], ...fields });

describe('resource matching, as the RBAC authorizer does it', () => {
  it('matches a resource exactly, or "*"', () => {
    expect(resourceMatches(rule({ resources: ['pods'] }), 'pods')).toBe(true);
    expect(resourceMatches(rule({ resources: ['*'] }), 'pods', 'exec')).toBe(true);
    expect(resourceMatches(rule({ resources: ['Pods'] }), 'pods')).toBe(false);
  });

  it('does not let a resource cover its subresources', () => {
    expect(resourceMatches(rule({ resources: ['pods'] }), 'pods', 'exec')).toBe(false);
    expect(resourceMatches(rule({ resources: ['pods/exec'] }), 'pods', 'exec')).toBe(true);
    expect(resourceMatches(rule({ resources: ['pods/exec'] }), 'pods')).toBe(false);
  });

  it('matches "*/subresource" for any resource, and treats "pods/*" as a literal', () => {
    expect(resourceMatches(rule({ resources: ['*/exec'] }), 'pods', 'exec')).toBe(true);
    expect(resourceMatches(rule({ resources: ['*/exec'] }), 'pods')).toBe(false);
    expect(resourceMatches(rule({ resources: ['pods/*'] }), 'pods', 'exec')).toBe(false);
  });

  it('never matches a rule with resourceNames for a request without a name', () => {
    const named = rule({ verbs: ['get', 'list'], apiGroups: [''], resources: ['secrets'], resourceNames: ['db'] });
    expect(ruleAllows(named, { verb: 'get', apiGroup: '', resource: 'secrets', name: 'db' })).toBe(true);
    expect(ruleAllows(named, { verb: 'get', apiGroup: '', resource: 'secrets', name: 'other' })).toBe(false);
    expect(ruleAllows(named, { verb: 'list', apiGroup: '', resource: 'secrets' })).toBe(false);
  });

  it('matches verbs and API groups exactly or by "*"', () => {
    const r = rule({ verbs: ['get'], apiGroups: ['apps'], resources: ['deployments'] });
    expect(ruleAllows(r, { verb: 'get', apiGroup: 'apps', resource: 'deployments' })).toBe(true);
    expect(ruleAllows(r, { verb: 'GET', apiGroup: 'apps', resource: 'deployments' })).toBe(false);
    expect(ruleAllows(r, { verb: 'get', apiGroup: '', resource: 'deployments' })).toBe(false);
    expect(ruleAllows(rule({ verbs: ['*'], apiGroups: ['*'], resources: ['deployments'] }), { verb: 'delete', apiGroup: 'extensions', resource: 'deployments' })).toBe(true);
  });
});

describe('non-resource URLs', () => {
  it('matches exactly, "*", or a trailing-"*" prefix', () => {
    expect(nonResourceURLMatches(rule({ nonResourceURLs: ['/healthz'] }), '/healthz')).toBe(true);
    expect(nonResourceURLMatches(rule({ nonResourceURLs: ['/healthz'] }), '/healthz/etcd')).toBe(false);
    expect(nonResourceURLMatches(rule({ nonResourceURLs: ['/healthz/*'] }), '/healthz/etcd')).toBe(true);
    expect(nonResourceURLMatches(rule({ nonResourceURLs: ['/logs*'] }), '/logsfoo')).toBe(true);
    expect(nonResourceURLMatches(rule({ nonResourceURLs: ['*'] }), '/metrics')).toBe(true);
  });

  it('needs the verb too', () => {
    expect(ruleAllows(rule({ verbs: ['get'], nonResourceURLs: ['/metrics'] }), { verb: 'get', nonResourceURL: '/metrics' })).toBe(true);
    expect(ruleAllows(rule({ verbs: ['post'], nonResourceURLs: ['/metrics'] }), { verb: 'get', nonResourceURL: '/metrics' })).toBe(false);
  });
});

describe('normalising rules', () => {
  it('drops what is not a list of strings, as it grants nothing', () => {
    expect(toPolicyRule({ verbs: '*', apiGroups: [''], resources: ['pods', 7, null] })).toEqual(rule({ apiGroups: [''], resources: ['pods'] }));
    expect(toPolicyRule(null)).toBeUndefined();
    expect(rulesOf({ rules: [null, { verbs: ['get'] }, 'x'] })).toEqual([{ rule: rule({ verbs: ['get'] }), index: 1 }]);
    expect(rulesOf({ rules: 'x' })).toEqual([]);
  });

  it('gives semantically equal rules one key, treating absent and empty lists alike', () => {
    expect(ruleKey(rule({ verbs: ['get'] }))).toBe(ruleKey(toPolicyRule({ verbs: ['get'], resourceNames: [] }) ?? rule({})));
    expect(ruleKey(rule({ verbs: ['get', 'list'] }))).not.toBe(ruleKey(rule({ verbs: ['list', 'get'] })));
  });
});

describe('allowedVerbs', () => {
  it('returns the verbs a rule allows on every object, or on some', () => {
    const named = rule({ verbs: ['*'], apiGroups: [''], resources: ['secrets'], resourceNames: ['x'] });
    expect(allowedVerbs(named, ['get', 'list'], { apiGroup: '', resource: 'secrets', names: 'all' })).toEqual([]);
    expect(allowedVerbs(named, ['get', 'list'], { apiGroup: '', resource: 'secrets', names: 'some' })).toEqual(['get', 'list']);
  });
});

describe('isCoveredBy', () => {
  const shipped = [
    rule({ verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['pods', 'secrets'] }),
    rule({ verbs: ['create'], apiGroups: [''], resources: ['pods/exec'] }),
    rule({ verbs: ['get'], nonResourceURLs: ['/healthz/*'] }),
  ];

  it('accepts a rule granting nothing beyond the set, split or reordered', () => {
    expect(isCoveredBy(rule({ verbs: ['watch', 'get'], apiGroups: [''], resources: ['secrets'] }), shipped)).toBe(true);
    expect(isCoveredBy(rule({ verbs: ['get', 'create'], apiGroups: [''], resources: ['pods/exec'] }), shipped)).toBe(false);
    expect(isCoveredBy(rule({ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] }), shipped)).toBe(true);
    expect(isCoveredBy(rule({ verbs: ['get'], nonResourceURLs: ['/healthz/etcd'] }), shipped)).toBe(true);
  });

  it('treats "*" in the checked rule as covered only by "*"', () => {
    expect(isCoveredBy(rule({ verbs: ['*'], apiGroups: [''], resources: ['pods'] }), shipped)).toBe(false);
    expect(isCoveredBy(rule({ verbs: ['get'], apiGroups: ['*'], resources: ['pods'] }), shipped)).toBe(false);
    expect(isCoveredBy(rule({ verbs: ['get'], apiGroups: ['apps'], resources: ['*'] }), [rule({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] })])).toBe(true);
  });

  it('does not let a rule with resourceNames cover one without', () => {
    expect(isCoveredBy(rule({ verbs: ['get'], apiGroups: [''], resources: ['configmaps'] }), [rule({ verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] })])).toBe(false);
  });
});

describe('formatRule', () => {
  it('names verbs, resources, groups, names and URLs', () => {
    expect(formatRule(rule({ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['db'] }))).toBe('get on secrets in apiGroups "" (core) named db');
    expect(formatRule(rule({ verbs: ['*'], nonResourceURLs: ['*'] }))).toBe('* on URLs *');
  });
});
