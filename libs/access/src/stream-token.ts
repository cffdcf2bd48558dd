import type { TokenSigner } from './token-signer';

export type StreamProfile = import('@tiergate/contracts').StreamProfile;

/** What a stream token carries: who, which camera and profile, until when. Nothing else. */
export interface StreamClaims {
  sub: string;
  cam: string;
  prof: StreamProfile;
  iat: number;
  exp: number;
}

/**
 * Short-lived tokens bound to user, camera and profile, checked on every playlist and segment with one
 * HMAC and no database round trip. Revoking access takes effect at the next renewal (the token lifetime,
 * at most a few minutes): renewal goes through `POST /api/cameras/:id/live`, which checks the scope again.
 */
export class StreamTokens {
  constructor(
    private readonly signer: TokenSigner,
    private readonly ttlSeconds: number,
  ) {}

  issue(userId: string, cameraId: string, profile: StreamProfile, nowMs = Date.now()): { token: string; expiresAt: Date } {
    const iat = Math.floor(nowMs / 1000);
    const exp = iat + this.ttlSeconds;
    const claims: StreamClaims = { sub: userId, cam: cameraId, prof: profile, iat, exp };
    return { token: this.signer.sign(claims as unknown as Record<string, unknown>), expiresAt: new Date(exp * 1000) };
  }

  /** True only for a valid, unexpired token of exactly this camera and profile. */
  allows(token: string | undefined, cameraId: string, profile: string, nowMs = Date.now()): boolean {
    if (!token) return false;
    const claims = this.signer.verify<StreamClaims>(token, nowMs);
    return claims !== undefined && claims.cam === cameraId && claims.prof === profile;
  }
}
