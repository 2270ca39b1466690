import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/identity/require-permissions-boundary.js';
import { EC2_TRUST, HARDENED_DUMP, POD_IDENTITY_TRUST, authorizationDetails, describeCluster, irsaServiceAccount, podIdentityAssociation, role } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

const BOUNDARY = 'arn:aws:iam::111122223333:policy/workload-boundary';
const bounded = (arn = BOUNDARY) => ({ PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: arn } });

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: every workload role has a boundary', aws: HARDENED_DUMP },
    { name: 'a node role (not a workload role) without a boundary', aws: [describeCluster(), authorizationDetails([role('demo-node', EC2_TRUST)])] },
    { name: 'an approved boundary', aws: [describeCluster(), authorizationDetails([role('app', POD_IDENTITY_TRUST, [], [], bounded())])], options: { boundaries: [BOUNDARY] } },
  ],
  invalid: [
    {
      name: 'a Pod Identity role without a boundary',
      aws: [describeCluster(), podIdentityAssociation('shop', 'cart', 'cart'), authorizationDetails([role('cart', POD_IDENTITY_TRUST)])],
      findings: [{ messageId: 'noBoundary', path: '/PermissionsBoundary', resource: 'role arn:aws:iam::111122223333:role/cart', data: { role: 'cart', users: 'used by shop/cart (Pod Identity)' } }],
    },
    {
      name: 'an IRSA role (annotated ServiceAccount, EC2 trust) without a boundary',
      manifests: irsaServiceAccount('shop', 'web', 'web'),
      aws: [describeCluster(), authorizationDetails([role('web', EC2_TRUST)])],
      findings: [{ messageId: 'noBoundary', path: '/PermissionsBoundary', data: { role: 'web', users: 'used by shop/web (IRSA)' } }],
    },
    {
      name: 'a boundary that is not an approved one',
      aws: [describeCluster(), authorizationDetails([role('app', POD_IDENTITY_TRUST, [], [], bounded('arn:aws:iam::111122223333:policy/anything-goes'))])],
      options: { boundaries: [BOUNDARY] },
      findings: [{ messageId: 'otherBoundary', path: '/PermissionsBoundary/PermissionsBoundaryArn', data: { role: 'app', users: 'trusted by EKS workloads', boundary: 'arn:aws:iam::111122223333:policy/anything-goes' } }],
    },
  ],
});

describe('require-permissions-boundary', () => {
  it('is opt-in', () => expect(rule.meta.enabledByDefault).toBe(false));
});
