/**
 * deploy/rbac.yaml against the collector: every call the collector can make is granted, nothing
 * else is, no verb writes, and Secrets get `list` only (what the metadata-only list needs).
 * Judged with eksguard's own RBAC authorizer semantics (src/rbac/policy-rule.ts).
 */
import { readFileSync } from 'node:fs';
import { loadAll } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectCluster } from '../../../src/collect/kube/collect.js';
import { possibleCalls } from '../../../src/collect/kube/resources.js';
import { ALL_KINDS } from '../../../src/engine/rule-kinds.js';
import { ruleAllows, rulesOf, type PolicyRule, type Request } from '../../../src/rbac/policy-rule.js';
import { CILIUM, KYVERNO, startFakeApiServer, type FakeApiServer, type ServedGroup } from './fake-api-server.js';
import { clusterObjects } from './fixture-cluster.js';
import { writeKubeconfig } from './kubeconfig.js';
import { makeTempDir } from '../../temp-dir.js';

type Json = Record<string, unknown>;

const documents = loadAll(readFileSync('deploy/rbac.yaml', 'utf8')) as Json[];
const clusterRoles = documents.filter((d) => d.kind === 'ClusterRole');
const rules: readonly PolicyRule[] = clusterRoles.flatMap((role) => rulesOf(role).map((r) => r.rule));
const allows = (request: Request) => rules.some((rule) => ruleAllows(rule, request));

const READ_VERBS: ReadonlySet<string> = new Set(['get', 'list']);

