import { BlockList, isIP } from 'node:net';

const IPV4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** `::ffff:10.1.2.3` is the IPv4 address `10.1.2.3` (dual-stack sockets report IPv4 clients so). */
export function normalizeIp(address: string): string {
  const mapped = IPV4_MAPPED.exec(address);
  return mapped ? mapped[1] : address;
}

/**
 * One `allowed_ips` entry in canonical form (an address or `address/bits`, IPv4-mapped IPv6
 * turned into IPv4), or `null` when it is neither.
 */
export function canonicalIpRule(entry: string): string | null {
  const [rawAddress, bits, extra] = entry.trim().split('/');
  if (extra !== undefined || rawAddress === undefined) return null;
  const mapped = IPV4_MAPPED.exec(rawAddress);
  const address = mapped ? mapped[1] : rawAddress.toLowerCase();
  const family = isIP(address);
  if (family === 0) return null;
  if (bits === undefined) return address;
  if (!/^\d{1,3}$/.test(bits)) return null;
  const prefix = Number(bits) - (mapped ? 96 : 0);
  if (prefix < 0 || prefix > (family === 4 ? 32 : 128)) return null;
  return `${address}/${prefix}`;
}

/** A key's compiled `allowed_ips`: built once when the key is cached, checked per request. */
export class IpAllowlist {
  private constructor(private readonly rules: BlockList) {}

  /** `null` for an empty list: any address is allowed. */
  static compile(entries: readonly string[]): IpAllowlist | null {
    if (entries.length === 0) return null;
    const rules = new BlockList();
    for (const entry of entries) {
      const rule = canonicalIpRule(entry);
      if (rule === null) continue;
      const [address, bits] = rule.split('/');
      const family = isIP(address) === 4 ? 'ipv4' : 'ipv6';
      if (bits === undefined) rules.addAddress(address, family);
      else rules.addSubnet(address, Number(bits), family);
    }
    return new IpAllowlist(rules);
  }

  allows(clientIp: string): boolean {
    const address = normalizeIp(clientIp);
    const family = isIP(address);
    if (family === 0) return false;
    return this.rules.check(address, family === 4 ? 'ipv4' : 'ipv6');
  }
}
