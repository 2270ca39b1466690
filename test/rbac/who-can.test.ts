/**
 * who-can, one situation per semantic point of the Kubernetes authorizer (notes/rbac-audit-pss.md
 * §0, §11): the situations kubectl-who-can's and rakkess's Go test tables exercise, and the
 * corners those tools get wrong, written as our own cases.
 */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import type { WhoCanQuery } from '../../src/rbac/query.js';
import { whoCanAnswer, type WhoCanAnswer } from '../../src/rbac/who-can.js';
import { describeCluster } from '../builders-aws.js';
import { inventoryOf } from '../rule-tester.js';
import { clusterRole, clusterRoleBinding, group, role, roleBinding, rule, sa, urlRule, user } from '../builders-rbac.js';

type Json = Record<string, unknown>;

function ask(objects: readonly Json[], query: WhoCanQuery): WhoCanAnswer {
  return whoCanAnswer(inventoryOf(objects as never), query);
}

/** `Kind name` (ServiceAccounts `ns/name`) of every subject but system:masters, sorted as answered. */
function who(answer: WhoCanAnswer): string[] {
  return answer.subjects
    .filter((s) => !(s.kind === 'Group' && s.name === 'system:masters'))
    .map((s) => `${s.kind} ${s.kind === 'ServiceAccount' ? `${s.namespace ?? ''}/` : ''}${s.name}`);
}

const podReader = clusterRole('pod-reader', [rule(['get', 'list'], [''], ['pods'])]);

describe('system:masters', () => {
  it('is in every answer, first, even with no RBAC objects at all', () => {
    const answer = ask([clusterRole('nothing', [])], { verb: 'delete', resource: 'nodes' });
    expect(answer.subjects.map((s) => `${s.kind} ${s.name}`)).toEqual(['Group system:masters']);
    expect(answer.subjects[0]?.via.map((v) => v.kind)).toEqual(['system:masters']);
    expect(answer.subjects[0]?.members).toMatch(/bypass RBAC/);
  });
});

