import type { GrantCheck, StreamProfile } from './stream-token';
import type { TokenSigner } from './token-signer';

/**
 * How long a playback URL works: a VOD player fetches segments as it plays, so the token must outlive a
 * viewing; scope changes other than a revoked grant apply at the next POST /playback.
 */
export const PLAYBACK_TOKEN_TTL_SECONDS = 3600;

/** What a playback token carries: who, which camera and profile, which recorded range [from, to) (epoch ms), until when. */
export interface PlaybackClaims {
  sub: string;
  cam: string;
  prof: StreamProfile;
  from: number;
  to: number;
  iat: number;
  exp: number;
  /** The grant the camera is seen through, when it is outside the user's home scope. */
  grt?: string;
}

/** The range a valid token opens, for the server that answers it. */
export interface PlaybackGrant {
  userId: string;
  cameraId: string;
  profile: StreamProfile;
  from: number;
  to: number;
}

/**
 * Tokens for recorded video (HLS VOD, docs/recording.md "Playback"), beside StreamTokens and made the same
 * way: a signer of their own purpose (so a live token never opens recordings, nor the reverse), bound to user,
 * camera, profile and the range, checked on the playlist, every init and every segment with one HMAC and no
 * database round trip. A camera seen through a grant names the grant, and every check asks whether it is
 * still in force (the access snapshot in memory), so a revoked grant stops playback at once.
 */
export class PlaybackTokens {
  /** Until a snapshot is bound (PlatformModule does it), no grant is in force. */
  private grantCheck: GrantCheck = () => false;

  constructor(
    private readonly signer: TokenSigner,
    private readonly ttlSeconds: number,
  ) {}

  bindGrantCheck(check: GrantCheck): void {
    this.grantCheck = check;
  }

  /** Binds the grant check to the process's access snapshot; returns this (for a provider factory). */
  bindingGrants(snapshots: { isInForce(grantId: string, nowMs?: number): boolean }): this {
    this.bindGrantCheck((id, now) => snapshots.isInForce(id, now));
    return this;
  }

  issue(grant: PlaybackGrant, nowMs = Date.now(), grantId?: string): { token: string; expiresAt: Date } {
    const iat = Math.floor(nowMs / 1000);
    const exp = iat + this.ttlSeconds;
    const claims: PlaybackClaims = { sub: grant.userId, cam: grant.cameraId, prof: grant.profile, from: grant.from, to: grant.to, iat, exp, ...(grantId ? { grt: grantId } : {}) };
    return { token: this.signer.sign(claims as unknown as Record<string, unknown>), expiresAt: new Date(exp * 1000) };
  }

  /**
   * The range a valid, unexpired token opens on exactly this camera and profile (its grant, if any, still in
   * force); undefined otherwise. The caller checks that what is asked for lies in [from, to).
   */
  rangeOf(token: string | undefined, cameraId: string, profile: string, nowMs = Date.now()): PlaybackGrant | undefined {
    if (!token) return undefined;
    const c = this.signer.verify<PlaybackClaims>(token, nowMs);
    if (c === undefined || c.cam !== cameraId || c.prof !== profile) return undefined;
    if (typeof c.from !== 'number' || typeof c.to !== 'number' || !(c.from < c.to) || typeof c.sub !== 'string') return undefined;
    if (c.grt !== undefined && !(typeof c.grt === 'string' && this.grantCheck(c.grt, nowMs))) return undefined;
    return { userId: c.sub, cameraId: c.cam, profile: c.prof, from: c.from, to: c.to };
  }
}

/** What an export download token carries: who and which export, until when. */
interface ExportDownloadClaims {
  sub: string;
  xid: string;
  iat: number;
  exp: number;
}

/**
 * A few seconds' ticket from the gateway (which checked the login, the role and the camera's scope, and wrote
 * the audit entry) to the worker holding an export's file: `GET /exports/<id>.mp4?token=…` on the worker.
 */
export class ExportDownloadTokens {
  constructor(
    private readonly signer: TokenSigner,
    private readonly ttlSeconds = 30,
  ) {}

  issue(userId: string, exportId: string, nowMs = Date.now()): string {
    const iat = Math.floor(nowMs / 1000);
    const claims: ExportDownloadClaims = { sub: userId, xid: exportId, iat, exp: iat + this.ttlSeconds };
    return this.signer.sign(claims as unknown as Record<string, unknown>);
  }

  allows(token: string | undefined, exportId: string, nowMs = Date.now()): boolean {
    if (!token) return false;
    return this.signer.verify<ExportDownloadClaims>(token, nowMs)?.xid === exportId;
  }
}
