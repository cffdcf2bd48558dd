import { hlsPathOf, isStreamProfile, type RecordingStorageOffer, streamKeyId, Topics, type FfmpegInUse, type StreamKey, type StreamEnsureReply, type StreamEnsureRequest, type StreamReadiness, type StreamStateMessage, type WorkerHeartbeatMessage } from '@tiergate/contracts';
import { isSafeId, TiergateError, type ErrorCode } from '@tiergate/domain';
import { type FfmpegArgFeatures, type FfmpegSpawner, type FragmentFeed, type SourceCodec } from '@tiergate/media';
import type { Clock, TimerHandle } from './clock';
import type { TranscoderMetrics } from './transcoder.metrics';
import { StreamSession, type HlsOutputPort, type SessionConfig, type SessionState } from './stream-session';
import { StartGate } from './start-gate';

export type PublishFn = (topic: string, payload: unknown, options?: { retain?: boolean }) => void | Promise<void>;

/** Where repeated failures go (alerting, logs). */
export interface TranscoderEvents {
  streamFailing(info: { workerId: string; cameraId: string; profile: string; failures: number; code: ErrorCode; detail: string }): void;
}

/** The output directory layout the worker needs on top of the session port. */
export interface HlsOutputLayout extends HlsOutputPort {
  dirFor(cameraId: string, profile: string): string;
}

export interface TranscoderWorkerPorts {
  workerId: string;
  /** Base URL at which this worker's HLS server is reachable (goes into heartbeats). */
  baseUrl: string;
  capacity: number;
  publish: PublishFn;
  clock: Clock;
  spawner: FfmpegSpawner;
  /** What the spawner's ffmpeg supports (probed at start-up); arguments are built for exactly that. */
  ffmpeg: FfmpegArgFeatures;
  /** The same ffmpeg as heartbeats report it. */
  ffmpegInUse?: FfmpegInUse;
  output: HlsOutputLayout;
  events?: TranscoderEvents;
  metrics?: TranscoderMetrics;
  session?: Partial<SessionConfig>;
  /** Probe tuning for the argument builder. */
  probe?: { probeSize?: number; analyzeDurationUs?: number };
  /** The low-latency fMP4 output (issue 13): longest fragment in ms. Absent or 0: classic HLS only, no feeds. */
  fragmentDurationMs?: number;
  log?: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
  /** The recording storage offer heartbeats carry (recording/recording-manager.ts); undefined or absent: none. */
  storageOffer?: () => RecordingStorageOffer | undefined;
  /** How many streams may start at once (transcoder.startsAtOnce, start-gate.ts); absent: no limit. */
  startsAtOnce?: number;
  /** The longest event-loop delay since the last call, in ms (event-loop-delay.ts); heartbeats carry it. */
  loopDelayMs?: () => number | undefined;
  /** A session became ready (its feed, if it has one, is running): LL-HLS starts packaging it (ll-hls.registry.ts). */
  onSessionReady?: (cameraId: string, profile: string) => void;
}

/** A StreamEnsureRequest opened in process (ensure-request.ts): the source URL in clear never crosses the bus. */
export interface EnsureOptions extends Omit<StreamEnsureRequest, 'sourceSealed'> {
  sourceUrl: string;
  sourceCodec?: SourceCodec;
}

/**
 * A heartbeat timer this late means the process was frozen (SIGSTOP, a hung host, swapped out): gateways
 * stop waiting for an answer after 1.5-2 s and move the sessions, so each session closes after FROZEN_GRACE_MS
 * unless a viewer request shows it is still used here.
 */
export const FROZEN_AFTER_MS = 3000;
export const FROZEN_GRACE_MS = 5000;
/**
 * Requests sent during the freeze wait in the socket buffers and are served right after it (the gateways gave
 * up on them): only a request after this long shows the session is still delivered from here.
 */
export const FROZEN_SETTLE_MS = 1500;
const keyOf = (cameraId: string, profile: string) => streamKeyId({ cameraId, profile });

/** Path of the playlist on a worker's HLS server, relative to its baseUrl. */
export const playlistPath = (key: StreamKey): string => hlsPathOf(key);

