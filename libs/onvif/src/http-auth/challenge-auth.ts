import { createHash } from 'node:crypto';

/** Pure HTTP/RTSP challenge authentication (RFC 2617 Digest and Basic, as cameras use it for RTSP and snapshots): parse challenges, build Authorization headers. */

export interface Challenge {
  scheme: 'digest' | 'basic';
  params: Record<string, string>;
}

/** Parses one WWW-Authenticate value; undefined for an unknown scheme. */
export function parseChallenge(header: string): Challenge | undefined {
  const m = /^\s*(Digest|Basic)\b\s*(.*)$/i.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  const re = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  let p: RegExpExecArray | null;
  while ((p = re.exec(m[2])) !== null) params[p[1].toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3];
  return { scheme: m[1].toLowerCase() as Challenge['scheme'], params };
}

/** Picks Digest over Basic among several challenges. */
export function pickChallenge(headers: readonly string[]): Challenge | undefined {
  const all = headers.map(parseChallenge).filter((c): c is Challenge => c !== undefined);
  return all.find((c) => c.scheme === 'digest') ?? all.find((c) => c.scheme === 'basic');
}

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

export function authorizationHeader(challenge: Challenge, method: string, uri: string, username: string, password: string, cnonce = 'tiergate0'): string {
  if (challenge.scheme === 'basic') return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const { realm = '', nonce = '', opaque, qop } = challenge.params;
  const ha1 = md5(`${username}:${realm}:${password}`);
  const ha2 = md5(`${method}:${uri}`);
  const q = qop?.split(',').map((x) => x.trim()).includes('auth') ? 'auth' : undefined;
  const nc = '00000001';
  const response = q ? md5(`${ha1}:${nonce}:${nc}:${cnonce}:${q}:${ha2}`) : md5(`${ha1}:${nonce}:${ha2}`);
  const quote = (s: string) => s.replace(/["\\]/g, '\\$&');
  return (
    `Digest username="${quote(username)}", realm="${quote(realm)}", nonce="${quote(nonce)}", uri="${quote(uri)}", response="${response}"` +
    (opaque !== undefined ? `, opaque="${quote(opaque)}"` : '') +
    (q ? `, qop=${q}, nc=${nc}, cnonce="${cnonce}"` : '')
  );
}
