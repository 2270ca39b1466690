/**
 * Address sets: IPv4 addresses are checked without BlockList when no IPv6 network can hold an
 * IPv4-mapped address; the answers must be BlockList's own, for every address and network set.
 */
import { BlockList } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Networks, parseCidr, type Cidr } from '../../src/audit-log/cidr.js';

/** What `Networks#contains` answered before it had its own IPv4 check: BlockList, loopback added. */
function reference(cidrs: readonly Cidr[], ip: string): boolean {
  const list = new BlockList();
  for (const c of [...cidrs, parseCidr('127.0.0.0/8'), parseCidr('::1')]) if (c !== undefined) list.addSubnet(c.address, c.prefix, c.family);
  const lower = ip.toLowerCase();
  const address = lower.startsWith('::ffff:') && parseCidr(lower.slice(7))?.family === 'ipv4' ? lower.slice(7) : ip;
  const parsed = parseCidr(address);
  if (parsed === undefined || address.includes('/')) return false;
  return list.check(address, parsed.family);
}

const octet = fc.integer({ min: 0, max: 255 });
// Addresses near the networks' edges and in the special ranges, as well as anywhere.
const ipv4 = fc.oneof(
  fc.tuple(octet, octet, octet, octet),
  fc.tuple(fc.constantFrom(0, 10, 127, 172, 192, 255), octet, octet, octet),
).map((parts) => parts.join('.'));
const prefix = fc.integer({ min: 0, max: 32 });
const ipv4Cidr = fc.tuple(ipv4, prefix).map(([a, p]) => `${a}/${p}`);
const ipv6Cidr = fc.constantFrom('fc00::/7', '2600:1f14::/56', 'fd00::/8', '::ffff:10.0.0.0/104', '::/0', '::/96', '::ffff:0:0/96', '0:0:0:0:0:ffff:c0a8:0/112', '8000::/1', '::1/128', '2001:db8::1');
const address = fc.oneof(ipv4, ipv4.map((a) => `::ffff:${a}`), ipv4.map((a) => `::FFFF:${a}`), fc.constantFrom('::1', 'fd00::1', '2600:1f14::5', 'not-an-ip', '010.0.0.1', '10.0.0.256', ''));

describe('Networks', () => {
  it('answers as BlockList does, for IPv4 and IPv6 networks and addresses', () => {
    fc.assert(fc.property(fc.array(fc.oneof(ipv4Cidr, ipv4Cidr, ipv6Cidr), { maxLength: 5 }), fc.array(address, { minLength: 1, maxLength: 20 }), (texts, addresses) => {
      const cidrs = texts.map(parseCidr).filter((c): c is Cidr => c !== undefined);
      const networks = new Networks(cidrs);
      for (const ip of addresses) expect(networks.contains(ip), `${ip} in ${texts.join(', ')}`).toBe(reference(cidrs, ip));
    }), { numRuns: 500 });
  });

  it('matches an IPv4 address by its network prefix, whatever the host bits written in the CIDR', () => {
    const networks = new Networks([parseCidr('10.0.12.34/16'), parseCidr('192.168.1.1/32'), parseCidr('fc00::/7')].filter((c): c is Cidr => c !== undefined));
    expect(networks.contains('10.0.200.1')).toBe(true);
    expect(networks.contains('10.1.0.1')).toBe(false);
    expect(networks.contains('192.168.1.1')).toBe(true);
    expect(networks.contains('192.168.1.2')).toBe(false);
    expect(networks.contains('::ffff:10.0.0.9')).toBe(true);
    expect(networks.contains('127.0.0.1')).toBe(true);
    expect(networks.contains('0.0.0.1')).toBe(false);
  });

  it('leaves IPv4 to BlockList when an IPv6 network holds IPv4-mapped addresses', () => {
    const networks = new Networks([parseCidr('::ffff:10.0.0.0/112')].filter((c): c is Cidr => c !== undefined));
    expect(networks.contains('10.0.0.5')).toBe(true);
    expect(networks.contains('10.1.0.5')).toBe(false);
  });
});
