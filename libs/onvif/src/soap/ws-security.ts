import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { attr, child, text } from './xml';

/** Pure WS-Security UsernameToken (ONVIF profile): building for clients, verifying for servers. */

const PASSWORD_DIGEST = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest';
const PASSWORD_TEXT = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText';

/** PasswordDigest = Base64(SHA1(nonce bytes + created + password)). */
export function passwordDigest(nonce: Buffer, created: string, password: string): string {
  return createHash('sha1').update(Buffer.concat([nonce, Buffer.from(created), Buffer.from(password)])).digest('base64');
}

/** `<wsse:Security>` header with a digest UsernameToken, for a SOAP client. */
export function usernameTokenHeader(
  username: string,
  password: string,
  now: Date = new Date(),
  nonce: Buffer = randomBytes(16),
): string {
  const created = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const esc = (s: string): string => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return (
    `<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" ` +
    `xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd" soap:mustUnderstand="1">` +
    `<wsse:UsernameToken><wsse:Username>${esc(username)}</wsse:Username>` +
    `<wsse:Password Type="${PASSWORD_DIGEST}">${passwordDigest(nonce, created, password)}</wsse:Password>` +
    `<wsse:Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary">` +
    `${nonce.toString('base64')}</wsse:Nonce><wsu:Created>${created}</wsu:Created></wsse:UsernameToken></wsse:Security>`
  );
}

export type UsernameTokenCheck = 'absent' | 'valid' | 'invalid' | 'expired';

export interface UsernameTokenOptions {
  /** The verifier's idea of the current time (a camera with a wrong clock passes its own). */
  readonly now: Date;
  /** Allowed difference between `Created` and `now`; default 300 s. Omitted `Created` is allowed for text. */
  readonly maxSkewSeconds?: number;
}

const equal = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Verifies the UsernameToken in a parsed SOAP header (namespace prefixes already removed). */
export function verifyUsernameToken(
  header: unknown,
  creds: { username: string; password: string },
  options: UsernameTokenOptions,
): UsernameTokenCheck {
  const token = child(child(header, 'Security'), 'UsernameToken');
  if (token === undefined) return 'absent';
  const username = text(child(token, 'Username'));
  const passwordNode = child(token, 'Password');
  const password = text(passwordNode);
  if (username === undefined || password === undefined) return 'invalid';
  const type = attr(passwordNode, 'Type') ?? PASSWORD_TEXT;
  const created = text(child(token, 'Created'));
  if (created !== undefined) {
    const t = Date.parse(created);
    if (Number.isNaN(t)) return 'invalid';
    const skew = (options.maxSkewSeconds ?? 300) * 1000;
    if (Math.abs(t - options.now.getTime()) > skew) return 'expired';
  }
  if (!equal(username, creds.username)) return 'invalid';
  if (type.endsWith('#PasswordText')) return equal(password, creds.password) ? 'valid' : 'invalid';
  if (!type.endsWith('#PasswordDigest')) return 'invalid';
  const nonce = text(child(token, 'Nonce'));
  if (nonce === undefined || created === undefined) return 'invalid';
  const expected = passwordDigest(Buffer.from(nonce, 'base64'), created, creds.password);
  return equal(expected, password) ? 'valid' : 'invalid';
}