/**
 * One transcoder worker: owns its stream sessions (one per camera/profile), answers StreamEnsure requests,
 * publishes stream state and heartbeats through an injected publish function (no MQTT client here).
 */
export class TranscoderWorker {
  readonly workerId: string;
  private readonly sessions = new Map<string, StreamSession>();
  /** One per worker: every session's first start takes a place in it. */
  private readonly startGate: StartGate | undefined;
  /** Why each pinned stream is held open without viewers (e.g. `recording`), by stream key. */
  private readonly pins = new Map<string, Set<string>>();
  private heartbeatTimer: TimerHandle | undefined;
  private stopping = false;

  constructor(private readonly ports: TranscoderWorkerPorts) {
    if (!isSafeId(ports.workerId)) throw new TiergateError('VALIDATION_FAILED', 'workerId must match [A-Za-z0-9_-]{1,64}');
    this.workerId = ports.workerId;
    this.startGate = ports.startsAtOnce ? new StartGate(ports.startsAtOnce) : undefined;
  }

  /** Sessions that are not idle. */
  get load(): number {
    let n = 0;
    for (const s of this.sessions.values()) if (s.state !== 'idle') n++;
    return n;
  }

  /**
   * Handles a StreamEnsureRequest; never throws, answers ok:false with a code instead. Answers once the session
   * has what `readyAt` asks for (the first segment by default), and says what it had.
   */
  async ensure(request: EnsureOptions): Promise<StreamEnsureReply> {
    try {
      const readyAt = await this.ensureOrThrow(request);
      return { ok: true, workerId: this.workerId, playlistPath: playlistPath(request), readyAt };
    } catch (err) {
      const e = err instanceof TiergateError ? err : new TiergateError('INTERNAL', 'stream ensure failed', undefined, { cause: err });
      return { ok: false, workerId: this.workerId, code: e.code, message: e.message };
    }
  }

  /** Same as ensure() but throws the TiergateError (for in-process callers); resolves with what the session had. */
  async ensureOrThrow(request: EnsureOptions): Promise<StreamReadiness> {
    if (this.stopping) throw new TiergateError('SERVICE_UNAVAILABLE', 'transcoder worker is shutting down');
    const { cameraId, profile } = validateKey(request?.cameraId, request?.profile);
    if (typeof request.sourceUrl !== 'string') throw new TiergateError('VALIDATION_FAILED', 'sourceUrl is required');
    let session = this.sessions.get(keyOf(cameraId, profile));
    if (!session || session.state === 'idle') {
      if (this.load >= this.ports.capacity) throw new TiergateError('NO_WORKER_AVAILABLE', `worker ${this.workerId} is at capacity (${this.ports.capacity})`);
    }
    session ??= this.createSession(cameraId, profile);
    const ensured = session.ensure({
      sourceUrl: request.sourceUrl,
      transcode: request.transcode === true,
      sourceCodec: request.sourceCodec,
      probeSize: this.ports.probe?.probeSize,
      analyzeDurationUs: this.ports.probe?.analyzeDurationUs,
      ffmpeg: this.ports.ffmpeg,
      ...(this.ports.fragmentDurationMs ? { fmp4: { fragmentDurationMs: this.ports.fragmentDurationMs } } : {}),
    }, request.continueFrom, request.readyAt === 'fragment' ? 'fragment' : 'segment');
    const key = keyOf(cameraId, profile);
    const created = session;
    // a request rejected before anything was queued (bad URL) must not leave an idle session behind
    if (created.disposable && this.sessions.get(key) === created) this.sessions.delete(key);
    return ensured;
  }

  /** Records a viewer request; false when no running session exists for the key. */
  touch(cameraId: string, profile: string): boolean {
    const session = this.sessions.get(keyOf(cameraId, profile));
    if (!session || session.state === 'idle' || session.state === 'closing') return false;
    session.touch();
    return true;
  }

  /**
   * Keeps the stream's session (now or once ensured) from idling out while at least one reason holds it (a
   * continuous recording). Pinned sessions are ordinary sessions: heartbeats list them, viewers share them.
   */
  pin(cameraId: string, profile: string, reason: string): void {
    const key = keyOf(cameraId, profile);
    const reasons = this.pins.get(key) ?? new Set<string>();
    reasons.add(reason);
    this.pins.set(key, reasons);
    this.sessions.get(key)?.setPinned(true);
  }

