import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { rbacFromAuditLogs } from '../../src/audit-log/analyze.js';
import { compactRules } from '../../src/audit-log/rbac/compact.js';
import { generateRules, DEFAULT_GENERATE_OPTIONS } from '../../src/audit-log/rbac/generate.js';
import type { RequestAttributes } from '../../src/audit-log/rbac/requests.js';
import type { PolicyRule } from '../../src/rbac/policy-rule.js';
import { conformanceData } from '../support/conformance.js';
import { auditEvent, jsonLines } from './events.js';

const demo = conformanceData('audit-logs/audit2rbac/demo.log', 'the audit rbac tests on audit2rbac\'s demo.log (test/audit-log/rbac.test.ts)');
const AUDIT2RBAC = { name: 'audit2rbac:${user}', labels: { 'audit2rbac.liggitt.net/user': '${user}', 'audit2rbac.liggitt.net/generated': 'true' }, annotations: {} };

/** Objects as `kubectl apply` would compare them: parsed YAML. */
function parsed(yaml: string): unknown[] {
  return parseAllDocuments(yaml).map((doc) => doc.toJS() as unknown);
}

function res(verb: string, resource: string, namespace = '', name = '', extra: Partial<Extract<RequestAttributes, { resourceRequest: true }>> = {}): RequestAttributes {
  return { resourceRequest: true, verb, apiGroup: '', apiVersion: 'v1', resource, subresource: '', namespace, name, ...extra };
}

function rule(verbs: string[], resources: string[], extra: Partial<PolicyRule> = {}): PolicyRule {
  return { verbs, apiGroups: [''], resources, resourceNames: [], nonResourceURLs: [], ...extra };
}

describe.skipIf(demo.missing)('audit rbac on audit2rbac demo.log', () => {
  it('reproduces the documented result for alice', async () => {
    const result = await rbacFromAuditLogs({ paths: [demo.path], user: 'alice', template: AUDIT2RBAC });
    expect(result.gaps).toEqual([]);
    const meta = { labels: { 'audit2rbac.liggitt.net/generated': 'true', 'audit2rbac.liggitt.net/user': 'alice' }, name: 'audit2rbac:alice', namespace: 'ns1' };
    expect(parsed(result.yaml)).toEqual([
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta, rules: [{ apiGroups: [''], resources: ['configmaps', 'pods', 'secrets'], verbs: ['get', 'list', 'watch'] }] },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta,
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'audit2rbac:alice' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' }],
      },
    ]);
  });

  it('widens bob to a ClusterRole: pods seen in two namespaces, nodes cluster-wide; his discovery requests need nothing', async () => {
    const result = await rbacFromAuditLogs({ paths: [demo.path], user: 'bob', template: AUDIT2RBAC });
    expect(result.rules).toEqual({ cluster: [rule(['get', 'list', 'watch'], ['nodes', 'pods'])], namespaced: [] });
    expect(result.objects.map((o) => o.kind)).toEqual(['ClusterRole', 'ClusterRoleBinding']);
  });

  it('binds a ServiceAccount subject for --serviceaccount, with a sanitised label', async () => {
    const result = await rbacFromAuditLogs({ paths: [demo.path], user: 'system:serviceaccount:ns1:sa1', template: AUDIT2RBAC });
    const [role, binding] = parsed(result.yaml) as { metadata: { name: string; labels: Record<string, string> }; subjects?: unknown }[];
    expect(role?.metadata.name).toBe('audit2rbac:system:serviceaccount:ns1:sa1');
    expect(role?.metadata.labels['audit2rbac.liggitt.net/user']).toBe('system-serviceaccount-ns1-sa1');
    expect(binding?.subjects).toEqual([{ kind: 'ServiceAccount', name: 'sa1', namespace: 'ns1' }]);
    expect(result.rules.cluster).toEqual([rule(['get', 'list', 'watch'], ['nodes', 'pods'])]);
  });

  it('keeps bob namespaced when widening is off: one Role per namespace', async () => {
    const result = await rbacFromAuditLogs({ paths: [demo.path], user: 'bob', template: AUDIT2RBAC, generate: { expandMultipleNamespaces: false } });
    expect(result.rules.cluster).toEqual([rule(['get', 'list', 'watch'], ['nodes'])]);
    expect(result.rules.namespaced).toEqual([['default', [rule(['get', 'list', 'watch'], ['pods'])]], ['ns1', [rule(['get', 'list', 'watch'], ['pods'])]]]);
  });

  it('filters by --namespace', async () => {
    const result = await rbacFromAuditLogs({ paths: [demo.path], user: 'bob', namespace: 'ns1', template: AUDIT2RBAC });
    expect(result.rules).toEqual({ cluster: [], namespaced: [['ns1', [rule(['get', 'list', 'watch'], ['pods'])]]] });
  });
});

