import { Inject, Injectable } from '@nestjs/common';
import { Repository } from 'typeorm';
import { Counter, register } from 'prom-client';
import { Principal, ScopeService, scopeAllowsCamera, StreamProfile, StreamTokens } from '@tiergate/access';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { Commands, StreamEnsureReply, StreamEnsureRequest } from '@tiergate/contracts';
import { notFound, TiergateError } from '@tiergate/domain';
import { MqttBus, RpcErrorReply } from '@tiergate/messaging';
import { AuditWriter, CameraEntity, InjectRepository } from '@tiergate/persistence';
import { SecretBox } from '@tiergate/access';
import { streamSourceOf } from './stream-source';
import { WorkerDirectory } from './worker.directory';

const liveRequests = new Counter({ name: 'tiergate_live_requests_total', help: 'POST /live calls by outcome', labelNames: ['outcome'], registers: [register] });
const failovers = new Counter({ name: 'tiergate_stream_failovers_total', help: 'Sessions re-placed on another worker', registers: [register] });

export interface LiveAnswer {
  hlsUrl: string;
  expiresAt: string;
}

/**
 * Hands out playable HLS URLs: checks scope, places the session on a worker (the one already holding it,
 * else the least loaded), waits until the worker has the first segment, and signs a short-lived token
 * bound to user, camera and profile. Concurrent first viewers of a camera share one placement.
 */
@Injectable()
export class LiveService {
  private readonly holders = new Map<string, string>();
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(
    @InjectRepository(CameraEntity) private readonly cameras: Repository<CameraEntity>,
    @Inject(TIERGATE_CONFIG) private readonly config: TiergateConfig,
    private readonly scope: ScopeService,
    private readonly tokens: StreamTokens,
    private readonly secrets: SecretBox,
    private readonly workers: WorkerDirectory,
    private readonly bus: MqttBus,
    private readonly audit: AuditWriter,
  ) {}

  async open(principal: Principal, cameraId: string, profile: StreamProfile, baseUrl: string, ip?: string): Promise<LiveAnswer> {
    // One read of the camera serves both the scope check and the placement.
    const camera = await this.cameras.findOne({ where: { id: cameraId } });
    if (!camera || !scopeAllowsCamera(await this.scope.scopeOf(principal), camera)) throw notFound('camera');
    try {
      await this.ensureSession(cameraId, profile, camera);
    } catch (e) {
      liveRequests.inc({ outcome: e instanceof TiergateError ? e.code : 'INTERNAL' });
      throw e;
    }
    liveRequests.inc({ outcome: 'ok' });
    const { token, expiresAt } = this.tokens.issue(principal.userId, cameraId, profile);
    await this.audit.append({ userId: principal.userId, username: principal.username }, { action: 'camera.live', targetType: 'camera', targetId: cameraId, ip, details: { profile } });
    const base = this.config.http.publicUrl || baseUrl;
    return { hlsUrl: `${base}/hls/${cameraId}/${profile}/index.m3u8?token=${token}`, expiresAt: expiresAt.toISOString() };
  }

  /** The live worker holding a session, if this gateway knows one. No I/O: the segment path calls it. */
  holderOf(cameraId: string, profile: string): string | undefined {
    const id = this.holders.get(`${cameraId}/${profile}`);
    return id && this.workers.isLive(id) ? id : undefined;
  }

  /**
   * Makes sure a worker runs the session and returns its id. Re-places the session when its worker has
   * stopped heart-beating (failover while viewers keep asking).
   */
  ensureSession(cameraId: string, profile: StreamProfile, known?: CameraEntity): Promise<string> {
    const key = `${cameraId}/${profile}`;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.place(cameraId, profile, known).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  private async place(cameraId: string, profile: StreamProfile, known?: CameraEntity): Promise<string> {
    const key = `${cameraId}/${profile}`;
    const camera = known ?? (await this.cameras.findOne({ where: { id: cameraId } }));
    if (!camera) throw notFound('camera');
    const source = streamSourceOf(camera, profile, camera.passwordSealed ? this.secrets.open(camera.passwordSealed) : null);
    const previous = this.holders.get(key);
    const live = previous && this.workers.isLive(previous) ? this.workers.get(previous) : this.workers.choose(cameraId, profile);
    if (!live) throw new TiergateError('NO_WORKER_AVAILABLE', 'no transcoder worker is available');
    if (previous && previous !== live.workerId) failovers.inc();
    const request: StreamEnsureRequest = { cameraId, profile, sourceSealed: this.bus.sealSecret(source.url), transcode: source.transcode };
    const reply = await this.bus.request<StreamEnsureReply | RpcErrorReply>(Commands.streamEnsure(live.workerId), request, this.config.transcoder.startTimeoutMs + 3000);
    if ('error' in reply) throw new TiergateError(TiergateError.isErrorCode(reply.error.code) ? reply.error.code : 'INTERNAL', reply.error.message);
    if (!reply.ok) throw new TiergateError(TiergateError.isErrorCode(reply.code) ? reply.code : 'INTERNAL', reply.message ?? 'stream failed to start');
    this.holders.set(key, live.workerId);
    return live.workerId;
  }
}