  /** Drops one reason; with none left the session idles out after the usual timeout from now. */
  unpin(cameraId: string, profile: string, reason: string): void {
    const key = keyOf(cameraId, profile);
    const reasons = this.pins.get(key);
    if (!reasons?.delete(reason) || reasons.size > 0) return;
    this.pins.delete(key);
    this.sessions.get(key)?.setPinned(false);
  }

  /** Closes one session now (ffmpeg stopped, output removed); false when there was none. */
  async close(cameraId: string, profile: string): Promise<boolean> {
    const session = this.sessions.get(keyOf(cameraId, profile));
    if (!session || session.state === 'idle') return false;
    await session.close('closed');
    return true;
  }

  /** The playlist a live session serves (its timeline across ffmpeg restarts; hls-timeline.ts), from ffmpeg's on disk. */
  playlist(cameraId: string, profile: string, ffmpegPlaylist: string | undefined): string | undefined {
    const session = this.sessions.get(keyOf(cameraId, profile));
    return session && (session.state === 'ready' || session.state === 'starting') ? session.playlist(ffmpegPlaylist) : undefined;
  }

  /**
   * The low-latency fragment feed of a starting or ready session (MSE, LL-HLS read it); undefined when there is
   * no such session or the fMP4 output is off. A feed ends (listeners' end()) when its session closes.
   */
  feedOf(cameraId: string, profile: string): FragmentFeed | undefined {
    return this.sessions.get(keyOf(cameraId, profile))?.feed;
  }

  /** Output directory of a live session (for the HLS server), undefined when none. */
  outputDirOf(cameraId: string, profile: string): string | undefined {
    const session = this.sessions.get(keyOf(cameraId, profile));
    return session && (session.state === 'ready' || session.state === 'starting') ? session.outputDir : undefined;
  }

  /** Sessions that are not idle (an idle one is forgotten as soon as its mailbox drains). */
  sessionStates(): { cameraId: string; profile: string; state: SessionState; generation: number }[] {
    return [...this.sessions.values()].filter((s) => s.state !== 'idle').map((s) => ({ cameraId: s.cameraId, profile: s.profile, state: s.state, generation: s.currentGeneration }));
  }

  heartbeatMessage(): WorkerHeartbeatMessage {
    const offer = this.ports.storageOffer?.();
    const loopDelayMs = this.ports.loopDelayMs?.();
    return {
      workerId: this.workerId,
      baseUrl: this.ports.baseUrl,
      capacity: this.ports.capacity,
      load: this.load,
      sessions: this.sessionStates().map(({ cameraId, profile, state }) => ({ cameraId, profile, state })),
      ...(this.ports.ffmpegInUse ? { ffmpeg: this.ports.ffmpegInUse } : {}),
      ...(offer ? { recording: offer } : {}),
      ...(loopDelayMs !== undefined ? { loopDelayMs } : {}),
      at: new Date(this.ports.clock.now()).toISOString(),
    };
  }

  /** Publishes one heartbeat now and then every intervalMs until stopAll(). */
  startHeartbeat(intervalMs: number): void {
    let due = this.ports.clock.now();
    const beat = () => {
      if (this.stopping) return;
      const now = this.ports.clock.now();
      if (now - due > FROZEN_AFTER_MS) this.resumedAfterFreeze(now - due);
      this.safePublish(Topics.workerHeartbeat(this.workerId), this.heartbeatMessage(), { retain: true });
      due = now + intervalMs;
      this.heartbeatTimer = this.ports.clock.setTimeout(beat, intervalMs);
    };
    this.heartbeatTimer?.cancel();
    beat();
  }

  /** The process ran again after `frozenMs` without running: sessions nobody asks for soon are closed. */
  private resumedAfterFreeze(frozenMs: number): void {
    const sessions = [...this.sessions.values()].filter((s) => s.state === 'ready' || s.state === 'starting');
    this.ports.log?.('warn', `worker was frozen for ${(frozenMs / 1000).toFixed(1)} s: gateways have moved its sessions; those without a new request within ${FROZEN_GRACE_MS / 1000} s close`, { sessions: sessions.length });
    for (const s of sessions) s.suspectAbandoned(FROZEN_GRACE_MS, FROZEN_SETTLE_MS);
  }

