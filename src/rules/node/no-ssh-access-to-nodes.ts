import type { Report } from '../../core/finding.js';
import { defineRule } from '../define-rule.js';

export type MessageId = 'nodegroupSshKey' | 'launchTemplateKey' | 'instanceKey';

export default defineRule({
  id: 'no-ssh-access-to-nodes',
  meta: {
    area: 'node',
    severity: 'medium',
    docs: { description: 'Disallow SSH key pairs on worker nodes', controls: ['eks-bp:infrastructure-security'] },
    evidence: ['aws'],
    messages: {
      nodegroupSshKey: 'Node group {{nodegroup}} allows SSH with key pair {{key}} (remoteAccess){{sources}}.',
      launchTemplateKey: 'Launch template {{template}} gives nodes key pair {{key}}, so they accept SSH logins.',
      instanceKey: 'Node instance {{instance}} was launched with key pair {{key}}, so it accepts SSH logins.',
    },
    rationale: 'An SSH key on nodes is a long-lived credential shared by everyone who holds the key file, it bypasses IAM and leaves no CloudTrail record of who logged in, and it needs port 22 open. SSM Session Manager gives the same shell with IAM authorisation, per-user audit and no inbound port.',
    remediation: 'Remove the key pair (node group remoteAccess, launch template KeyName) and use SSM Session Manager (the AmazonSSMManagedInstanceCore policy on the node role) for node access; replace the nodes so running instances lose the key too.',
  },
  defaultOptions: {},
  create: () => ({
    *'aws:eks:nodegroup'(target): Generator<Report<MessageId>> {
      const remote = target.data.remoteAccess;
      if (remote?.ec2SshKey === undefined || remote.ec2SshKey === '') return;
      const sources = (remote.sourceSecurityGroups ?? []).length > 0 ? ` from ${(remote.sourceSecurityGroups ?? []).join(', ')}` : ' from anywhere (no source security groups)';
      yield { messageId: 'nodegroupSshKey', path: ['remoteAccess', 'ec2SshKey'], data: { nodegroup: target.data.nodegroupName ?? '', key: remote.ec2SshKey, sources } };
    },
    *'aws:ec2:launch-template-version'(target, inventory): Generator<Report<MessageId>> {
      const key = target.data.LaunchTemplateData?.KeyName;
      if (key === undefined || key === '' || inventory.aws?.launchTemplateVersionInUse(target.data) !== true) return;
      yield { messageId: 'launchTemplateKey', path: ['LaunchTemplateData', 'KeyName'], data: { template: target.ref.name ?? '', key } };
    },
    *'aws:ec2:instance'(target): Generator<Report<MessageId>> {
      const key = target.data.KeyName;
      if (key === undefined || key === '') return;
      yield { messageId: 'instanceKey', path: ['KeyName'], data: { instance: target.data.InstanceId ?? '', key } };
    },
  }),
});
