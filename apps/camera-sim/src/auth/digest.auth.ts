import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Pure helpers for RFC 2617/7616 (MD5) Digest and Basic authentication, shared by RTSP and HTTP. */

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

export const newNonce = (): string => randomBytes(16).toString('hex');

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** Parses `Digest k=v, k="v"` parameters; returns undefined for another scheme. */
export function parseDigestHeader(header: string): Record<string, string> | undefined {
  const m = /^\s*Digest\s+(.*)$/is.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  const re = /([a-zA-Z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;
  let p: RegExpExecArray | null;
  while ((p = re.exec(m[1])) !== null) params[p[1].toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3];
  return params;
}

export function digestChallenge(realm: string, nonce: string, qop: boolean): string {
  return `Digest realm="${realm}", nonce="${nonce}"${qop ? ', qop="auth", algorithm=MD5' : ''}`;
}

/**
 * Checks an `Authorization` header against the credentials: Basic (if allowed) or Digest with the
 * given realm and one of the accepted nonces. Returns false for anything malformed.
 */
export function checkAuthorization(
  header: string | undefined,
  method: string,
  creds: Credentials,
  realm: string,
  isValidNonce: (nonce: string) => boolean,
  allowBasic: boolean,
): boolean {
  if (!header) return false;
  const basic = /^\s*Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (basic) {
    if (!allowBasic) return false;
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    return safeEqual(decoded, `${creds.username}:${creds.password}`);
  }
  const d = parseDigestHeader(header);
  if (!d || !d.username || !d.response || !d.nonce || d.uri === undefined) return false;
  if (d.realm !== realm || !isValidNonce(d.nonce)) return false;
  if (d.algorithm && d.algorithm.toUpperCase() !== 'MD5') return false;
  if (!safeEqual(d.username, creds.username)) return false;
  const ha1 = md5(`${creds.username}:${realm}:${creds.password}`);
  const ha2 = md5(`${method}:${d.uri}`);
  const expected = d.qop
    ? d.qop === 'auth' && d.nc && d.cnonce
      ? md5(`${ha1}:${d.nonce}:${d.nc}:${d.cnonce}:auth:${ha2}`)
      : ''
    : md5(`${ha1}:${d.nonce}:${ha2}`);
  return expected !== '' && safeEqual(expected, d.response.toLowerCase());
}

/** Client side (for tests and tools): builds a Digest Authorization header answering a challenge. */
export function digestAuthorization(
  challenge: string,
  method: string,
  uri: string,
  creds: Credentials,
  cnonce = randomBytes(8).toString('hex'),
): string {
  const c = parseDigestHeader(challenge);
  if (!c || !c.realm || !c.nonce) throw new Error('not a Digest challenge');
  const ha1 = md5(`${creds.username}:${c.realm}:${creds.password}`);
  const ha2 = md5(`${method}:${uri}`);
  const qop = c.qop?.split(',').map((s) => s.trim()).includes('auth');
  const nc = '00000001';
  const response = qop ? md5(`${ha1}:${c.nonce}:${nc}:${cnonce}:auth:${ha2}`) : md5(`${ha1}:${c.nonce}:${ha2}`);
  return (
    `Digest username="${creds.username}", realm="${c.realm}", nonce="${c.nonce}", uri="${uri}", response="${response}"` +
    (qop ? `, qop=auth, nc=${nc}, cnonce="${cnonce}"` : '')
  );
}
