import rule from '../../../src/rules/access/no-bootstrap-cluster-admin.js';
import { HARDENED_DUMP, WEAK_DUMP, associatedPolicies, describeAccessEntry, describeCluster } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

const CREATOR = 'arn:aws:iam::111122223333:role/ci';
const cluster = describeCluster({ createdAt: '2025-11-03T09:00:00+00:00', accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: true } });
const creatorEntry = describeAccessEntry(CREATOR, { createdAt: '2025-11-03T09:00:01+00:00' });

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: created without bootstrap admin', aws: HARDENED_DUMP },
    { name: 'bootstrap admin whose access entry was deleted since', aws: [cluster, { accessEntries: ['arn:aws:iam::111122223333:role/ops'] }, describeAccessEntry('arn:aws:iam::111122223333:role/ops', { createdAt: '2025-12-01T10:00:00+00:00' })] },
    { name: 'the creator\'s entry narrowed to a view policy', aws: [cluster, creatorEntry, associatedPolicies(CREATOR, [['AmazonEKSViewPolicy', 'cluster']])] },
  ],
  invalid: [
    {
      name: 'the weak dump: the creator\'s entry still holds cluster admin',
      aws: WEAK_DUMP,
      findings: [{ messageId: 'bootstrapAdminEntry', path: '/accessConfig/bootstrapClusterCreatorAdminPermissions', data: { cluster: 'shop-weak', principal: 'arn:aws:iam::111122223333:role/Admin' } }],
    },
    {
      name: 'the creator\'s entry, policies not read',
      aws: [cluster, creatorEntry],
      findings: [{ messageId: 'bootstrapAdminEntry', path: '/accessConfig/bootstrapClusterCreatorAdminPermissions', data: { cluster: 'demo', principal: CREATOR } }],
    },
    {
      name: 'access entries not read at all',
      aws: cluster,
      findings: [{ messageId: 'bootstrapAdminUnverified', path: '/accessConfig/bootstrapClusterCreatorAdminPermissions', data: { cluster: 'demo' } }],
    },
  ],
});
