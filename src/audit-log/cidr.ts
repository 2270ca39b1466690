/** CIDR sets, on Node's own `net.BlockList` (IPv4 and IPv6, exact prefix matching). */
import { BlockList, isIP } from 'node:net';

export interface Cidr {
  readonly address: string;
  readonly prefix: number;
  readonly family: 'ipv4' | 'ipv6';
}

/** `10.0.0.0/16`, `2600:1f14::/56`, or a single address; undefined when it is none of these. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const address = slash === -1 ? text : text.slice(0, slash);
  const version = isIP(address);
  if (version === 0) return undefined;
  const max = version === 4 ? 32 : 128;
  const prefixText = slash === -1 ? String(max) : text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > max) return undefined;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** An IPv4 address written as IPv6 (`::ffff:10.0.0.1`, as dual-stack sockets report it) as plain IPv4. */
function unmapped(ip: string): string {
  const lower = ip.toLowerCase();
  return lower.startsWith('::ffff:') && isIP(lower.slice(7)) === 4 ? lower.slice(7) : ip;
}

/** Distinct addresses remembered per set: a log's clients are few compared to its lines. */
const MAX_CACHED = 10_000;

/** An IPv4 address `isIP` accepted (four decimal parts, 0-255) as an unsigned 32-bit number. */
function ipv4Number(address: string): number {
  let value = 0;
  for (const part of address.split('.')) value = value * 256 + Number(part);
  return value;
}

/**
 * Whether no address of an IPv6 network is IPv4-mapped (`::ffff:0:0/96`): its first bits are not
 * all zero. Only such a network could match an IPv4 address (as its mapped form); one that may is
 * left to BlockList.
 */
function apartFromMapped(cidr: Cidr): boolean {
  const first = cidr.address.slice(0, cidr.address.indexOf(':'));
  const bits = Math.min(cidr.prefix, 16);
  return bits > 0 && first !== '' && Number.parseInt(first, 16) >>> (16 - bits) !== 0;
}

const LOOPBACK_V4: Cidr = { address: '127.0.0.0', prefix: 8, family: 'ipv4' };
const LOOPBACK_V6: Cidr = { address: '::1', prefix: 128, family: 'ipv6' };

export class Networks {
  private readonly list = new BlockList();
  private readonly cache = new Map<string, boolean>();
  /**
   * The IPv4 networks as (prefix, network number), checked here: `BlockList#check` builds a
   * SocketAddress per call (tens of microseconds), and a log's clients (a kubelet per node) are
   * thousands of addresses. Undefined when an IPv6 network may cover IPv4-mapped addresses: every
   * address is then BlockList's to judge.
   */
  private readonly ipv4: { readonly prefix: number; readonly network: number }[] | undefined;

  /** The networks, plus loopback: the control plane reaches the API server over it. */
  constructor(cidrs: readonly Cidr[]) {
    const all = [...cidrs, LOOPBACK_V4, LOOPBACK_V6];
    for (const cidr of all) this.list.addSubnet(cidr.address, cidr.prefix, cidr.family);
    // Loopback ::1 is one address, not a mapped one.
    const own = all.every((c) => c.family === 'ipv4' || c === LOOPBACK_V6 || apartFromMapped(c));
    this.ipv4 = own ? all.filter((c) => c.family === 'ipv4').map((c) => ({ prefix: c.prefix, network: ipv4Number(c.address) })) : undefined;
  }

  /** Whether `ip` is in one of the networks; an unparseable address is not. */
  contains(ip: string): boolean {
    const cached = this.cache.get(ip);
    if (cached !== undefined) return cached;
    const inside = this.check(ip);
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(ip, inside);
    return inside;
  }

  private check(ip: string): boolean {
    const address = unmapped(ip);
    const version = isIP(address);
    if (version === 0) return false;
    if (version === 4 && this.ipv4 !== undefined) {
      const ip = ipv4Number(address);
      // Compared by their first `prefix` bits (the network's other bits do not count, as in BlockList).
      return this.ipv4.some(({ prefix, network }) => prefix === 0 || Math.floor(ip / 2 ** (32 - prefix)) === Math.floor(network / 2 ** (32 - prefix)));
    }
    return this.list.check(address, version === 4 ? 'ipv4' : 'ipv6');
  }
}