  /** Closes every session (ffmpeg stopped and reaped, directories removed) and stops heartbeats. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    this.heartbeatTimer?.cancel();
    await Promise.all([...this.sessions.values()].map((s) => s.close('worker shutdown')));
    this.sessions.clear();
    this.ports.metrics?.activeSessions.set({ worker: this.workerId }, 0);
  }

  private createSession(cameraId: string, profile: string): StreamSession {
    const key = keyOf(cameraId, profile);
    const { metrics, events } = this.ports;
    const worker = this.workerId;
    const session: StreamSession = new StreamSession({
      cameraId,
      profile,
      outputDir: this.ports.output.dirFor(cameraId, profile),
      spawner: this.ports.spawner,
      output: this.ports.output,
      clock: this.ports.clock,
      config: this.ports.session,
      startGate: this.startGate,
      hooks: {
        onState: (state, reason) => {
          metrics?.activeSessions.set({ worker }, this.load);
          const wire = toWireState(state, reason);
          if (wire) this.publishState(cameraId, profile, wire, reason);
          if (state === 'ready') this.ports.onSessionReady?.(cameraId, profile);
        },
        onSpawn: () => metrics?.starts.inc({ worker }),
        onFirstSegment: (ms) => metrics?.timeToFirstSegment.observe({ worker }, ms / 1000),
        onFailure: (code, detail) => {
          metrics?.failures.inc({ worker, code });
          this.ports.log?.('warn', 'stream failure', { cameraId, profile, code, detail });
        },
        onFailing: (info) => {
          this.publishState(cameraId, profile, 'failed', `${info.code}: ${info.failures} failures in a row`);
          events?.streamFailing({ workerId: worker, cameraId, profile, ...info });
        },
        onFeedMalformed: (detail, generation) => this.ports.log?.('warn', 'ffmpeg stdout is not fragmented MP4: the low-latency feed waits for the next ffmpeg run', { cameraId, profile, generation, detail }),
        onClosed: () => {
          if (this.sessions.get(key) === session && session.disposable) this.sessions.delete(key);
        },
      },
    });
    if (this.pins.has(key)) session.setPinned(true);
    this.sessions.set(key, session);
    return session;
  }

  private publishState(cameraId: string, profile: string, state: StreamStateMessage['state'], reason?: string): void {
    const message: StreamStateMessage = { state, workerId: this.workerId, at: new Date(this.ports.clock.now()).toISOString(), ...(reason ? { reason } : {}) };
    this.safePublish(Topics.streamState(cameraId, profile), message, { retain: true });
  }

  private safePublish(topic: string, payload: unknown, options: { retain?: boolean }): void {
    try {
      void Promise.resolve(this.ports.publish(topic, payload, options)).catch((err: unknown) =>
        this.ports.log?.('warn', 'publish failed', { topic, error: String(err) }));
    } catch (err) {
      this.ports.log?.('warn', 'publish failed', { topic, error: String(err) });
    }
  }
}

const NORMAL_STOPS = new Set(['idle', 'worker shutdown', 'closed', 'ffmpeg exited with no viewers']);

function toWireState(state: SessionState, reason?: string): StreamStateMessage['state'] | undefined {
  switch (state) {
    case 'starting':
      return 'starting';
    case 'ready':
      return 'ready';
    case 'idle':
      return reason === undefined || NORMAL_STOPS.has(reason) ? 'stopped' : 'failed';
    case 'closing':
      return undefined;
  }
}

function validateKey(cameraId: unknown, profile: unknown): StreamKey {
  if (!isSafeId(cameraId)) throw new TiergateError('VALIDATION_FAILED', 'cameraId must match [A-Za-z0-9_-]{1,64}');
  if (!isStreamProfile(profile)) throw new TiergateError('VALIDATION_FAILED', 'profile must be "main" or "sub"');
  return { cameraId, profile };
}
