import { TiergateError } from '@tiergate/domain';

/** Pure IPv4 CIDR parsing and expansion for discovery sweeps. */

export interface Ipv4Range {
  cidr: string;
  /** First and last address as unsigned 32-bit integers (network and broadcast excluded for /0../30). */
  first: number;
  last: number;
  size: number;
}

/** Largest sweep accepted: a /16 (65,534 hosts). */
export const MIN_SWEEP_PREFIX = 16;

export function ipv4ToInt(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

export const intToIpv4 = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

/** Parses `a.b.c.d/n` (a bare address is a /32); refuses ranges larger than /16 with RANGE_TOO_LARGE. */
export function parseCidr(cidr: string, minPrefix = MIN_SWEEP_PREFIX): Ipv4Range {
  const m = /^\s*([0-9.]+)(?:\/(\d{1,2}))?\s*$/.exec(cidr ?? '');
  const base = m ? ipv4ToInt(m[1]) : undefined;
  const prefix = m?.[2] === undefined ? 32 : Number(m[2]);
  if (!m || base === undefined || prefix > 32) {
    throw new TiergateError('VALIDATION_FAILED', `cidr: "${String(cidr).slice(0, 40)}" is not an IPv4 CIDR such as 192.168.1.0/24`, { fields: ['cidr'] });
  }
  if (prefix < minPrefix) {
    throw new TiergateError('RANGE_TOO_LARGE', `cidr: /${prefix} is larger than the largest sweep (/${minPrefix}, ${2 ** (32 - minPrefix) - 2} hosts)`, { fields: ['cidr'] });
  }
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const network = (base & mask) >>> 0;
  const broadcast = (network | (~mask >>> 0)) >>> 0;
  const [first, last] = prefix >= 31 ? [network, broadcast] : [network + 1, broadcast - 1];
  return { cidr: `${intToIpv4(network)}/${prefix}`, first, last, size: last - first + 1 };
}

/** Every host address of a range, in order. */
export function* hostsOf(range: Ipv4Range): Generator<string> {
  for (let n = range.first; n <= range.last; n += 1) yield intToIpv4(n);
}
