import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Random bytes in a wall device's secret: 256 bits, so a single SHA-256 is enough to store it (docs/kiosk.md). */
export const DEVICE_SECRET_BYTES = 32;

const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A new device secret: 32 random bytes, base64url (43 characters). Shown once, at enrolment. */
export function newDeviceSecret(): string {
  return randomBytes(DEVICE_SECRET_BYTES).toString('base64url');
}

/**
 * What is stored of a device secret: `sha256$<hex>`. A password needs a slow hash (scrypt) because people choose
 * guessable ones; a 256-bit random secret cannot be guessed, so one fast hash loses nothing and a kiosk's
 * re-exchange after every restart costs no scrypt.
 */
export function hashDeviceSecret(secret: string): string {
  return `sha256$${createHash('sha256').update(secret, 'utf8').digest('hex')}`;
}

/** Whether `secret` is the one `stored` was made from (constant-time compare; a malformed secret or hash never matches). */
export function deviceSecretMatches(secret: unknown, stored: string | undefined): boolean {
  if (typeof secret !== 'string' || !SECRET_PATTERN.test(secret) || typeof stored !== 'string' || !stored.startsWith('sha256$')) return false;
  const expected = Buffer.from(stored.slice(7), 'hex');
  const actual = createHash('sha256').update(secret, 'utf8').digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