describe('generateRules (audit2rbac semantics)', () => {
  it('drops the name of a create, keeps subresources as res/sub, and strips the query of non-resource URLs', async () => {
    const events = [
      auditEvent({ user: 'ci', verb: 'create', resource: 'configmaps', namespace: 'app', name: 'settings', code: 201 }),
      auditEvent({ user: 'ci', verb: 'get', resource: 'pods', subresource: 'log', namespace: 'app', name: 'web-1' }),
      auditEvent({ user: 'ci', verb: 'get', path: '/metrics', query: 'timeout=5s' }),
      auditEvent({ user: 'ci', verb: 'get', path: '/version' }),
      auditEvent({ user: 'someone-else', verb: 'delete', resource: 'pods', namespace: 'app', name: 'x' }),
    ];
    const result = await rbacFromAuditLogs({ paths: ['-'], stdin: Readable.from([Buffer.from(jsonLines(events))]), user: 'ci', template: AUDIT2RBAC });
    expect(result.rules).toEqual({
      cluster: [{ verbs: ['get'], apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: ['/metrics'] }],
      namespaced: [['app', [rule(['create'], ['configmaps']), rule(['get'], ['pods/log'], { resourceNames: ['web-1'] })]]],
    });
  });

  it('uses the impersonated user as the subject', async () => {
    const events = [auditEvent({ user: 'system:admin', impersonate: 'dev', verb: 'list', resource: 'services', namespace: 'team' })];
    const result = await rbacFromAuditLogs({ paths: ['-'], stdin: Readable.from([Buffer.from(jsonLines(events))]), user: 'dev', template: AUDIT2RBAC });
    expect(result.rules.namespaced).toEqual([['team', [rule(['get', 'list', 'watch'], ['services'])]]]);
    expect((await rbacFromAuditLogs({ paths: ['-'], stdin: Readable.from([Buffer.from(jsonLines(events))]), user: 'system:admin', template: AUDIT2RBAC })).matched).toBe(0);
  });

  it('widens names seen twice, and update pods/status on four pods in two namespaces to one cluster rule', () => {
    const requests = [
      res('update', 'pods', 'a', 'p1', { subresource: 'status' }), res('update', 'pods', 'a', 'p2', { subresource: 'status' }),
      res('update', 'pods', 'b', 'p3', { subresource: 'status' }), res('update', 'pods', 'b', 'p4', { subresource: 'status' }),
    ];
    expect(generateRules(requests)).toEqual({ cluster: [rule(['get', 'patch', 'update'], ['pods/status'])], namespaced: [] });
    const noNames = generateRules(requests, { ...DEFAULT_GENERATE_OPTIONS, expandMultipleNames: false, expandMultipleNamespaces: false });
    expect(noNames.namespaced).toEqual([
      ['a', [rule(['get', 'patch', 'update'], ['pods/status'], { resourceNames: ['p1', 'p2'] })]],
      ['b', [rule(['get', 'patch', 'update'], ['pods/status'], { resourceNames: ['p3', 'p4'] })]],
    ]);
  });

  it('keeps a lock-style create/get/update in one namespace as a Role, and lets a list cover later gets', () => {
    const lock = [res('create', 'configmaps', 'kube-system'), res('get', 'configmaps', 'kube-system', 'lock'), res('update', 'configmaps', 'kube-system', 'lock')];
    expect(generateRules(lock)).toEqual({
      cluster: [],
      // Kubernetes' CompactString order: ResourceNames before Verbs.
      namespaced: [['kube-system', [rule(['get', 'patch', 'update'], ['configmaps'], { resourceNames: ['lock'] }), rule(['create'], ['configmaps'])]]],
    });
    expect(generateRules([res('get', 'secrets', 'ns', 'one'), res('list', 'secrets', 'ns')])).toEqual({ cluster: [], namespaced: [['ns', [rule(['get', 'list', 'watch'], ['secrets'])]]] });
  });
});

