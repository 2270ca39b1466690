import rule from '../../../src/rules/access/no-iam-user-access-entries.js';
import { HARDENED_DUMP, WEAK_DUMP, describeCluster } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: roles only', aws: HARDENED_DUMP },
    { name: 'a role whose name contains user', aws: [describeCluster(), { accessEntries: ['arn:aws:iam::111122223333:role/user-admins'] }] },
  ],
  invalid: [
    { name: 'the weak dump: an entry for IAM user alice', aws: WEAK_DUMP, findings: [{ messageId: 'iamUserEntry', path: '/principalArn', data: { cluster: 'shop-weak', principal: 'arn:aws:iam::111122223333:user/alice' } }] },
    {
      name: 'a user known only from list-access-entries, in a path',
      aws: [describeCluster(), { accessEntries: ['arn:aws:iam::111122223333:user/ops/bob'] }],
      findings: [{ messageId: 'iamUserEntry', path: '/principalArn', data: { cluster: 'demo', principal: 'arn:aws:iam::111122223333:user/ops/bob' } }],
    },
  ],
});
