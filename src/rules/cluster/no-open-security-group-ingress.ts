import type { Report } from '../../core/finding.js';
import { defineRule } from '../define-rule.js';

export type MessageId = 'openIngress' | 'openSensitivePort';

const OPEN_V4 = '0.0.0.0/0';
const OPEN_V6 = '::/0';
/** Ports named in findings because an open one is an immediate takeover path. */
const SENSITIVE: ReadonlyMap<number, string> = new Map([[22, 'SSH'], [10250, 'kubelet API']]);
/**
 * ICMP and ICMPv6 (by name or protocol number) reach no service, and path-MTU discovery needs ICMP
 * from anywhere: open ICMP rules are not reported. Their FromPort/ToPort are ICMP type and code, not ports.
 */
const ICMP = new Set(['icmp', 'icmpv6', '1', '58']);

function portsText(protocol: string | undefined, from: number | undefined, to: number | undefined): string {
  if (protocol === '-1' || protocol === 'all') return 'all traffic';
  // Protocols other than TCP and UDP (ESP is 50, GRE 47) have no ports: the rule opens the whole protocol.
  if (protocol !== undefined && protocol !== 'tcp' && protocol !== 'udp') return `all protocol ${protocol} traffic`;
  if (from === undefined || from === -1) return `all ${protocol ?? ''} ports`.replace('  ', ' ');
  return from === to ? `${protocol ?? 'tcp'} port ${from}` : `${protocol ?? 'tcp'} ports ${from}-${to ?? from}`;
}

export default defineRule({
  id: 'no-open-security-group-ingress',
  meta: {
    area: 'cluster',
    severity: 'high',
    docs: { description: 'Disallow inbound traffic from anywhere to the security groups of the cluster and its nodes', controls: ['eks-bp:network-security', 'eks-bp:infrastructure-security'] },
    evidence: ['aws'],
    messages: {
      openIngress: 'Security group {{group}} of the cluster\'s {{role}} allows {{ports}} from {{cidr}}.',
      openSensitivePort: 'Security group {{group}} of the cluster\'s {{role}} allows {{ports}} from {{cidr}}, including port {{port}} ({{service}}).',
    },
    rationale: 'Nodes and the control plane need inbound traffic only from each other (443 and 10250) and from known load balancers. A rule open to 0.0.0.0/0 or ::/0 puts the kubelet API, SSH or node ports directly on the internet whenever an instance has a public address, and inside the VPC it lets every other workload in. Security groups of load balancers are not judged here.',
    remediation: 'Replace the open rule with one that names the source: the cluster security group, a load balancer\'s security group, or your VPN/office CIDRs. Use SSM Session Manager instead of opening port 22.',
  },
  defaultOptions: {},
  create: () => ({
    *'aws:ec2:security-group'(target, inventory): Generator<Report<MessageId>> {
      const aws = inventory.aws;
      const id = target.data.GroupId;
      if (aws === undefined || id === undefined) return;
      const controlPlane = aws.controlPlaneSecurityGroupIds().has(id);
      const nodes = aws.nodeSecurityGroupIds().has(id);
      if (!controlPlane && !nodes) return;
      const role = controlPlane && nodes ? 'control plane and nodes' : controlPlane ? 'control plane' : 'nodes';
      const group = `${id}${target.data.GroupName ? ` (${target.data.GroupName})` : ''}`;
      for (const [index, permission] of (target.data.IpPermissions ?? []).entries()) {
        const cidrs = [
          ...(permission.IpRanges ?? []).filter((r) => r.CidrIp === OPEN_V4).map(() => OPEN_V4),
          ...(permission.Ipv6Ranges ?? []).filter((r) => r.CidrIpv6 === OPEN_V6).map(() => OPEN_V6),
        ];
        if (cidrs.length === 0 || ICMP.has(permission.IpProtocol ?? '')) continue;
        const all = permission.IpProtocol === '-1';
        const from = permission.FromPort;
        const to = permission.ToPort;
        // SSH and the kubelet are TCP services: a UDP (or other protocol) rule does not open them.
        const sensitive = [...SENSITIVE].find(([port]) => all || (permission.IpProtocol === 'tcp' && (from === undefined || from === -1 || (from <= port && port <= (to ?? from)))));
        const ports = portsText(permission.IpProtocol, from, to);
        const cidr = cidrs.join(' and ');
        yield sensitive
          ? { messageId: 'openSensitivePort', path: ['IpPermissions', index], data: { group, role, ports, cidr, port: sensitive[0], service: sensitive[1] } }
          : { messageId: 'openIngress', path: ['IpPermissions', index], data: { group, role, ports, cidr } };
      }
    },
  }),
});
