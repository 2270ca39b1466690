import rule from '../../../src/rules/network/require-vpc-flow-logs.js';
import { ACCOUNT, HARDENED_DUMP, REGION, WEAK_DUMP, describeCluster } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

const flowLog = (resource: string, status: string) => ({ FlowLogs: [{ FlowLogId: 'fl-1', ResourceId: resource, FlowLogStatus: status, TrafficType: 'ALL' }] });

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: an active flow log on the VPC', aws: HARDENED_DUMP },
  ],
  invalid: [
    { name: 'the weak dump: no flow logs', aws: WEAK_DUMP, findings: [{ messageId: 'noFlowLog', path: '/VpcId', data: { cluster: 'shop-weak', vpc: 'vpc-0weak00000000000' } }] },
    { name: 'a flow log on another VPC', aws: [describeCluster(), flowLog('vpc-0other', 'ACTIVE')], findings: [{ messageId: 'noFlowLog', path: '/VpcId', resource: `vpc arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/vpc-0demo`, data: { cluster: 'demo', vpc: 'vpc-0demo' } }] },
    {
      name: 'two clusters in one VPC: one finding, on the VPC, naming both',
      aws: [{ cluster: { name: 'a', arn: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/a`, resourcesVpcConfig: { vpcId: 'vpc-0shared' } } }, { cluster: { name: 'b', arn: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/b`, resourcesVpcConfig: { vpcId: 'vpc-0shared' } } }, flowLog('vpc-0other', 'ACTIVE')],
      findings: [{ messageId: 'noFlowLog', path: '/VpcId', resource: `vpc arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/vpc-0shared`, data: { cluster: 'a, b', vpc: 'vpc-0shared' } }],
    },
  ],
  notEvaluated: [{ name: 'no describe-flow-logs output', aws: describeCluster(), reason: 'no aws ec2 describe-flow-logs output' }],
});
