import { createHmac, createSecretKey, KeyObject } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';

/** Clock skew allowed between the process that issued a token and the one checking it (nbf, iat). */
export const TOKEN_LEEWAY_SECONDS = 5;

const SEGMENT = /^[A-Za-z0-9_-]+$/;

/**
 * HS256 JSON Web Tokens (RFC 7519) through `@nestjs/jwt` (jsonwebtoken): the same signer makes login
 * tokens and the short-lived stream tokens checked on every playlist and segment, so verification is
 * synchronous and needs no database. What it accepts is canonical:
 * - exactly HS256 (no `none`, no other algorithm, whatever the header says);
 * - every segment unpadded base64url that re-encodes to itself (RFC 7515 §2: the last character of a
 *   signature carries spare bits, and a lenient decoder would take 4–16 spellings of one signature);
 * - `exp` required and strict; `nbf` honoured and `iat` not in the future, both with a small leeway.
 */
export class TokenSigner {
  private readonly key: KeyObject;
  private readonly jwt = new JwtService();

  constructor(secret: string | Buffer, purpose: string) {
    // One key per purpose, so a login token can never pass as a stream token or the reverse.
    this.key = createSecretKey(createHmac('sha256', secret).update(`tiergate-token:${purpose}`).digest());
  }

  sign(claims: Record<string, unknown>): string {
    // `iat` is whatever the caller put in the claims (issuers pass their clock); none is added.
    return this.jwt.sign({ ...claims }, { secret: this.key as unknown as Buffer, algorithm: 'HS256', noTimestamp: claims.iat === undefined });
  }

  /** The claims when the token is canonical, signed with this key, started and unexpired; otherwise undefined. */
  verify<T extends { exp: number }>(token: string, nowMs = Date.now()): T | undefined {
    if (!isCanonicalCompactJws(token)) return undefined;
    let claims: Record<string, unknown>;
    try {
      claims = this.jwt.verify(token, {
        secret: this.key as unknown as Buffer,
        algorithms: ['HS256'],
        clockTimestamp: Math.floor(nowMs / 1000),
        clockTolerance: TOKEN_LEEWAY_SECONDS,
        // Checked below to the millisecond and without leeway: a token never outlives its `exp`.
        ignoreExpiration: true,
      });
    } catch {
      return undefined;
    }
    return claimsAreCurrent(claims, nowMs) ? (claims as unknown as T) : undefined;
  }
}

/** Three non-empty unpadded base64url segments, each the canonical encoding of its bytes; at most 4 KiB. */
export function isCanonicalCompactJws(token: unknown): token is string {
  if (typeof token !== 'string' || token.length > 4096) return false;
  const parts = token.split('.');
  return parts.length === 3 && parts.every((p) => SEGMENT.test(p) && Buffer.from(p, 'base64url').toString('base64url') === p);
}

/** `exp` present and in the future; `nbf` and `iat`, when present, numbers not after now (+ leeway). */
export function claimsAreCurrent(claims: Record<string, unknown>, nowMs: number): boolean {
  const { exp, nbf, iat } = claims;
  if (typeof exp !== 'number' || !Number.isFinite(exp) || exp * 1000 <= nowMs) return false;
  const latest = nowMs / 1000 + TOKEN_LEEWAY_SECONDS;
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > latest)) return false;
  if (iat !== undefined && (typeof iat !== 'number' || iat > latest)) return false;
  return true;
}
