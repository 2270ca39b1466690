import rule from '../../../src/rules/identity/no-shared-iam-roles.js';
import { HARDENED_DUMP, WEAK_DUMP, describeCluster, irsaServiceAccount, podIdentityAssociation } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

const ROLE = 'arn:aws:iam::111122223333:role/app';

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: one role per service account', aws: HARDENED_DUMP },
    { name: 'one service account with the same role through IRSA and Pod Identity', manifests: irsaServiceAccount('app', 'web', 'app'), aws: [describeCluster(), podIdentityAssociation('app', 'web', 'app')] },
    { name: 'a shared role listed in allowedRoles', manifests: [irsaServiceAccount('app', 'web', 'app'), irsaServiceAccount('app', 'worker', 'app')], options: { allowedRoles: ['arn:aws:iam::111122223333:role/a*'] } },
  ],
  invalid: [
    {
      name: 'two service accounts annotated with one role',
      manifests: [irsaServiceAccount('app', 'web', 'app'), irsaServiceAccount('app', 'worker', 'app')],
      findings: [
        { messageId: 'sharedRole', path: '/metadata/annotations/eks.amazonaws.com~1role-arn', resource: 'ServiceAccount app/web', data: { serviceAccount: 'app/web', role: ROLE, via: 'IRSA', count: 2, others: 'app/worker' } },
        { messageId: 'sharedRole', path: '/metadata/annotations/eks.amazonaws.com~1role-arn', resource: 'ServiceAccount app/worker', data: { serviceAccount: 'app/worker', role: ROLE, via: 'IRSA', count: 2, others: 'app/web' } },
      ],
    },
    {
      name: 'the weak dump: two Pod Identity associations with one role',
      aws: WEAK_DUMP,
      findings: [
        { messageId: 'sharedRole', path: '/roleArn', data: { serviceAccount: 'shop/cart', role: 'arn:aws:iam::111122223333:role/shop-weak-app', via: 'Pod Identity', count: 2, others: 'shop/checkout' } },
        { messageId: 'sharedRole', path: '/roleArn', data: { serviceAccount: 'shop/checkout', role: 'arn:aws:iam::111122223333:role/shop-weak-app', via: 'Pod Identity', count: 2, others: 'shop/cart' } },
      ],
    },
  ],
});
