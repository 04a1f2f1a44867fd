// Which address a request really comes from. The socket peer, unless that peer is a trusted proxy
// (`tokens server --trust-proxy`): then X-Forwarded-For, read right to left past every trusted hop,
// or else X-Real-IP, names the client. Headers from anyone else are ignored, so they cannot be forged.
import type { IncomingHttpHeaders } from 'node:http';
import { BlockList, isIP } from 'node:net';
import { canonicalIp, normalizeCidr } from '../service/cidr.js';

/** The named ranges proxy-addr (and so fastify's trustProxy) understands. */
const NAMED_RANGES: Record<string, string[]> = {
  loopback: ['127.0.0.1/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

function familyOf(address: string): 'ipv4' | 'ipv6' | null {
  const family = isIP(address);
  return family === 4 ? 'ipv4' : family === 6 ? 'ipv6' : null;
}

export class ClientAddress {
  private readonly trusted = new BlockList();
  private readonly trustsAnyone: boolean;

  /** `proxies`: addresses, CIDR blocks or the names loopback / linklocal / uniquelocal. */
  constructor(proxies: readonly string[]) {
    for (const entry of proxies) {
      for (const item of NAMED_RANGES[entry.trim()] ?? [entry]) {
        const cidr = normalizeCidr(item);
        if (!cidr) throw new Error(`trusted proxy "${item}" is not an IP address or CIDR block`);
        const [address, bits] = cidr.split('/');
        this.trusted.addSubnet(address!, Number(bits), familyOf(address!)!);
      }
    }
    this.trustsAnyone = proxies.length > 0;
  }

  isTrusted(address: string): boolean {
    // Without --trust-proxy (the usual case) nothing is parsed: isIP runs a regular expression, on every verify call.
    if (!this.trustsAnyone) return false;
    const family = familyOf(address);
    return family !== null && this.trusted.check(address, family);
  }

  /**
   * The client's address for this request (IPv4-mapped IPv6 peers reported as plain IPv4); null when
   * a trusted proxy forwarded something that is not an address, so no CIDR allowlist can match it.
   */
  of(peer: string | undefined, headers: IncomingHttpHeaders): string | null {
    const direct = canonicalIp(peer ?? '');
    if (!this.isTrusted(direct)) return direct;
    const forwarded = headers['x-forwarded-for'];
    if (typeof forwarded === 'string' && forwarded) {
      const hops = forwarded.split(',');
      let client = direct;
      for (let i = hops.length - 1; i >= 0; i--) {
        const hop = canonicalIp(hops[i]!.trim());
        if (!familyOf(hop)) return null;
        client = hop;
        if (!this.isTrusted(hop)) break;
      }
      return client;
    }
    const realIp = headers['x-real-ip'];
    if (typeof realIp === 'string') {
      const address = canonicalIp(realIp.trim());
      return familyOf(address) ? address : null;
    }
    return direct;
  }
}
