import rule from '../../../src/rules/cluster/no-open-security-group-ingress.js';
import { HARDENED_DUMP, describeCluster, describeInstances, instance, securityGroup, tcp } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

const nodes = describeInstances(instance('i-01', { SecurityGroups: [{ GroupId: 'sg-0nodes' }] }));
const groups = (...list: Record<string, unknown>[]) => ({ SecurityGroups: list });

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: node groups open only to the cluster and the VPC; the load balancer group is not judged', aws: HARDENED_DUMP },
    { name: 'an open group that no node or control plane uses', aws: [describeCluster(), nodes, groups(securityGroup('sg-0lb', [tcp(443, 443, ['0.0.0.0/0'])]))] },
  ],
  invalid: [
    {
      name: 'nodes open to the internet on the kubelet port and SSH',
      aws: [describeCluster(), nodes, groups(securityGroup('sg-0nodes', [tcp(10250, 10250, ['0.0.0.0/0'], ['::/0']), tcp(443, 443, ['10.0.0.0/16']), tcp(22, 22, ['0.0.0.0/0'])]))],
      findings: [
        { messageId: 'openSensitivePort', path: '/IpPermissions/0', severity: 'high', data: { group: 'sg-0nodes (sg-0nodes)', role: 'nodes', ports: 'tcp port 10250', cidr: '0.0.0.0/0 and ::/0', port: 10250, service: 'kubelet API' } },
        { messageId: 'openSensitivePort', path: '/IpPermissions/2', data: { group: 'sg-0nodes (sg-0nodes)', role: 'nodes', ports: 'tcp port 22', cidr: '0.0.0.0/0', port: 22, service: 'SSH' } },
      ],
    },
    {
      name: 'the custom control-plane group open on 443, and all traffic on the cluster group',
      aws: [
        describeCluster({ resourcesVpcConfig: { vpcId: 'vpc-0demo', clusterSecurityGroupId: 'sg-0cluster', securityGroupIds: ['sg-0custom'] } }),
        groups(securityGroup('sg-0custom', [tcp(443, 443, ['0.0.0.0/0'])]), securityGroup('sg-0cluster', [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }])),
      ],
      findings: [
        { messageId: 'openIngress', path: '/IpPermissions/0', data: { group: 'sg-0custom (sg-0custom)', role: 'control plane', ports: 'tcp port 443', cidr: '0.0.0.0/0' } },
        { messageId: 'openSensitivePort', path: '/IpPermissions/0', data: { group: 'sg-0cluster (sg-0cluster)', role: 'control plane', ports: 'all traffic', cidr: '0.0.0.0/0', port: 22, service: 'SSH' } },
      ],
    },
  ],
});
