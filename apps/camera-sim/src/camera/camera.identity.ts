import { TiergateError } from '@tiergate/domain';
import { createHash } from 'node:crypto';

/** Pure: stable identity of simulated camera number `index` (0-based) in a fleet. */

export function endpointReferenceFor(host: string, onvifPort: number): string {
  const h = createHash('sha1').update(`tiergate-sim:${host}:${onvifPort}`).digest('hex');
  // RFC 4122 layout, version 5 style bits.
  const v = `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  return `urn:uuid:${v}`;
}

export const serialFor = (index: number, twentyDigits: boolean): string =>
  twentyDigits ? (90_000_000_000_000_000_000n + BigInt(index + 1)).toString() : `SIM${String(index + 1).padStart(6, '0')}`;

export const defaultNameFor = (index: number): string => `sim-cam-${String(index + 1).padStart(3, '0')}`;

/** 127.0.1.1 + n, rolling the last octet over 1..254 into the third octet (127.0.1.254 -> 127.0.2.1). */
export function hostFor(first: string, index: number): string {
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(first);
  if (!m) throw new TiergateError('VALIDATION_FAILED', `firstAddress must be a 127.x.y.z loopback address, got ${first}`);
  const [b, c, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (b > 255 || c > 255 || d < 1 || d > 254) throw new TiergateError('VALIDATION_FAILED', `bad firstAddress ${first}`);
  let linear = c * 254 + (d - 1) + index;
  const third = Math.floor(linear / 254);
  linear -= third * 254;
  const second = b + Math.floor(third / 256);
  if (second > 255) throw new TiergateError('VALIDATION_FAILED', 'fleet does not fit in 127.0.0.0/8');
  return `127.${second}.${third % 256}.${linear + 1}`;
}
