import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Compact HS256 JSON Web Tokens (RFC 7519) without a dependency: the same signer makes login tokens and
 * the short-lived stream tokens checked on every playlist and segment, where speed matters.
 */
export class TokenSigner {
  private readonly key: Buffer;
  private static readonly HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

  constructor(secret: string | Buffer, purpose: string) {
    // One key per purpose, so a login token can never pass as a stream token or the reverse.
    this.key = createHmac('sha256', secret).update(`tiergate-token:${purpose}`).digest();
  }

  sign(claims: Record<string, unknown>): string {
    const body = `${TokenSigner.HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    return `${body}.${createHmac('sha256', this.key).update(body).digest('base64url')}`;
  }

  /** The claims when the signature is right and `exp` (seconds) is in the future; otherwise undefined. */
  verify<T extends { exp: number }>(token: string, nowMs = Date.now()): T | undefined {
    if (typeof token !== 'string' || token.length > 4096) return undefined;
    const dot = token.lastIndexOf('.');
    const first = token.indexOf('.');
    if (first <= 0 || dot <= first) return undefined;
    const body = token.slice(0, dot);
    if (body.slice(0, first) !== TokenSigner.HEADER) return undefined;
    const expected = createHmac('sha256', this.key).update(body).digest();
    const given = Buffer.from(token.slice(dot + 1), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    let claims: T;
    try {
      claims = JSON.parse(Buffer.from(body.slice(first + 1), 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    if (typeof claims?.exp !== 'number' || claims.exp * 1000 <= nowMs) return undefined;
    return claims;
  }
}
