import { BeforeApplicationShutdown, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Counter, register } from 'prom-client';
import { Principal, ScopeService, StreamProfile, StreamTokens } from '@tiergate/access';
import { type CamerasChangedMessage, hlsPathOf, namesEveryCamera, LL_PLAYLIST_NAME, msePathOf, type StreamKey, Topics } from '@tiergate/contracts';
import { MqttBus } from '@tiergate/messaging';
import { notFound, TiergateError } from '@tiergate/domain';
import { type AuditActor, type AuditRecord, AuditWriter, CameraRepository } from '@tiergate/persistence';
import { AuditQueue } from './audit-queue';
import { ViewSessionsService } from '../rates/view-sessions.service';
import { RecentCameras } from './recent-cameras';
import { StreamPlacement } from './stream-placement.service';
import { StepTimings } from './step-timings';
import { type LiveTransport, readinessFor } from './stream-readiness';

const liveRequests = new Counter({ name: 'tiergate_live_requests_total', help: 'POST /live calls by outcome', labelNames: ['outcome'], registers: [register] });

/** What POST /api/cameras/:id/live answers: three ways to play one stream, all with the same token. */
export interface LiveAnswer {
  /** Classic HLS (ffprobe, VLC, mobile, hls.js): `http(s)://…/hls/<cameraId>/<profile>/index.m3u8?token=…`. */
  hlsUrl: string;
  /** The MSE WebSocket (fMP4 fragments from the newest keyframe): `ws(s)://…/live/<cameraId>/<profile>/mse?token=…`. */
  mseUrl: string;
  /** LL-HLS (parts, blocking reload) beside the classic playlist: `…/hls/<cameraId>/<profile>/ll.m3u8?token=…`. */
  llHlsUrl: string;
  expiresAt: string;
}

/** The URLs of one stream on a public base URL (http→ws, https→wss for the WebSocket), each carrying the token. Pure. */
export function liveUrlsOf(baseUrl: string, key: StreamKey, token: string): Pick<LiveAnswer, 'hlsUrl' | 'mseUrl' | 'llHlsUrl'> {
  const wsBase = baseUrl.replace(/^http(s?):/i, (_m, s: string) => `ws${s.toLowerCase()}:`);
  const query = `?token=${encodeURIComponent(token)}`;
  return {
    hlsUrl: `${baseUrl}${hlsPathOf(key)}?token=${token}`,
    mseUrl: `${wsBase}${msePathOf(key)}${query}`,
    llHlsUrl: `${baseUrl}${hlsPathOf(key, LL_PLAYLIST_NAME)}${query}`,
  };
}

/**
 * Hands out playable URLs (classic HLS, the MSE WebSocket, LL-HLS): checks scope, has the session placed on a worker (StreamPlacement: the
 * one already holding it while it answers, else the least loaded live one), waits until the worker has
 * the first segment (or, for `transport: 'mse'`, a keyframe fragment), and signs a short-lived token bound to user,
 * camera and profile. The camera row comes from RecentCameras (read at most 30 s ago, forgotten on every camera or
 * jurisdiction change notice). The `camera.live` audit entry is written right after the answer (AuditQueue: in order, retried,
 * a lasting failure logged in full; drained at shutdown).
 */
@Injectable()
export class LiveService implements OnModuleInit, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger('LiveService');
  private readonly auditQueue: AuditQueue<{ actor: AuditActor; record: AuditRecord }>;
  private readonly recentCameras: RecentCameras;
  private readonly unsubscribe: (() => Promise<void>)[] = [];

  constructor(
    cameras: CameraRepository,
    private readonly scope: ScopeService,
    private readonly tokens: StreamTokens,
    private readonly placement: StreamPlacement,
    audit: AuditWriter,
    private readonly bus: MqttBus,
    private readonly viewSessions: ViewSessionsService,
  ) {
    this.recentCameras = new RecentCameras((id) => cameras.findById(id));
    this.auditQueue = new AuditQueue({
      write: ({ actor, record }) => audit.append(actor, record),
      log: (level, message) => this.logger[level](message),
      describe: ({ actor, record }) => JSON.stringify({ actorId: actor.userId, actorName: actor.username, ...record }),
    });
  }

  async onModuleInit(): Promise<void> {
    this.unsubscribe.push(await this.bus.subscribe(Topics.camerasChanged, (_topic, payload) => {
      // The bus has validated the payload against CamerasChangedMessage.
      const m = payload as CamerasChangedMessage;
      this.recentCameras.forget(namesEveryCamera(m) ? m.cameraIds : undefined);
    }));
    this.unsubscribe.push(await this.bus.subscribe(Topics.jurisdictionsChanged, () => this.recentCameras.forget()));
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.unsubscribe.splice(0).map((u) => u().catch(() => undefined)));
  }

  /** Every audit entry queued is written before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.auditQueue.drain();
  }

  /** Resolves once the audit entries of the answers given so far are written (tests, shutdown). */
  auditWritten(): Promise<void> {
    return this.auditQueue.drain();
  }

  /**
   * `baseUrl`: where clients reach this gateway (public-base-url.ts), without a trailing slash. `transport`: `mse`
   * answers once the session's fMP4 feed has a keyframe fragment; anything else once the first segment exists.
   * `timings` gets the duration of each step (the controller's Server-Timing header).
   */
  async open(principal: Principal, cameraId: string, profile: StreamProfile, baseUrl: string, options: { ip?: string; transport?: LiveTransport; timings?: StepTimings } = {}): Promise<LiveAnswer> {
    const timings = options.timings ?? new StepTimings();
    // One read of the camera serves both the scope check and the placement.
    const camera = await this.recentCameras.get(cameraId);
    timings.mark('camera');
    const access = camera ? await this.scope.cameraAccess(principal, camera) : undefined;
    timings.mark('scope');
    if (!camera || !access) throw notFound('camera');
    try {
      await this.placement.ensureSession(cameraId, profile, camera, readinessFor(options.transport));
    } catch (e) {
      liveRequests.inc({ outcome: e instanceof TiergateError ? e.code : 'INTERNAL' });
      throw e;
    }
    timings.mark('place');
    liveRequests.inc({ outcome: 'ok' });
    // A camera seen through a grant: the token names it, and each playlist and segment checks it is still in force.
    const { token, expiresAt } = this.tokens.issue(principal.userId, cameraId, profile, Date.now(), access.via === 'grant' ? access.grantId : undefined);
    timings.mark('token');
    this.auditQueue.add({ actor: { userId: principal.userId, username: principal.username }, record: { action: 'camera.live', targetType: 'camera', targetId: cameraId, ip: options.ip, details: { profile } } });
    this.viewSessions.liveAnswered({ userId: principal.userId, cameraId, profile }, expiresAt);
    return { ...liveUrlsOf(baseUrl, { cameraId, profile }, token), expiresAt: expiresAt.toISOString() };
  }
}
