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

export class Networks {
  private readonly list = new BlockList();
  private readonly cache = new Map<string, boolean>();

  /** The networks, plus loopback: the control plane reaches the API server over it. */
  constructor(cidrs: readonly Cidr[]) {
    for (const cidr of [...cidrs, { address: '127.0.0.0', prefix: 8, family: 'ipv4' as const }, { address: '::1', prefix: 128, family: 'ipv6' as const }]) {
      this.list.addSubnet(cidr.address, cidr.prefix, cidr.family);
    }
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
    return this.list.check(address, version === 4 ? 'ipv4' : 'ipv6');
  }
}