describe('rule matching', () => {
  it('matches * in verbs, apiGroups and resources', () => {
    const objects = [
      clusterRole('all-verbs', [rule(['*'], [''], ['pods'])]), clusterRoleBinding('a', 'all-verbs', [user('verbs')]),
      clusterRole('all-groups', [rule(['get'], ['*'], ['deployments'])]), clusterRoleBinding('b', 'all-groups', [user('groups')]),
      clusterRole('all-resources', [rule(['get'], ['apps'], ['*'])]), clusterRoleBinding('c', 'all-resources', [user('resources')]),
    ];
    expect(who(ask(objects, { verb: 'get', resource: 'deployments.apps', namespace: 'x' }))).toEqual(['User groups', 'User resources']);
    expect(who(ask(objects, { verb: 'deletecollection', resource: 'pods', namespace: 'x' }))).toEqual(['User verbs']);
  });

  it('treats * in the question literally: who holds every verb, not who holds some', () => {
    const objects = [
      clusterRole('reader', [rule(['get', 'list', 'watch'], ['*'], ['*'])]), clusterRoleBinding('r', 'reader', [user('reader')]),
      clusterRole('god', [rule(['*'], ['*'], ['*'])]), clusterRoleBinding('g', 'god', [user('god')]),
    ];
    expect(who(ask(objects, { verb: '*', resource: '*' }))).toEqual(['User god']);
  });

  it('does not let pods cover pods/exec, and lets */exec cover it', () => {
    const objects = [
      podReader, clusterRoleBinding('readers', 'pod-reader', [user('reader')]),
      clusterRole('any-exec', [rule(['create'], [''], ['*/exec'])]), clusterRoleBinding('execers', 'any-exec', [user('execer')]),
      clusterRole('pods-star', [rule(['create'], [''], ['pods/*'])]), clusterRoleBinding('literal', 'pods-star', [user('literal')]),
      clusterRole('pods-all', [rule(['create'], [''], ['pods'])]), clusterRoleBinding('creators', 'pods-all', [user('creator')]),
    ];
    expect(who(ask(objects, { verb: 'create', resource: 'pods/exec', namespace: 'prod' }))).toEqual(['User execer']);
    expect(who(ask(objects, { verb: 'create', resource: 'pods', namespace: 'prod' }))).toEqual(['User creator']);
  });

  it('counts get on pods/exec, attach and portforward as the session up to Kubernetes 1.34, and when the version is unknown', () => {
    const objects = [
      clusterRole('ws-exec', [rule(['get'], [''], ['pods/exec', 'pods/portforward'])]), clusterRoleBinding('ws', 'ws-exec', [user('websocket')]),
      clusterRole('exec', [rule(['create'], [''], ['pods/exec'])]), clusterRoleBinding('spdy', 'exec', [user('creator')]),
    ];
    const unknown = ask(objects, { verb: 'create', resource: 'pods/exec', namespace: 'prod' });
    expect(who(unknown)).toEqual(['User creator', 'User websocket']);
    expect(unknown.notes.join('\n')).toMatch(/version is unknown.*get on pods\/exec are included/);
    expect(who(ask(objects, { verb: 'create', resource: 'pods/portforward', namespace: 'prod' }))).toEqual(['User websocket']);
    // attach is not granted by get on exec: each subresource is its own.
    expect(who(ask(objects, { verb: 'create', resource: 'pods/attach', namespace: 'prod' }))).toEqual([]);
    const v135 = whoCanAnswer(inventoryOf(objects as never, [describeCluster({ version: '1.35' })] as never), { verb: 'create', resource: 'pods/exec', namespace: 'prod' });
    expect(who(v135)).toEqual(['User creator']);
    expect(v135.notes.some((n) => n.includes('WebSocket'))).toBe(false);
    // The literal question is answered as asked.
    expect(who(ask(objects, { verb: 'get', resource: 'pods/exec', namespace: 'prod' }))).toEqual(['User websocket']);
  });

  it('never matches a rule with resourceNames for list, create or deletecollection', () => {
    const objects = [
      clusterRole('one-secret', [rule(['get', 'list', 'create', 'deletecollection'], [''], ['secrets'], ['db'])]),
      clusterRoleBinding('one', 'one-secret', [user('narrow')]),
    ];
    expect(who(ask(objects, { verb: 'get', resource: 'secrets', name: 'db', namespace: 'x' }))).toEqual(['User narrow']);
    expect(who(ask(objects, { verb: 'get', resource: 'secrets', name: 'other', namespace: 'x' }))).toEqual([]);
    expect(who(ask(objects, { verb: 'get', resource: 'secrets', namespace: 'x' }))).toEqual([]);
    expect(who(ask(objects, { verb: 'list', resource: 'secrets', namespace: 'x' }))).toEqual([]);
    const create = ask(objects, { verb: 'create', resource: 'secrets', name: 'db', namespace: 'x' });
    expect(who(create)).toEqual([]);
    expect(create.notes.join(' ')).toMatch(/create requests carry no object name/);
    expect(who(ask(objects, { verb: 'deletecollection', resource: 'secrets', name: 'db', namespace: 'x' }))).toEqual([]);
  });

  it('matches non-resource URLs exactly, by *, and by a trailing * prefix', () => {
    const objects = [
      clusterRole('exact', [urlRule(['get'], ['/metrics'])]), clusterRoleBinding('e', 'exact', [user('exact')]),
      clusterRole('prefix', [urlRule(['get'], ['/logs/*'])]), clusterRoleBinding('p', 'prefix', [user('prefix')]),
      clusterRole('star', [urlRule(['get'], ['*'])]), clusterRoleBinding('s', 'star', [user('star')]),
    ];
    expect(who(ask(objects, { verb: 'get', resource: '/metrics' }))).toEqual(['User exact', 'User star']);
    expect(who(ask(objects, { verb: 'get', nonResourceURL: '/logs/kube-apiserver.log' }))).toEqual(['User prefix', 'User star']);
    expect(who(ask(objects, { verb: 'get', nonResourceURL: '/logs' }))).toEqual(['User star']);
    expect(who(ask(objects, { verb: 'post', nonResourceURL: '/metrics' }))).toEqual([]);
  });

  it('grants non-resource URLs through ClusterRoleBindings only, never a RoleBinding', () => {
    const objects = [
      clusterRole('metrics', [urlRule(['get'], ['/metrics'])]),
      roleBinding('monitoring', 'scraper', { kind: 'ClusterRole', name: 'metrics' }, [user('namespaced')]),
      clusterRoleBinding('scraper', 'metrics', [user('cluster')]),
    ];
    const answer = ask(objects, { verb: 'get', nonResourceURL: '/metrics?timeout=32s', namespace: 'monitoring' });
    expect(who(answer)).toEqual(['User cluster']);
    expect(answer.query.request).toEqual({ verb: 'get', nonResourceURL: '/metrics' });
    expect(answer.notes.join(' ')).toMatch(/non-resource URLs have no namespace/);
  });
});

