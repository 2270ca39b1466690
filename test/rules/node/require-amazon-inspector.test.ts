import rule from '../../../src/rules/node/require-amazon-inspector.js';
import { HARDENED_DUMP, WEAK_DUMP, describeCluster } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

const status = (ec2: string, ecr: string) => ({ accounts: [{ accountId: '111122223333', resourceState: { ec2: { status: ec2 }, ecr: { status: ecr } }, state: { status: 'ENABLED' } }], failedAccounts: [] });

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: EC2 and ECR scanning on', aws: HARDENED_DUMP },
    { name: 'both resource types enabled', aws: [describeCluster(), status('ENABLED', 'ENABLED')] },
  ],
  invalid: [
    {
      name: 'the weak dump: Inspector off',
      aws: WEAK_DUMP,
      findings: [
        { messageId: 'scanningOff', path: '', data: { cluster: 'shop-weak', what: 'EC2 scanning (CVEs in node packages)', status: 'DISABLED', account: '111122223333' } },
        { messageId: 'scanningOff', path: '', data: { cluster: 'shop-weak', what: 'ECR scanning (CVEs in container images)', status: 'DISABLED', account: '111122223333' } },
      ],
    },
    {
      name: 'ECR scanning suspended',
      aws: [describeCluster(), status('ENABLED', 'SUSPENDED')],
      findings: [{ messageId: 'scanningOff', path: '', data: { cluster: 'demo', what: 'ECR scanning (CVEs in container images)', status: 'SUSPENDED', account: '111122223333' } }],
    },
  ],
  notEvaluated: [{ name: 'no Inspector output', aws: describeCluster(), reason: 'no aws inspector2 batch-get-account-status output' }],
});
