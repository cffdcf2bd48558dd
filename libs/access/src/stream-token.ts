import type { TokenSigner } from './token-signer';

export type StreamProfile = import('@tiergate/contracts').StreamProfile;

/** What a stream token carries: who, which camera and profile, until when. Nothing else. */
export interface StreamClaims {
  sub: string;
  cam: string;
  prof: StreamProfile;
  iat: number;
  exp: number;
  /** The grant the camera is seen through, when it is outside the user's home scope. */
  grt?: string;
}

/** Is this grant still in force now? Answered from the access snapshot in memory (AccessSnapshots). */
export type GrantCheck = (grantId: string, nowMs: number) => boolean;

/**
 * Short-lived tokens bound to user, camera and profile, checked on every playlist and segment with one
 * HMAC and no database round trip. A token for a camera seen through a grant names the grant, and each
 * check also asks the access snapshot (in memory) whether that grant is still in force, so a revoked or
 * expired grant stops the video at once. Other changes of scope (a user or camera moved) take effect at
 * the next renewal (the token lifetime, at most a few minutes): renewal goes through
 * `POST /api/cameras/:id/live`, which checks the scope again.
 */
export class StreamTokens {
  /** Until a snapshot is bound (AccessSnapshots does it at start-up), no grant is in force. */
  private grantCheck: GrantCheck = () => false;

  constructor(
    private readonly signer: TokenSigner,
    private readonly ttlSeconds: number,
  ) {}

  /** Binds the answer to "is this grant still in force" (the process's access snapshot). */
  bindGrantCheck(check: GrantCheck): void {
    this.grantCheck = check;
  }

  issue(userId: string, cameraId: string, profile: StreamProfile, nowMs = Date.now(), grantId?: string): { token: string; expiresAt: Date } {
    const iat = Math.floor(nowMs / 1000);
    const exp = iat + this.ttlSeconds;
    const claims: StreamClaims = { sub: userId, cam: cameraId, prof: profile, iat, exp, ...(grantId ? { grt: grantId } : {}) };
    return { token: this.signer.sign(claims as unknown as Record<string, unknown>), expiresAt: new Date(exp * 1000) };
  }

  /** True only for a valid, unexpired token of exactly this camera and profile. */
  allows(token: string | undefined, cameraId: string, profile: string, nowMs = Date.now()): boolean {
    if (!token) return false;
    const claims = this.signer.verify<StreamClaims>(token, nowMs);
    if (claims === undefined || claims.cam !== cameraId || claims.prof !== profile) return false;
    return claims.grt === undefined || (typeof claims.grt === 'string' && this.grantCheck(claims.grt, nowMs));
  }
}