describe('binding resolution', () => {
  it('scopes a RoleBinding to a ClusterRole to the binding\'s namespace', () => {
    const objects = [podReader, roleBinding('shop', 'readers', { kind: 'ClusterRole', name: 'pod-reader' }, [user('alice')])];
    expect(who(ask(objects, { verb: 'get', resource: 'pods', namespace: 'shop' }))).toEqual(['User alice']);
    expect(who(ask(objects, { verb: 'get', resource: 'pods', namespace: 'billing' }))).toEqual([]);
    const via = ask(objects, { verb: 'get', resource: 'pods', namespace: 'shop' }).subjects[1]?.via[0];
    expect(via).toMatchObject({ kind: 'RoleBinding', name: 'readers', namespace: 'shop', role: 'ClusterRole/pod-reader' });
  });

  it('looks a RoleBinding\'s Role up in the binding\'s namespace only', () => {
    const objects = [
      role('shop', 'reader', [rule(['get'], [''], ['pods'])]),
      roleBinding('billing', 'reader', { kind: 'Role', name: 'reader' }, [user('bob')]),
    ];
    const answer = ask(objects, { verb: 'get', resource: 'pods', namespace: 'billing' });
    expect(who(answer)).toEqual([]);
    expect(answer.dangling.map((d) => `${d.kind} ${d.namespace ?? ''}/${d.name} → ${d.roleRef}`)).toEqual(['RoleBinding billing/reader → Role/reader']);
  });

  it('defaults a RoleBinding ServiceAccount subject\'s namespace to the binding\'s; a ClusterRoleBinding\'s never matches', () => {
    const objects = [
      podReader,
      roleBinding('shop', 'checkout', { kind: 'ClusterRole', name: 'pod-reader' }, [sa('checkout')]),
      clusterRoleBinding('nowhere', 'pod-reader', [sa('orphan')]),
    ];
    expect(who(ask(objects, { verb: 'list', resource: 'pods', namespace: 'shop' }))).toEqual(['ServiceAccount shop/checkout']);
  });

  it('reports dangling bindings in scope, which grant nothing, and leaves out bootstrap bindings whose role every cluster has', () => {
    const objects = [
      clusterRoleBinding('ghost', 'deleted-role', [user('ghost')]),
      roleBinding('shop', 'old', { kind: 'Role', name: 'gone' }, [group('devs')]),
      roleBinding('other', 'old', { kind: 'Role', name: 'gone' }, [group('devs')]),
      clusterRoleBinding('system:controller:job-controller', 'system:controller:job-controller', [sa('job-controller', 'kube-system')]),
    ];
    const answer = ask(objects, { verb: 'get', resource: 'pods', namespace: 'shop' });
    expect(who(answer)).toEqual([]);
    expect(answer.dangling.map((d) => `${d.kind} ${d.name} ${d.roleRef} ${d.subjects.join(',')}`)).toEqual([
      'ClusterRoleBinding ghost ClusterRole/deleted-role User ghost',
      'RoleBinding old Role/gone Group devs',
    ]);
  });

  it('resolves aggregated ClusterRoles offline: the union of the selected roles\' rules', () => {
    const objects = [
      clusterRole('team-view', undefined, { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'example.com/team-view': 'true' } }] } }),
      clusterRole('widgets-view', [rule(['get', 'list'], ['example.com'], ['widgets'])], { labels: { 'example.com/team-view': 'true' } }),
      clusterRoleBinding('team', 'team-view', [group('team')]),
    ];
    expect(who(ask(objects, { verb: 'list', resource: 'widgets.example.com', namespace: 'x' }))).toEqual(['Group team']);
  });

  it('takes a built-in role the input lacks from what Kubernetes ships', () => {
    const objects = [roleBinding('shop', 'devs', { kind: 'ClusterRole', name: 'edit' }, [group('devs')])];
    expect(who(ask(objects, { verb: 'create', resource: 'pods/exec', namespace: 'shop' }))).toEqual(['Group devs']);
  });
});

