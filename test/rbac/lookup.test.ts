/**
 * `rbac lookup`: rbac-lookup's rows for its own end-to-end case (rbac/ of the conformance data), and what
 * rbac-lookup leaves out — implicit groups, missing roles, IAM principals.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../src/collect/files/parse-manifests.js';
import { Inventory } from '../../src/core/inventory.js';
import { lookup, type LookupAnswer } from '../../src/rbac/lookup.js';
import { renderLookupTable } from '../../src/rbac/render.js';
import { inventoryOf } from '../rule-tester.js';
import { CIRCLECI_ROWS, rbacLookupCase } from './conformance.js';
import { awsAuth, bootstrapDump, clusterRole, clusterRoleBinding, group, roleBinding, rule, sa, user } from '../builders-rbac.js';

type Json = Record<string, unknown>;

const e2e = rbacLookupCase('the rbac lookup tests on rbac-lookup\'s end-to-end case (test/rbac/lookup.test.ts)');
const CONFORMANCE_DIR = e2e.path;

function conformanceInventory(): Inventory {
  const resources = readdirSync(CONFORMANCE_DIR).sort().flatMap((file) => {
    const parsed = parseManifests(join(CONFORMANCE_DIR, file), readFileSync(join(CONFORMANCE_DIR, file), 'utf8'));
    expect(parsed.gaps).toEqual([]);
    return parsed.resources;
  });
  return new Inventory(resources, [], ['manifests']);
}

function rows(answer: LookupAnswer): string[][] {
  return answer.rows.map((r) => [
    `${r.subject.kind}/${r.subject.kind === 'ServiceAccount' ? `${r.subject.namespace ?? ''}:` : ''}${r.subject.name}`,
    r.scope, `${r.role.kind}/${r.role.name}${r.role.missing ? ' (missing)' : ''}`, `${r.source.kind}/${r.source.name}`, r.through ?? '',
  ]);
}

describe.skipIf(e2e.missing)('rbac-lookup conformance (FairwindsOps/rbac-lookup e2e/tests)', () => {
  it('gives the three rows rbac-lookup gives for circleci', () => {
    const answer = lookup(conformanceInventory(), { subject: 'circleci' });
    expect(rows(answer).map((r) => r.slice(0, 4)).sort()).toEqual([...CIRCLECI_ROWS].sort());
    expect(answer.rows.every((r) => r.through === undefined)).toBe(true);
  });

  it('prints them in rbac-lookup\'s -o wide columns', () => {
    const table = renderLookupTable(lookup(conformanceInventory(), { subject: 'circleci' }), [], { color: false, width: 200 }); // wide enough that no row wraps
    const lines = table.split('\n');
    expect(lines[0]?.split(/\s+/)).toEqual(['SUBJECT', 'SCOPE', 'ROLE', 'SOURCE']);
    const printed = lines.slice(1).filter((l) => l.startsWith('ServiceAccount/')).map((l) => l.split(/\s+/));
    expect(printed.sort()).toEqual([...CIRCLECI_ROWS].sort());
  });

  it('finds bindings for e2e-test, as rbac-lookup e2e-test does', () => {
    const answer = lookup(conformanceInventory(), { subject: 'e2e-test' });
    expect(rows(answer).map((r) => r.slice(0, 4))).toEqual([['ServiceAccount/default:e2e-test', 'cluster-wide', 'ClusterRole/cluster-admin', 'ClusterRoleBinding/e2e-test-binding']]);
  });

  it('says so when nothing matches', () => {
    const answer = lookup(conformanceInventory(), { subject: 'nobody' });
    expect(answer.rows).toEqual([]);
    expect(renderLookupTable(answer, [], { color: false })).toMatch(/^No RBAC Bindings found/);
  });
});

describe('subjects', () => {
  const objects: Json[] = [
    clusterRole('reader', [rule(['get'], [''], ['pods'])]),
    clusterRoleBinding('zeta-reader', 'reader', [user('zeta'), group('zeta')]),
    roleBinding('shop', 'zeta-old', { kind: 'Role', name: 'removed' }, [user('zeta')]),
    roleBinding('shop', 'zetaops', { kind: 'ClusterRole', name: 'reader' }, [user('zetaops')]),
    roleBinding('ci', 'all-ci', { kind: 'ClusterRole', name: 'reader' }, [group('system:serviceaccounts:ci')]),
    clusterRoleBinding('all-sa', 'reader', [group('system:serviceaccounts')]),
    roleBinding('ci', 'builder', { kind: 'ClusterRole', name: 'edit' }, [sa('builder')]),
    ...bootstrapDump(),
  ];
  const inventory = inventoryOf(objects as never);

  it('matches a substring of names, narrowed by --kind, or the whole name with --exact', () => {
    const names = (answer: LookupAnswer) => new Set(answer.rows.map((r) => `${r.subject.kind}/${r.subject.name}`));
    expect(names(lookup(inventory, { subject: 'zeta' }))).toEqual(new Set(['User/zeta', 'Group/zeta', 'User/zetaops']));
    expect(names(lookup(inventory, { subject: 'zeta', kind: 'group' }))).toEqual(new Set(['Group/zeta']));
    expect(names(lookup(inventory, { subject: 'zeta', exact: true }))).toEqual(new Set(['User/zeta', 'Group/zeta']));
    // rbac-lookup's substring: every controller ServiceAccount whose name contains it.
    expect([...names(lookup(inventory, { subject: 'eviction', kind: 'serviceaccount' }))].sort()).toEqual([
      'ServiceAccount/device-taint-eviction-controller', 'ServiceAccount/taint-eviction-controller',
    ]);
  });

  it('flags a binding whose role is missing', () => {
    const found = rows(lookup(inventory, { subject: 'zeta', kind: 'user', exact: true }));
    expect(found).toContainEqual(['User/zeta', 'shop', 'Role/removed (missing)', 'RoleBinding/zeta-old', '']);
  });

  it('adds what a ServiceAccount holds through its implicit groups, leaving out what Kubernetes ships to everyone', () => {
    const found = rows(lookup(inventory, { subject: 'system:serviceaccount:ci:builder' }));
    expect(found).toEqual([
      ['ServiceAccount/ci:builder', 'cluster-wide', 'ClusterRole/reader', 'ClusterRoleBinding/all-sa', 'Group system:serviceaccounts (implicit: every ServiceAccount)'],
      ['ServiceAccount/ci:builder', 'ci', 'ClusterRole/edit', 'RoleBinding/builder', ''],
      ['ServiceAccount/ci:builder', 'ci', 'ClusterRole/reader', 'RoleBinding/all-ci', 'Group system:serviceaccounts:ci (implicit: every ServiceAccount of namespace ci)'],
    ]);
  });

  it('answers for a ServiceAccount no binding names, through its groups', () => {
    const found = rows(lookup(inventory, { subject: 'ci:runner' }));
    expect(found).toEqual([]);
    const bySaName = rows(lookup(inventory, { subject: 'system:serviceaccount:ci:runner' }));
    expect(bySaName.map((r) => r.slice(1, 4))).toEqual([
      ['cluster-wide', 'ClusterRole/reader', 'ClusterRoleBinding/all-sa'],
      ['ci', 'ClusterRole/reader', 'RoleBinding/all-ci'],
    ]);
  });
});

describe('IAM principals', () => {
  const ACCOUNT = '111122223333';
  const sre = `arn:aws:iam::${ACCOUNT}:role/sre`;
  const objects: Json[] = [
    clusterRole('reader', [rule(['get'], [''], ['pods'])]),
    clusterRoleBinding('sre', 'reader', [group('sre')]),
    roleBinding('prod', 'oncall', { kind: 'ClusterRole', name: 'edit' }, [user('sre:jane')]),
    awsAuth({
      mapRoles: [
        { rolearn: sre, username: 'sre:{{SessionName}}', groups: ['sre'] },
        { rolearn: `arn:aws:iam::${ACCOUNT}:role/admin`, username: 'admin', groups: ['system:masters'] },
      ],
      mapAccounts: ['444455556666'],
    }),
  ];
  const inventory = inventoryOf(objects as never);

  it('lists the roles an IAM role holds through its groups and the users its username template can become', () => {
    const answer = lookup(inventory, { subject: sre });
    expect(rows(answer)).toEqual([
      [`IAMRole/${sre}`, 'cluster-wide', 'ClusterRole/reader', 'ClusterRoleBinding/sre', 'aws-auth mapRoles[0] as Group sre'],
      [`IAMRole/${sre}`, 'prod', 'ClusterRole/edit', 'RoleBinding/oncall', 'aws-auth mapRoles[0] as User sre:jane (username template sre:{{SessionName}})'],
    ]);
    expect(answer.subjects[0]?.notes[0]).toBe('aws-auth mapRoles[0]: username sre:{{SessionName}}, groups sre');
  });

  it('reads a session ARN as its role, as EKS does', () => {
    const answer = lookup(inventory, { subject: `arn:aws:sts::${ACCOUNT}:assumed-role/sre/jane` });
    expect(answer.rows).toHaveLength(2);
  });

  it('shows system:masters as bypassing RBAC', () => {
    expect(rows(lookup(inventory, { subject: `arn:aws:iam::${ACCOUNT}:role/admin` }))).toEqual([
      [`IAMRole/arn:aws:iam::${ACCOUNT}:role/admin`, 'cluster-wide', 'system:masters/system:masters', 'aws-auth/aws-auth mapRoles[1]', 'aws-auth mapRoles[1] as Group system:masters (bypasses RBAC)'],
    ]);
  });

  it('names the IAM principals behind a group', () => {
    expect(lookup(inventory, { subject: 'sre', kind: 'group', exact: true }).subjects[0]?.mappedFrom).toEqual([`IAMRole ${sre} via aws-auth mapRoles[0]`]);
  });

  it('says when an ARN is mapped by nothing, and when mapAccounts maps it', () => {
    const unmapped = lookup(inventory, { subject: `arn:aws:iam::${ACCOUNT}:user/nobody` });
    expect(unmapped.rows).toEqual([]);
    expect(unmapped.notes[0]).toMatch(/cannot authenticate/);
    const byAccount = lookup(inventory, { subject: 'arn:aws:iam::444455556666:user/visitor' });
    expect(byAccount.subjects[0]?.notes[0]).toMatch(/mapAccounts maps account 444455556666/);
  });
});
