import rule from '../../../src/rules/cluster/require-guardduty-eks-protection.js';
import { HARDENED_DUMP, WEAK_DUMP, describeAddon, describeCluster, describeInstances, describeNodegroup, instance } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

const detector = (features: [string, string][], extra: Record<string, unknown> = {}) => ({
  Status: 'ENABLED', ServiceRole: 'arn:aws:iam::111122223333:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty',
  Features: features.map(([Name, Status]) => ({ Name, Status })), ...extra,
});

/** Runtime Monitoring on; GuardDuty manages the EKS agent or not. */
const runtime = (addonManagement: 'ENABLED' | 'DISABLED') => ({
  Status: 'ENABLED', ServiceRole: 'arn:aws:iam::111122223333:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty',
  Features: [
    { Name: 'EKS_AUDIT_LOGS', Status: 'ENABLED' },
    { Name: 'RUNTIME_MONITORING', Status: 'ENABLED', AdditionalConfiguration: [{ Name: 'EKS_ADDON_MANAGEMENT', Status: addonManagement }, { Name: 'ECS_FARGATE_AGENT_MANAGEMENT', Status: 'ENABLED' }] },
  ],
});
/** A cluster with one managed node group and its running node, and the add-on outputs of the dump. */
const withNodes = (addons: readonly string[], cluster = describeCluster()) => [
  cluster, describeNodegroup('general'), describeInstances(instance('i-1')), ...addons.map((a) => describeAddon(a)), { DetectorIds: ['d1'] },
];

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: audit logs and runtime monitoring on', aws: HARDENED_DUMP },
    { name: 'the older EKS_RUNTIME_MONITORING feature and the legacy data source', aws: [describeCluster(), { DetectorIds: ['d1'] }, detector([['EKS_RUNTIME_MONITORING', 'ENABLED']], { DataSources: { Kubernetes: { AuditLogs: { Status: 'ENABLED' } } } })] },
    { name: 'GuardDuty manages the runtime agent on EKS', aws: [...withNodes(['vpc-cni']), runtime('ENABLED')] },
    { name: 'agent management off, but the agent is installed as the add-on', aws: [...withNodes(['vpc-cni', 'aws-guardduty-agent']), runtime('DISABLED')] },
    { name: 'agent management off, and no add-on outputs in the evidence to tell', aws: [describeCluster(), describeNodegroup('general'), { DetectorIds: ['d1'] }, runtime('DISABLED')] },
    {
      name: 'a Fargate-only cluster: no node group, no instance, nothing for the agent to run on',
      aws: [describeCluster(), describeInstances(), describeAddon('coredns'), { DetectorIds: ['d1'] }, runtime('DISABLED')],
    },
    {
      name: 'a Fargate-only cluster is not told to turn on Runtime Monitoring, which does not cover Fargate pods on EKS',
      aws: [describeCluster(), describeInstances(), { DetectorIds: ['d1'] }, detector([['EKS_AUDIT_LOGS', 'ENABLED'], ['RUNTIME_MONITORING', 'DISABLED']])],
    },
  ],
  invalid: [
    {
      name: 'Runtime Monitoring on, agent management off, no agent add-on on a cluster with nodes',
      aws: [...withNodes(['vpc-cni', 'coredns']), runtime('DISABLED')],
      findings: [{ messageId: 'runtimeAgentMissing', path: '', data: { cluster: 'demo', why: 'GuardDuty does not manage its agent on EKS (EKS_ADDON_MANAGEMENT is off)' } }],
    },
    {
      name: 'agent management on, but the cluster opts out with its tag and has no agent add-on',
      aws: [...withNodes(['vpc-cni'], describeCluster({ tags: { GuardDutyManaged: 'false' } })), runtime('ENABLED')],
      findings: [{ messageId: 'runtimeAgentMissing', path: '/tags/GuardDutyManaged', data: { cluster: 'demo', why: "the cluster opts out of GuardDuty's agent management (tag GuardDutyManaged=false)" } }],
    },
    {
      name: 'the weak dump: detector on, EKS features off',
      aws: WEAK_DUMP,
      findings: [{ messageId: 'auditLogMonitoringOff', path: '', data: { cluster: 'shop-weak' } }, { messageId: 'runtimeMonitoringOff', path: '', data: { cluster: 'shop-weak' } }],
    },
    { name: 'no detector in the region', aws: [describeCluster(), { DetectorIds: [] }], findings: [{ messageId: 'noDetector', path: '', data: { cluster: 'demo' } }] },
    {
      name: 'a suspended detector',
      aws: [describeCluster(), { DetectorIds: ['d1'] }, detector([['EKS_AUDIT_LOGS', 'ENABLED'], ['RUNTIME_MONITORING', 'ENABLED']], { Status: 'DISABLED' })],
      findings: [{ messageId: 'noDetector', path: '', data: { cluster: 'demo' } }],
    },
  ],
  notEvaluated: [
    { name: 'a dump without GuardDuty output', aws: describeCluster(), reason: 'no aws guardduty list-detectors or aws guardduty get-detector output' },
  ],
});