describe('namespaces', () => {
  const objects = [
    podReader,
    roleBinding('shop', 'readers', { kind: 'ClusterRole', name: 'pod-reader' }, [user('alice')]),
    roleBinding('billing', 'readers', { kind: 'ClusterRole', name: 'pod-reader' }, [user('alice'), user('bob')]),
    clusterRoleBinding('everywhere', 'pod-reader', [user('carol')]),
  ];

  it('counts every namespace\'s RoleBindings when no namespace is given, and says where each applies', () => {
    const answer = ask(objects, { verb: 'get', resource: 'pods' });
    expect(answer.query.scope).toEqual({ type: 'anywhere' });
    expect(answer.subjects.filter((s) => s.kind === 'User').map((s) => [s.name, s.scope])).toEqual([
      ['alice', { clusterWide: false, namespaces: ['billing', 'shop'] }],
      ['bob', { clusterWide: false, namespaces: ['billing'] }],
      ['carol', { clusterWide: true, namespaces: [] }],
    ]);
  });

  it('answers cluster-scoped resources from ClusterRoleBindings only, whatever -n says', () => {
    const nodes = [
      clusterRole('node-reader', [rule(['get'], [''], ['nodes'])]),
      roleBinding('shop', 'nodes', { kind: 'ClusterRole', name: 'node-reader' }, [user('namespaced')]),
      clusterRoleBinding('nodes', 'node-reader', [user('cluster')]),
    ];
    const answer = ask(nodes, { verb: 'get', resource: 'nodes', namespace: 'shop' });
    expect(who(answer)).toEqual(['User cluster']);
    expect(answer.notes.join(' ')).toMatch(/nodes is cluster-scoped/);
  });

  it('makes a request on a Namespace object inside that namespace, so its RoleBindings count', () => {
    const ns = [clusterRole('ns-reader', [rule(['get'], [''], ['namespaces'])]), roleBinding('shop', 'ns', { kind: 'ClusterRole', name: 'ns-reader' }, [user('alice')])];
    expect(who(ask(ns, { verb: 'get', resource: 'namespaces', name: 'shop' }))).toEqual(['User alice']);
    expect(who(ask(ns, { verb: 'get', resource: 'namespaces', name: 'billing' }))).toEqual([]);
    expect(who(ask(ns, { verb: 'list', resource: 'namespaces' }))).toEqual([]);
  });
});

describe('implicit groups', () => {
  it('lists groups authentication fills, saying who is in them', () => {
    const objects = [
      podReader,
      clusterRoleBinding('everyone', 'pod-reader', [group('system:authenticated'), group('system:unauthenticated')]),
      roleBinding('ci', 'all-ci-sa', { kind: 'ClusterRole', name: 'pod-reader' }, [group('system:serviceaccounts:ci')]),
    ];
    const answer = ask(objects, { verb: 'get', resource: 'pods', namespace: 'ci' });
    expect(answer.subjects.filter((s) => s.kind === 'Group').map((s) => [s.name, s.members])).toEqual([
      ['system:masters', expect.stringMatching(/bypass RBAC/)],
      ['system:authenticated', 'every authenticated user and ServiceAccount'],
      ['system:serviceaccounts:ci', 'every ServiceAccount of namespace ci'],
      ['system:unauthenticated', 'every anonymous request'],
    ]);
  });
});

describe('resources in the question', () => {
  it('resolves short names, kinds, API groups and the input\'s CRDs', () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'certificates.cert-manager.io' },
      spec: { group: 'cert-manager.io', scope: 'Namespaced', names: { plural: 'certificates', singular: 'certificate', kind: 'Certificate', shortNames: ['cert'] } },
    };
    const objects = [crd, clusterRole('x', [rule(['get'], ['apps'], ['deployments'])])];
    const resolved = (resource: string) => {
      const r = ask(objects, { verb: 'get', resource, namespace: 'x' }).query.request;
      return 'apiGroup' in r ? `${r.resource}${r.apiGroup === '' ? '' : `.${r.apiGroup}`}${r.subresource !== undefined ? `/${r.subresource}` : ''}` : '';
    };
    expect(resolved('deploy')).toBe('deployments.apps');
    expect(resolved('Deployment/scale')).toBe('deployments.apps/scale');
    expect(resolved('po/exec')).toBe('pods/exec');
    expect(resolved('cert')).toBe('certificates.cert-manager.io');
    expect(resolved('widgets.example.com')).toBe('widgets.example.com');
  });

  it('refuses a resource it cannot place in an API group, with a hint', () => {
    expect(() => ask([], { verb: 'get', resource: 'widgets' })).toThrow(UsageError);
    expect(() => ask([], { verb: 'get', resource: 'widgets' })).toThrow(/unknown resource "widgets"/);
    expect(() => ask([], { verb: 'get', resource: 'pods/exec/extra' })).toThrow(/RESOURCE\/SUBRESOURCE/);
  });
});