describe('compactRules', () => {
  it('merges verbs, then names, then resources, and sorts by group', () => {
    const input = [
      rule(['get'], ['pods'], { apiGroups: ['apps'], resources: ['deployments'] }),
      rule(['get'], ['pods'], { resourceNames: ['a'] }),
      rule(['get'], ['pods'], { resourceNames: ['b'] }),
      rule(['list'], ['services']),
      rule(['list'], ['endpoints']),
      { verbs: ['get'], apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: ['/metrics'] },
    ];
    expect(compactRules(input)).toEqual([
      rule(['list'], ['endpoints', 'services']),
      rule(['get'], ['pods'], { resourceNames: ['a', 'b'] }),
      { verbs: ['get'], apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: ['/metrics'] },
      rule(['get'], ['deployments'], { apiGroups: ['apps'] }),
    ]);
  });
});

describe('audit rbac on hostile events', () => {
  it('never turns an event with a resource path and a malformed objectRef into a cluster-wide non-resource grant', async () => {
    const exec = auditEvent({ user: 'mallory', verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'prod', name: 'web' });
    const broken = [
      { ...exec, objectRef: undefined },
      { ...exec, objectRef: 'pods/exec' },
      { ...exec, objectRef: { resource: '', namespace: 'prod' } },
    ];
    const healthz = auditEvent({ user: 'mallory', verb: 'get', path: '/healthz' });
    const logs = auditEvent({ user: 'mallory', verb: 'get', resource: 'pods', namespace: 'prod', name: 'web', subresource: 'log' });
    const stdin = Readable.from([Buffer.from(jsonLines([...broken, healthz, logs]))]);
    const result = await rbacFromAuditLogs({ paths: ['-'], stdin, user: 'mallory', template: AUDIT2RBAC });
    expect(result.yaml).not.toContain('/api/v1/namespaces');
    expect(result.yaml).toContain('pods/log');
    expect(result.requests).toEqual([
      { resourceRequest: false, verb: 'get', path: '/healthz' },
      res('get', 'pods', 'prod', 'web', { subresource: 'log' }),
    ]);
    expect(result.gaps).toEqual([expect.objectContaining({ code: 'NOT_AN_AUDIT_EVENT', message: '3 events of mallory name an API resource path without a readable objectRef; left out of the generated rules' })]);
  });

  it('tells resource paths from non-resource URLs as the API server does', async () => {
    const { isResourcePath } = await import('../../src/audit-log/rbac/requests.js');
    for (const path of ['/api/v1/pods', '/api/v1/namespaces', '/apis/apps/v1/deployments', '/apis/apps/v1/namespaces/x/deployments/y/scale']) expect(isResourcePath(path), path).toBe(true);
    for (const path of ['/api', '/api/v1', '/apis', '/apis/apps', '/apis/apps/v1', '/healthz', '/version', '/openapi/v2', '/metrics']) expect(isResourcePath(path), path).toBe(false);
  });
});