describe('deploy/rbac.yaml', () => {
  it('holds ClusterRoles and bindings to them, nothing else', () => {
    expect(documents.map((d) => d.kind).sort()).toEqual(['ClusterRole', 'ClusterRole', 'ClusterRoleBinding', 'ClusterRoleBinding']);
    const roleNames = clusterRoles.map((r) => (r.metadata as Json).name);
    for (const binding of documents.filter((d) => d.kind === 'ClusterRoleBinding')) {
      expect(roleNames).toContain((binding.roleRef as Json).name);
    }
  });

  it('grants every call the collector can make', () => {
    const calls = possibleCalls();
    expect(calls.length).toBeGreaterThan(30);
    for (const call of calls) {
      const requests: Request[] = call.names
        ? call.names.map((name) => ({ verb: call.verb, apiGroup: call.apiGroup, resource: call.resource, name }))
        : [{ verb: call.verb, apiGroup: call.apiGroup, resource: call.resource }];
      for (const request of requests) expect(allows(request), JSON.stringify(request)).toBe(true);
    }
  });

  it('grants nothing the collector does not call: read verbs only, no wildcards, no extra resource', () => {
    const calls = possibleCalls();
    for (const rule of rules) {
      expect(rule.nonResourceURLs).toEqual([]);
      for (const field of [rule.verbs, rule.apiGroups, rule.resources, rule.resourceNames]) expect(field).not.toContain('*');
      for (const verb of rule.verbs) {
        expect(READ_VERBS.has(verb), `verb ${verb}`).toBe(true);
        for (const apiGroup of rule.apiGroups) {
          for (const resource of rule.resources) {
            const used = calls.filter((c) => c.verb === verb && c.apiGroup === apiGroup && c.resource === resource);
            expect(used.length, `${verb} ${resource} in group "${apiGroup}" is granted but never called`).toBeGreaterThan(0);
            // A rule limited to names grants exactly the names the collector gets.
            if (rule.resourceNames.length > 0) expect([...rule.resourceNames].sort()).toEqual([...(used[0]?.names ?? [])].sort());
            else expect(used.some((c) => c.names === undefined), `${verb} ${resource} should be limited to resourceNames`).toBe(true);
          }
        }
      }
    }
  });

  it('gives no way to get or watch a Secret: list only, for the metadata-only list', () => {
    for (const verb of ['get', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection']) {
      expect(allows({ verb, apiGroup: '', resource: 'secrets', name: 'any' }), verb).toBe(false);
      expect(allows({ verb, apiGroup: '', resource: 'secrets' }), verb).toBe(false);
    }
    expect(allows({ verb: 'list', apiGroup: '', resource: 'secrets' })).toBe(true);
    // ...and in a role of its own, so it can be left out.
    const withSecrets = clusterRoles.filter((role) => rulesOf(role).some(({ rule }) => rule.resources.includes('secrets')));
    expect(withSecrets).toHaveLength(1);
    expect(rulesOf(withSecrets[0] ?? {})).toHaveLength(1);
  });

  it('grants no write verb on anything', () => {
    for (const verb of ['create', 'update', 'patch', 'delete', 'deletecollection', 'watch', 'escalate', 'bind', 'impersonate']) {
      for (const call of possibleCalls()) expect(allows({ verb, apiGroup: call.apiGroup, resource: call.resource }), `${verb} ${call.resource}`).toBe(false);
    }
    expect(allows({ verb: 'get', apiGroup: '', resource: 'configmaps', name: 'some-app-config' })).toBe(false);
    expect(allows({ verb: 'list', apiGroup: '', resource: 'configmaps' })).toBe(false);
    expect(allows({ verb: 'create', apiGroup: '', resource: 'pods', subresource: 'exec' })).toBe(false);
  });
});

describe('deploy/rbac.yaml against what the collector actually sends', () => {
  let server: FakeApiServer;
  const calico: ServedGroup = { group: 'projectcalico.org', version: 'v3', resources: [{ kind: 'NetworkPolicy', plural: 'networkpolicies', namespaced: true }, { kind: 'GlobalNetworkPolicy', plural: 'globalnetworkpolicies', namespaced: false }] };
  const gatekeeper: ServedGroup = { group: 'templates.gatekeeper.sh', version: 'v1', resources: [{ kind: 'ConstraintTemplate', plural: 'constrainttemplates', namespaced: false }] };
  const sgp: ServedGroup = { group: 'vpcresources.k8s.aws', version: 'v1beta1', resources: [{ kind: 'SecurityGroupPolicy', plural: 'securitygrouppolicies', namespaced: true }] };
  beforeAll(async () => {
    server = await startFakeApiServer({ objects: clusterObjects(), token: 't', addOns: [KYVERNO, CILIUM, calico, gatekeeper, sgp] });
  });
  afterAll(() => server.close());

  /** A request path as the RBAC authorizer reads it. */
  function asRequest(path: string): Request | undefined {
    const parts = path.split('/').filter((p) => p !== '');
    if (parts.length <= 1 || (parts[0] === 'apis' && parts.length <= 3)) return { verb: 'get', nonResourceURL: path };
    const rest = parts[0] === 'api' ? parts.slice(2) : parts.slice(3);
    const apiGroup = parts[0] === 'api' ? '' : (parts[1] ?? '');
    const scoped = rest[0] === 'namespaces' && rest.length >= 3 ? rest.slice(2) : rest;
    const [resource = '', name] = scoped;
    return name === undefined ? { verb: 'list', apiGroup, resource } : { verb: 'get', apiGroup, resource, name };
  }

  it('is enough for a full collection, cluster-wide and per namespace', async () => {
    const kubeconfig = writeKubeconfig(makeTempDir('rbac'), { server: server.url, ca: server.ca, token: 't' });
    await collectCluster({ kubeconfig, env: {}, kinds: ALL_KINDS });
    await collectCluster({ kubeconfig, env: {}, kinds: ALL_KINDS, namespaces: ['team-a'] });
    const resourceRequests = server.requests.map((r) => asRequest(r.path)).filter((r): r is Request => r !== undefined && !('nonResourceURL' in r));
    expect(resourceRequests.length).toBeGreaterThan(40);
    for (const request of resourceRequests) expect(allows(request), JSON.stringify(request)).toBe(true);
    // Discovery only besides: /version, /apis (granted to every authenticated user by system:discovery).
    const discovery = server.requests.map((r) => asRequest(r.path)).filter((r) => r !== undefined && 'nonResourceURL' in r);
    expect(new Set(discovery.map((r) => (r as { nonResourceURL: string }).nonResourceURL))).toEqual(new Set(['/version', '/apis']));
  });
});
