import rule from '../../../src/rules/network/require-vpc-flow-logs.js';
import { HARDENED_DUMP, WEAK_DUMP, describeCluster } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

const flowLog = (resource: string, status: string) => ({ FlowLogs: [{ FlowLogId: 'fl-1', ResourceId: resource, FlowLogStatus: status, TrafficType: 'ALL' }] });

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: an active flow log on the VPC', aws: HARDENED_DUMP },
  ],
  invalid: [
    { name: 'the weak dump: no flow logs', aws: WEAK_DUMP, findings: [{ messageId: 'noFlowLog', path: '/resourcesVpcConfig/vpcId', data: { cluster: 'shop-weak', vpc: 'vpc-0weak00000000000' } }] },
    { name: 'a flow log on another VPC', aws: [describeCluster(), flowLog('vpc-0other', 'ACTIVE')], findings: [{ messageId: 'noFlowLog', path: '/resourcesVpcConfig/vpcId', data: { cluster: 'demo', vpc: 'vpc-0demo' } }] },
  ],
  notEvaluated: [{ name: 'no describe-flow-logs output', aws: describeCluster(), reason: 'no aws ec2 describe-flow-logs output' }],
});
