import { describe, expect, it } from 'vitest';
import { isAwsAuthConfigMap, parseAwsAuth } from '../../src/core/aws-auth.js';
import { inventoryOf } from '../rule-tester.js';
import { awsAuth } from '../builders-rbac.js';

const parse = (data: Record<string, unknown>) => {
  const inventory = inventoryOf(awsAuth(data));
  const resource = inventory.objects[0];
  if (resource === undefined) throw new Error('no object');
  return parseAwsAuth(resource);
};

describe('parseAwsAuth', () => {
  it('reads mapRoles, mapUsers and mapAccounts as the authenticator does', () => {
    const parsed = parse({
      mapRoles: '- rolearn: arn:aws:iam::111122223333:role/admin\n  username: admin:{{SessionName}}\n  groups: [ops]\n- sso:\n    permissionSetName: Admin\n    accountID: "111122223333"\n  username: sso\n',
      mapUsers: [{ UserArn: 'arn:aws:iam::111122223333:user/bob', username: 'bob' }],
      mapAccounts: '- 011122223333\n- "222233334444"\n',
    });
    expect(parsed.roles).toEqual([
      { key: 'mapRoles', index: 0, rolearn: 'arn:aws:iam::111122223333:role/admin', username: 'admin:{{SessionName}}', groups: ['ops'] },
      { key: 'mapRoles', index: 1, sso: { permissionSetName: 'Admin', accountID: '111122223333' }, username: 'sso', groups: [] },
    ]);
    expect(parsed.users).toEqual([{ key: 'mapUsers', index: 0, userarn: 'arn:aws:iam::111122223333:user/bob', username: 'bob', groups: [] }]);
    expect(parsed.accounts).toEqual(['011122223333', '222233334444']);
    expect(parsed.problems).toEqual([]);
  });

  it('reports what it cannot read and keeps the rest', () => {
    const parsed = parse({
      mapRoles: '- rolearn: arn:aws:iam::1:role/a\n  groups: system:masters\n- just a string\n- username: nobody\n- rolearn: arn:aws:iam::1:role/b\n  groups: [ok, 7]\n',
      mapUsers: 'userarn: [unclosed',
      mapAccounts: '{a: b}',
    });
    expect(parsed.roles.map((r) => [r.rolearn, r.groups])).toEqual([['arn:aws:iam::1:role/a', []], ['arn:aws:iam::1:role/b', ['ok']]]);
    expect(parsed.users).toEqual([]);
    expect(parsed.problems.map((p) => `${p.key} ${p.message}`)).toEqual([
      'mapRoles entry 0 has groups that are not a list; EKS ignores them',
      'mapRoles entry 1 is not a mapping; EKS ignores it',
      'mapRoles entry 2 has neither rolearn nor sso; EKS ignores it',
      'mapRoles entry 3 has groups that are not strings; EKS ignores them',
      expect.stringMatching(/^mapUsers is not valid YAML \(.*\); EKS ignores the whole value$/) as unknown as string,
      'mapAccounts is not a YAML list; EKS ignores the whole value',
    ]);
  });

  it('treats empty and missing values as no mappings', () => {
    expect(parse({ mapRoles: '', mapUsers: '\n' })).toMatchObject({ roles: [], users: [], accounts: [], problems: [] });
    const inventory = inventoryOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'aws-auth', namespace: 'kube-system' } });
    expect(inventory.awsAuth[0]?.problems).toEqual([]);
  });

  it('recognises only kube-system/aws-auth', () => {
    const [other] = inventoryOf(awsAuth({}, 'default')).objects;
    expect(other && isAwsAuthConfigMap(other)).toBe(false);
  });
});

describe('Inventory.derivedGaps', () => {
  it('names the ConfigMap, the key and the line of a malformed mapping', () => {
    const inventory = inventoryOf(`apiVersion: v1
kind: Namespace
metadata: { name: kube-system }
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
  namespace: kube-system
data:
  mapRoles: 42
  mapUsers: |
    - userarn: [unclosed
`);
    expect(inventory.derivedGaps).toEqual([
      { source: 'test.yaml', line: 5, code: 'AWS_AUTH_INVALID', message: 'ConfigMap kube-system/aws-auth: mapRoles is not a string (ConfigMap values are strings holding YAML); EKS cannot read it' },
      expect.objectContaining({ source: 'test.yaml', line: 5, code: 'AWS_AUTH_INVALID', message: expect.stringContaining('ConfigMap kube-system/aws-auth: mapUsers is not valid YAML') as unknown as string }),
    ]);
    expect(inventory.awsAuth).toBe(inventory.awsAuth);
  });

  it('is empty without an aws-auth ConfigMap', () => {
    expect(inventoryOf(awsAuth({ mapRoles: '{' }, 'default')).derivedGaps).toEqual([]);
  });
});
