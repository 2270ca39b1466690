import rule from '../../../src/rules/cluster/no-public-cluster-endpoint.js';
import { CLUSTER_ARN, HARDENED_DUMP, describeCluster } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

const vpc = (fields: Record<string, unknown>) => describeCluster({ resourcesVpcConfig: { vpcId: 'vpc-0demo', clusterSecurityGroupId: 'sg-0cluster', securityGroupIds: [], ...fields } });

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: private endpoint only', aws: HARDENED_DUMP },
    { name: 'public endpoint limited to an office range, private access on', aws: vpc({ endpointPublicAccess: true, endpointPrivateAccess: true, publicAccessCidrs: ['203.0.113.0/24'] }) },
    { name: 'an open endpoint the user accepts through allowedCidrs', aws: vpc({ endpointPublicAccess: true, endpointPrivateAccess: true, publicAccessCidrs: ['0.0.0.0/0'] }), options: { allowedCidrs: ['0.0.0.0/0'] } },
  ],
  invalid: [
    {
      name: 'public endpoint open to the internet (the EKS default)',
      aws: vpc({ endpointPublicAccess: true, endpointPrivateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] }),
      findings: [{ messageId: 'openEndpoint', path: '/resourcesVpcConfig/publicAccessCidrs', resource: `cluster ${CLUSTER_ARN}`, severity: 'high', data: { cluster: 'demo', cidrs: '0.0.0.0/0' } }],
    },
    {
      name: 'IPv6 open range among others',
      aws: vpc({ endpointPublicAccess: true, endpointPrivateAccess: true, publicAccessCidrs: ['203.0.113.0/24', '::/0'] }),
      findings: [{ messageId: 'openEndpoint', path: '/resourcesVpcConfig/publicAccessCidrs', data: { cluster: 'demo', cidrs: '::/0' } }],
    },
    {
      name: 'public endpoint with an allow-list but private access off',
      aws: vpc({ endpointPublicAccess: true, endpointPrivateAccess: false, publicAccessCidrs: ['203.0.113.0/24'] }),
      findings: [{ messageId: 'publicWithoutPrivate', path: '/resourcesVpcConfig/endpointPrivateAccess', severity: 'low', data: { cluster: 'demo', cidrs: '203.0.113.0/24' } }],
    },
  ],
});
