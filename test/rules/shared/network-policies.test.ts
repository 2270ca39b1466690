import { describe, expect, it } from 'vitest';
import { defaultDenyPolicies, dnsProtocolsFor, dnsTargets } from '../../../src/rules/shared/network-policies.js';
import { allowDns, denyAll, networkPolicy } from '../../builders-network.js';
import { deployment, inventoryOf } from '../../rule-tester.js';

const kubeDns = (clusterIP: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'kube-dns', namespace: 'kube-system' }, spec: { clusterIP } });

describe('network policy model', () => {
  it('finds the kube-dns addresses and judges ipBlocks against them, IPv4 and IPv6', () => {
    for (const [ip, cidr, allowed] of [
      ['10.100.0.10', '10.100.0.0/16', true],
      ['10.100.0.10', '10.100.0.10/32', true],
      ['10.100.0.10', '10.101.0.0/16', false],
      ['10.100.0.10', '0.0.0.0/0', true],
      ['10.100.0.10', '::/0', false],
      ['fd00:10:96::a', 'fd00:10:96::/112', true],
      ['fd00:10:96::a', 'fd00:10:97::/112', false],
      ['fd00:10:96::a', '0.0.0.0/0', false],
    ] as const) {
      const inventory = inventoryOf([kubeDns(ip), denyAll('team-a'), allowDns('team-a', undefined, [{ ipBlock: { cidr } }]), deployment({ namespace: 'team-a' })]);
      expect(dnsTargets(inventory).addresses).toHaveLength(1);
      const workload = inventory.workloads.find((w) => w.namespace === 'team-a');
      expect(workload && dnsProtocolsFor(inventory, workload).size, `${ip} in ${cidr}`).toBe(allowed ? 2 : 0);
    }
  });

  it('names the policy that denies each direction', () => {
    const inventory = inventoryOf([networkPolicy('team-a', 'in', { podSelector: {} }), networkPolicy('team-a', 'out', { podSelector: {}, policyTypes: ['Egress'] })]);
    const found = defaultDenyPolicies(inventory, 'team-a');
    expect(found.ingress?.label).toBe('NetworkPolicy team-a/in');
    expect(found.egress?.label).toBe('NetworkPolicy team-a/out');
    expect(defaultDenyPolicies(inventory, 'team-b')).toEqual({});
  });
});
