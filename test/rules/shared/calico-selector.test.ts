import { describe, expect, it } from 'vitest';
import { parseCalicoSelector } from '../../../src/rules/shared/calico-selector.js';

const labels = new Map([['app', 'web'], ['tier', 'frontend'], ['projectcalico.org/namespace', 'shop']]);

describe('parseCalicoSelector', () => {
  it.each([
    ['', true],
    ['all()', true],
    ["app == 'web'", true],
    ['app == "api"', false],
    ["app != 'api'", true],
    ["missing != 'x'", true],
    ['has(tier)', true],
    ['!has(tier)', false],
    ["app in {'web', 'api'}", true],
    ["app not in {'web'}", false],
    ["missing not in {'web'}", true],
    ["app == 'api' || tier == 'frontend'", true],
    ["(app == 'api' || tier == 'frontend') && projectcalico.org/namespace == 'shop'", true],
    ["app contains 'e'", true],
    ["app starts with 'w' && app ends with 'b'", true],
    ['has(projectcalico.org/name) && projectcalico.org/namespace not in {"kube-system", "calico-system"}', false],
  ])('%s', (text, expected) => expect(parseCalicoSelector(text)?.matches(labels)).toBe(expected));

  it('records the keys it reads', () => {
    expect([...(parseCalicoSelector("projectcalico.org/namespace not in {'a'} && has(app)")?.keys ?? [])]).toEqual(['projectcalico.org/namespace', 'app']);
  });

  it.each(["app = 'web'", "app == web", "app in {'web'", '(all()', "app == 'web' &&", 'has(app'])('rejects %j', (text) => {
    expect(parseCalicoSelector(text)).toBeUndefined();
  });
});
