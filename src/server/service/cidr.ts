// CIDR allowlists (IPv4 and IPv6) on node's BlockList.
import { BlockList, isIP } from 'node:net';

/** Normalises "10.0.0.0/8", "2001:db8::/32" or a bare address; null when it is not one. */
export function normalizeCidr(input: string): string | null {
  const [address, bitsText, ...rest] = input.trim().split('/');
  if (rest.length || !address) return null;
  const family = isIP(address);
  if (!family) return null;
  const max = family === 4 ? 32 : 128;
  if (bitsText === undefined) return `${address.toLowerCase()}/${max}`;
  if (!/^\d{1,3}$/.test(bitsText) || Number(bitsText) > max) return null;
  return `${address.toLowerCase()}/${Number(bitsText)}`;
}

/** "::ffff:10.1.2.3" is how a dual-stack socket reports an IPv4 peer. */
export function canonicalIp(ip: string): string {
  return ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
}

export function compileAllowlist(cidrs: string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [address, bits] = cidr.split('/');
    const family = isIP(address!) === 6 ? 'ipv6' : 'ipv4';
    list.addSubnet(address!, Number(bits), family);
  }
  return list;
}

export function ipAllowed(list: BlockList, ip: string | null): boolean {
  if (!ip) return false;
  const address = canonicalIp(ip);
  const family = isIP(address);
  if (!family) return false;
  return list.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * Whether `inner` allows no address that `outer` does not: each of its blocks lies inside one of
 * outer's (a block spread over several counts as outside, which errs on the strict side). An empty
 * list allows every address.
 */
export function allowlistWithin(inner: readonly string[], outer: readonly string[]): boolean {
  if (!outer.length) return true;
  if (!inner.length) return false;
  return inner.every((block) => outer.some((container) => blockWithin(block, container)));
}

function blockWithin(inner: string, outer: string): boolean {
  const [address, bits] = inner.split('/');
  const [, outerBits] = outer.split('/');
  const family = isIP(address!);
  if (family !== isIP(outer.split('/')[0]!) || Number(bits) < Number(outerBits)) return false;
  // At least as long a prefix: the block lies inside the outer one exactly when any of its addresses does.
  return compileAllowlist([outer]).check(address!, family === 6 ? 'ipv6' : 'ipv4');
}
