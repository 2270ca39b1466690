import rule from '../../../src/rules/cluster/no-open-security-group-ingress.js';
import { HARDENED_DUMP, describeCluster, describeInstances, instance, securityGroup, tcp } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

const nodes = describeInstances(instance('i-01', { SecurityGroups: [{ GroupId: 'sg-0nodes' }] }));
const groups = (...list: Record<string, unknown>[]) => ({ SecurityGroups: list });

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: node groups open only to the cluster and the VPC; the load balancer group is not judged', aws: HARDENED_DUMP },
    { name: 'an open group that no node or control plane uses', aws: [describeCluster(), nodes, groups(securityGroup('sg-0lb', [tcp(443, 443, ['0.0.0.0/0'])]))] },
    {
      // As the AWS CLI prints them: all ICMP (type and code -1), echo request (type 8), all ICMPv6.
      name: 'ICMP and ICMPv6 open to anywhere (ping, path-MTU discovery) expose no service',
      aws: [describeCluster(), nodes, groups(securityGroup('sg-0nodes', [
        { IpProtocol: 'icmp', FromPort: -1, ToPort: -1, IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], UserIdGroupPairs: [] },
        { IpProtocol: 'icmp', FromPort: 8, ToPort: -1, IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], UserIdGroupPairs: [] },
        { IpProtocol: 'icmpv6', FromPort: -1, ToPort: -1, IpRanges: [], Ipv6Ranges: [{ CidrIpv6: '::/0' }], UserIdGroupPairs: [] },
        { IpProtocol: '58', FromPort: -1, ToPort: -1, IpRanges: [], Ipv6Ranges: [{ CidrIpv6: '::/0' }], UserIdGroupPairs: [] },
      ]))],
    },
  ],
  invalid: [
    {
      name: 'an open UDP range is reported without claiming it opens SSH or the kubelet',
      aws: [describeCluster(), nodes, groups(securityGroup('sg-0nodes', [{ IpProtocol: 'udp', FromPort: 0, ToPort: 65535, IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], UserIdGroupPairs: [] }]))],
      findings: [{ messageId: 'openIngress', path: '/IpPermissions/0', data: { group: 'sg-0nodes (sg-0nodes)', role: 'nodes', ports: 'udp ports 0-65535', cidr: '0.0.0.0/0' } }],
    },
    {
      name: 'an open ESP rule (protocol 50, printed without ports) is not said to open SSH',
      aws: [describeCluster(), nodes, groups(securityGroup('sg-0nodes', [{ IpProtocol: '50', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], UserIdGroupPairs: [] }]))],
      findings: [{ messageId: 'openIngress', path: '/IpPermissions/0', data: { group: 'sg-0nodes (sg-0nodes)', role: 'nodes', ports: 'all protocol 50 traffic', cidr: '0.0.0.0/0' } }],
    },
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
