import { Injectable } from '@nestjs/common';
import { Counter, register } from 'prom-client';
import { Principal, ScopeService, StreamProfile, StreamTokens } from '@tiergate/access';
import { hlsPathOf } from '@tiergate/contracts';
import { notFound, TiergateError } from '@tiergate/domain';
import { AuditWriter, CameraRepository } from '@tiergate/persistence';
import { StreamPlacement } from './stream-placement.service';

const liveRequests = new Counter({ name: 'tiergate_live_requests_total', help: 'POST /live calls by outcome', labelNames: ['outcome'], registers: [register] });

export interface LiveAnswer {
  hlsUrl: string;
  expiresAt: string;
}

/**
 * Hands out playable HLS URLs: checks scope, has the session placed on a worker (StreamPlacement: the
 * one already holding it while it answers, else the least loaded live one), waits until the worker has
 * the first segment, and signs a short-lived token bound to user, camera and profile.
 */
@Injectable()
export class LiveService {
  constructor(
    private readonly cameras: CameraRepository,
    private readonly scope: ScopeService,
    private readonly tokens: StreamTokens,
    private readonly placement: StreamPlacement,
    private readonly audit: AuditWriter,
  ) {}

  /** `baseUrl`: where clients reach this gateway (public-base-url.ts), without a trailing slash. */
  async open(principal: Principal, cameraId: string, profile: StreamProfile, baseUrl: string, ip?: string): Promise<LiveAnswer> {
    // One read of the camera serves both the scope check and the placement.
    const camera = await this.cameras.findById(cameraId);
    const access = camera ? await this.scope.cameraAccess(principal, camera) : undefined;
    if (!camera || !access) throw notFound('camera');
    try {
      await this.placement.ensureSession(cameraId, profile, camera);
    } catch (e) {
      liveRequests.inc({ outcome: e instanceof TiergateError ? e.code : 'INTERNAL' });
      throw e;
    }
    liveRequests.inc({ outcome: 'ok' });
    // A camera seen through a grant: the token names it, and each playlist and segment checks it is still in force.
    const { token, expiresAt } = this.tokens.issue(principal.userId, cameraId, profile, Date.now(), access.via === 'grant' ? access.grantId : undefined);
    await this.audit.append({ userId: principal.userId, username: principal.username }, { action: 'camera.live', targetType: 'camera', targetId: cameraId, ip, details: { profile } });
    return { hlsUrl: `${baseUrl}${hlsPathOf({ cameraId, profile })}?token=${token}`, expiresAt: expiresAt.toISOString() };
  }
}
