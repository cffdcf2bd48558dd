import { createHash, hkdfSync, timingSafeEqual } from 'node:crypto';

/** The user name every Tiergate process presents to the broker when none is configured in MQTT_URL. */
export const BROKER_USERNAME = 'tiergate';

export interface BrokerCredentials {
  username: string;
  password: string;
}

/** A key for one purpose, derived from the shared secret key (HKDF-SHA256, RFC 5869). */
export function deriveKey(secretKey: string, purpose: string, bytes = 32): Buffer {
  if (!secretKey) throw new Error('a secret key is required to derive bus keys');
  return Buffer.from(hkdfSync('sha256', secretKey, 'tiergate/v1', `tiergate ${purpose}`, bytes));
}

/**
 * The broker credential shared by every process that holds the secret key: user `tiergate`, password
 * derived from the key. An external broker can instead be given any credential in MQTT_URL.
 */
export function brokerCredentialsOf(secretKey: string): BrokerCredentials {
  return { username: BROKER_USERNAME, password: deriveKey(secretKey, 'mqtt password').toString('base64url') };
}

/** The user name and password carried in an mqtt:// URL, if any (percent-decoded). */
export function credentialsInUrl(url: string): BrokerCredentials | undefined {
  const u = new URL(url);
  if (!u.username) return undefined;
  return { username: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
}

/** The URL with `credentials` in it, unless it already names a user (an explicit credential wins). */
export function withCredentials(url: string, credentials: BrokerCredentials): string {
  const u = new URL(url);
  if (u.username) return url;
  u.username = encodeURIComponent(credentials.username);
  u.password = encodeURIComponent(credentials.password);
  return u.toString().replace(/\/$/, '');
}

/** Compares two secrets in time independent of where they differ and of their lengths. */
export function secretsEqual(a: string | Buffer | undefined | null, b: string): boolean {
  if (a === undefined || a === null) return false;
  const digest = (v: string | Buffer) => createHash('sha256').update(v).digest();
  return timingSafeEqual(digest(a), digest(b));
}
