import type { StreamReadiness } from '@tiergate/contracts';
import { TiergateError, type ErrorCode } from '@tiergate/domain';
import { buildHlsArgs, classifyFfmpegFailure, decisiveLine, type FfmpegChild, type FfmpegExit, type FfmpegSpawner, type HlsArgsOptions } from '@tiergate/media';
import type { Clock, TimerHandle } from './clock';
import { FragmentHub } from './fragment-hub';
import type { StartGate, StartTicket } from './start-gate';
import { HlsTimeline, laterPosition, type TimelinePosition } from './hls-timeline';

/**
 * One on-demand RTSP -> HLS stream for one (camera, profile), after MediaMTX's path actor:
 *
 *   idle --ensure--> starting --first segment--> ready --idle timeout--> closing --> idle
 *                    starting --first keyframe fragment of this spawn--> (answers ensures that asked for `fragment`)
 *                    starting --start failure/timeout (never ready yet)--> closing
 *                    ready --ffmpeg died, viewers remain--> starting (restart with backoff)
 *
 * Every change of state runs through one FIFO mailbox, one event at a time, so an ensure, an exit and an
 * idle timer can never interleave half-way. Each spawn gets a generation number; exits, polls and restart
 * timers of an older generation are ignored. touch() only records the time of the last request.
 */
export type SessionState = 'idle' | 'starting' | 'ready' | 'closing';

const TRANSITIONS: { readonly [S in SessionState]: readonly SessionState[] } = {
  idle: ['starting'],
  starting: ['ready', 'closing'],
  ready: ['starting', 'closing'],
  closing: ['idle'],
};

export interface SessionConfig {
  /** How long an ensure() waits for the first segment. Default 10 000 ms. */
  startTimeoutMs: number;
  /** Close this long after the last ensure()/touch(). Default 30 000 ms. */
  idleTimeoutMs: number;
  /** Playlist poll interval while starting. Default 100 ms. */
  pollMs: number;
  restartBaseMs: number;
  restartMaxMs: number;
  /** Report through onFailing once this many restarts in a row failed to produce a segment. Default 3. */
  reportFailuresAfter: number;
  /** SIGTERM -> SIGKILL grace when stopping ffmpeg. Default 3000 ms. */
  stopGraceMs: number;
}

export const DEFAULT_SESSION_CONFIG: SessionConfig = {
  startTimeoutMs: 10_000,
  idleTimeoutMs: 30_000,
  pollMs: 100,
  restartBaseMs: 500,
  restartMaxMs: 10_000,
  reportFailuresAfter: 3,
  stopGraceMs: 3000,
};

/** Segments in the sliding playlist when the source does not say (ffmpeg's builder default). */
const DEFAULT_LIST_SIZE = 6;

/** Pure backoff: base * 2^(n-1), capped. n = consecutive failure count (1 for the first). */
export function restartDelay(failures: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, failures - 1));
}

/** File-system port for the session's output directory. */
export interface HlsOutputPort {
  /** Empties (or creates) the directory, except the files named in keep (a restart keeps the last run's segments). */
  prepare(dir: string, keep?: readonly string[]): Promise<void>;
  remove(dir: string): Promise<void>;
  /** ffmpeg's playlist as it is on disk now; undefined when there is none. */
  readPlaylist(dir: string): Promise<string | undefined>;
  /** Deletes these files of the directory (plain names); missing ones are fine. */
  removeFiles(dir: string, names: readonly string[]): Promise<void>;
  /** True once the playlist lists at least one complete segment. */
  hasFirstSegment(dir: string): Promise<boolean>;
}

export interface SessionHooks {
  onState?(state: SessionState, reason?: string): void;
  /** A spawn reached its first segment; ms since that spawn. */
  onFirstSegment?(ms: number, generation: number): void;
  onSpawn?(generation: number): void;
  /** A start or restart failed. */
  onFailure?(code: ErrorCode, detail: string): void;
  /** Restarts keep failing while viewers wait. */
  onFailing?(info: { failures: number; code: ErrorCode; detail: string }): void;
  /** Closed and back to idle (the owner may drop the session). */
  onClosed?(): void;
  /** An ffmpeg run's stdout was not fragmented MP4 (reported once per run; the low-latency feed waits for the next run). */
  onFeedMalformed?(detail: string, generation: number): void;
}

export type SessionSource = Omit<HlsArgsOptions, 'outputDir'>;

export interface StreamSessionDeps {
  cameraId: string;
  profile: string;
  outputDir: string;
  spawner: FfmpegSpawner;
  output: HlsOutputPort;
  clock: Clock;
  config?: Partial<SessionConfig>;
  hooks?: SessionHooks;
  /** The worker's limit of starts at once (start-gate.ts); absent: a first start spawns at once. */
  startGate?: StartGate;
}

interface Waiter {
  /** What the caller waits for: the first segment, or (with the fMP4 output) the feed's first keyframe fragment. */
  readyAt: StreamReadiness;
  resolve(reached: StreamReadiness): void;
  reject(err: TiergateError): void;
  timer: TimerHandle;
  settled: boolean;
}

type SessionEvent =
  | { type: 'ensure'; waiter: Waiter; continueFrom?: TimelinePosition }
  | { type: 'waiter-timeout'; waiter: Waiter }
  | { type: 'poll'; generation: number }
  | { type: 'feed-keyframe'; generation: number }
  | { type: 'exit'; generation: number; exit: FfmpegExit }
  | { type: 'restart'; generation: number }
  | { type: 'admitted'; generation: number }
  | { type: 'idle-check' }
  | { type: 'close'; reason: string; done: () => void };

export class StreamSession {
  readonly cameraId: string;
  readonly profile: string;
  readonly outputDir: string;
  private readonly config: SessionConfig;
  private stateValue: SessionState = 'idle';
  private generation = 0;
  private child: FfmpegChild | undefined;
  /** This session's place (or request for one) among the worker's starts at once, while it first starts. */
  private startTicket: StartTicket | undefined;
  /** The low-latency feed of this run (idle to idle) when the source asks for the fMP4 output. */
  private hub: FragmentHub | undefined;
  /** Media sequence and discontinuities across this run's ffmpeg restarts; undefined while idle. */
  private timeline: HlsTimeline | undefined;
  /** Where this run continues a timeline served by another worker (failover); the latest asked for. */
  private continueFrom: TimelinePosition | undefined;
  private spawnedAt = 0;
  /** The spawn generation whose fMP4 feed has delivered a keyframe fragment (MSE viewers can start). */
  private keyframeGeneration: number | undefined;
  private source: SessionSource | undefined;
  private lastAccess = 0;
  /** Held open without viewers (a continuous recording): idle checks and ffmpeg exits do not close it. */
  private pinned = false;
  /** Set after the worker was frozen: unless a request comes after this time, nobody watches here any more. */
  private abandonedUnlessTouchedAfter: number | undefined;
  /** True once this run (idle -> ... -> idle) has been ready: failures then lead to restarts, not closing. */
  private everReady = false;
  private failures = 0;
  private waiters = new Set<Waiter>();
  private pollTimer: TimerHandle | undefined;
  private idleTimer: TimerHandle | undefined;
  private restartTimer: TimerHandle | undefined;
  private readonly mailbox: SessionEvent[] = [];
  private draining = false;

  constructor(private readonly deps: StreamSessionDeps) {
    this.cameraId = deps.cameraId;
    this.profile = deps.profile;
    this.outputDir = deps.outputDir;
    this.config = { ...DEFAULT_SESSION_CONFIG, ...deps.config };
  }

  get state(): SessionState {
    return this.stateValue;
  }

  get currentGeneration(): number {
    return this.generation;
  }

  /** The low-latency fragment feed while starting or ready (undefined when idle, closing, or without the fMP4 output). */
  get feed(): FragmentHub | undefined {
    return this.stateValue === 'starting' || this.stateValue === 'ready' ? this.hub : undefined;
  }

  /** True when nothing is queued and the session is idle: the owner may forget it. */
  get disposable(): boolean {
    return this.stateValue === 'idle' && this.mailbox.length === 0 && !this.draining;
  }

  /**
   * Starts the stream if needed and resolves once the playlist has a segment, or with `readyAt: 'fragment'` (and
   * the fMP4 output) once this spawn's feed has its init and a keyframe fragment, whichever the session has
   * first of what was asked; resolves with what it had ('segment' satisfies both). Rejects with
   * STREAM_START_TIMEOUT, CAMERA_UNREACHABLE, CAMERA_UNAUTHORIZED, CAMERA_PROTOCOL_ERROR or UNSUPPORTED_URL.
   * continueFrom: the last segment served of this stream by another worker; the timeline goes on after it
   * (hls-timeline.ts) unless this session already served a segment.
   */
  ensure(source: SessionSource, continueFrom?: TimelinePosition, readyAt: StreamReadiness = 'segment'): Promise<StreamReadiness> {
    try {
      buildHlsArgs({ ...source, outputDir: this.outputDir }); // validate now: bad input fails before any state change
    } catch (err) {
      return Promise.reject(err);
    }
    this.source = source;
    this.touch();
    // without the fMP4 output there is no feed to wait for: the first segment it is
    const wanted: StreamReadiness = source.fmp4 ? readyAt : 'segment';
    return new Promise<StreamReadiness>((resolve, reject) => {
      const waiter: Waiter = { readyAt: wanted, resolve, reject, settled: false, timer: { cancel: () => undefined } };
      waiter.timer = this.deps.clock.setTimeout(() => this.enqueue({ type: 'waiter-timeout', waiter }), this.config.startTimeoutMs);
      this.enqueue({ type: 'ensure', waiter, continueFrom });
    });
  }

  /**
   * The worker was frozen (stopped, stuck) long enough for the gateways to move this session elsewhere: close
   * it `graceMs` from now unless a viewer request comes in meanwhile, more than `settleMs` from now, instead of
   * after the whole idle timeout (its ffmpeg would keep pulling the camera next to the new worker's).
   */
  suspectAbandoned(graceMs: number, settleMs = 0): void {
    if (this.stateValue !== 'ready' && this.stateValue !== 'starting') return;
    // requests that waited in the socket buffers through the freeze come in first: they do not count
    this.abandonedUnlessTouchedAfter = this.deps.clock.now() + settleMs;
    this.idleTimer?.cancel();
    this.idleTimer = this.deps.clock.setTimeout(() => {
      this.idleTimer = undefined;
      this.enqueue({ type: 'idle-check' });
    }, graceMs);
  }

  /**
   * Holds the session open while nobody watches (true), or lets it idle out again from now (false): a pinned
   * session is never closed by the idle timer, a freeze or an ffmpeg exit (it restarts with backoff).
   */
  setPinned(pinned: boolean): void {
    if (this.pinned === pinned) return;
    this.pinned = pinned;
    if (!pinned) {
      this.touch();
      if (this.idleTimer) this.scheduleIdleCheck();
    }
  }

  get isPinned(): boolean {
    return this.pinned;
  }

  /** Records a viewer request (playlist or segment); keeps the session from idling out. */
  touch(): void {
    this.lastAccess = this.deps.clock.now();
  }

  /**
   * The playlist to serve, given ffmpeg's as read from disk (undefined when missing): one continuous timeline
   * over every restart of this run. Undefined when there is nothing to list. Also deletes kept segments of
   * earlier runs whose time is up.
   */
  playlist(ffmpegPlaylist: string | undefined): string | undefined {
    const timeline = this.timeline;
    if (!timeline) return undefined;
    const now = this.deps.clock.now();
    const text = timeline.render(ffmpegPlaylist, now);
    const expired = timeline.takeExpired(now);
    if (expired.length > 0) void this.deps.output.removeFiles(this.outputDir, expired).catch(() => undefined);
    return text;
  }

  /** Stops ffmpeg, removes the output and returns to idle; pending ensures fail. */
  close(reason = 'closed'): Promise<void> {
    return new Promise<void>((done) => this.enqueue({ type: 'close', reason, done }));
  }

  // --- mailbox -------------------------------------------------------------------------------------------

  private enqueue(event: SessionEvent): void {
    this.mailbox.push(event);
    if (!this.draining) void this.drain();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      for (let event = this.mailbox.shift(); event; event = this.mailbox.shift()) {
        try {
          await this.handle(event);
        } catch (err) {
          // A handler must never wedge the mailbox; fail whoever waits and go back to a clean state.
          const error = err instanceof TiergateError ? err : new TiergateError('INTERNAL', 'stream session failed', undefined, { cause: err });
          this.rejectAll(error);
          if (this.stateValue !== 'idle' && this.stateValue !== 'closing') await this.shutdown('internal error');
        }
      }
    } finally {
      this.draining = false;
    }
    if (this.disposable) this.deps.hooks?.onClosed?.();
  }

  private async handle(event: SessionEvent): Promise<void> {
    switch (event.type) {
      case 'ensure':
        return this.onEnsure(event.waiter, event.continueFrom);
      case 'waiter-timeout':
        return this.onWaiterTimeout(event.waiter);
      case 'poll':
        return this.onPoll(event.generation);
      case 'feed-keyframe':
        return this.onFeedKeyframe(event.generation);
      case 'exit':
        return this.onExit(event.generation, event.exit);
      case 'restart':
        if (event.generation === this.generation && this.stateValue === 'starting') await this.spawn();
        return;
      case 'admitted':
        if (event.generation === this.generation && this.stateValue === 'starting' && !this.child) await this.spawn();
        else this.releaseStart();
        return;
      case 'idle-check':
        return this.onIdleCheck();
      case 'close':
        if (this.stateValue !== 'idle') await this.shutdown(event.reason);
        event.done();
        return;
    }
  }

  // --- handlers ------------------------------------------------------------------------------------------

  private async onEnsure(waiter: Waiter, continueFrom?: TimelinePosition): Promise<void> {
    if (continueFrom && this.stateValue !== 'closing') {
      if (this.stateValue === 'idle') this.continueFrom = laterPosition(this.continueFrom, continueFrom);
      else this.timeline?.continueFrom(continueFrom); // taken only while nothing was served yet
    }
    if (waiter.settled) return;
    if (this.stateValue === 'ready') return this.settle(waiter, 'segment');
    if (this.stateValue === 'starting' && waiter.readyAt === 'fragment' && this.keyframeGeneration === this.generation) return this.settle(waiter, 'fragment');
    this.waiters.add(waiter);
    if (this.stateValue === 'idle') {
      this.everReady = false;
      this.failures = 0;
      this.setState('starting');
      await this.admitThenSpawn();
    }
  }

  private async onWaiterTimeout(waiter: Waiter): Promise<void> {
    if (waiter.settled) return;
    // Still at the start gate: Tiergate's capacity, not the camera (CONTRACT: never reported as the camera's fault).
    const queued = this.startTicket && !this.child && this.deps.startGate;
    const detail = queued ? `still waiting for one of the worker's ${queued.limit} starts at once (${queued.counts.waiting} streams waiting)` : (this.child?.stderrTail() ?? '');
    const error = queued
      ? new TiergateError('SERVICE_UNAVAILABLE', `the worker is busy: stream ${this.cameraId}/${this.profile} was ${detail} for ${this.config.startTimeoutMs} ms; retry`, { busy: true })
      : new TiergateError('STREAM_START_TIMEOUT', `stream ${this.cameraId}/${this.profile} did not start within ${this.config.startTimeoutMs} ms`, detail ? { stderr: detail } : undefined);
    if (this.stateValue === 'starting' && !this.everReady && this.keyframeGeneration === this.generation) {
      // The camera plays (this run's feed has its keyframe; `fragment` viewers may be watching it) and only the
      // first segment is late: the worker is slow, not the camera. This waiter is told to retry; the run goes on
      // (thrown away, its retry would pay the whole start again: under load, a collapse of restarts).
      this.waiters.delete(waiter);
      this.fail(waiter, new TiergateError('SERVICE_UNAVAILABLE', `the worker is busy: stream ${this.cameraId}/${this.profile} plays but its first segment was not written within ${this.config.startTimeoutMs} ms; retry`, { busy: true }));
      return;
    }
    if (this.stateValue === 'starting' && !this.everReady) {
      // The first start failed to produce anything in time: give up on this run entirely.
      this.deps.hooks?.onFailure?.(error.code, detail);
      this.rejectAll(error);
      await this.shutdown('start timeout');
      return;
    }
    this.waiters.delete(waiter);
    this.fail(waiter, error);
  }

  /** This spawn's feed has a keyframe fragment: viewers of the feed can start, so `fragment` waiters are answered. */
  private onFeedKeyframe(generation: number): void {
    if (generation !== this.generation || this.stateValue !== 'starting') return;
    this.keyframeGeneration = generation;
    this.releaseStart(); // the camera answered and ffmpeg is past its probing: the costly part of a start is over
    for (const w of [...this.waiters]) {
      if (w.readyAt !== 'fragment') continue;
      this.waiters.delete(w);
      this.settle(w, 'fragment');
    }
  }

  private async onPoll(generation: number): Promise<void> {
    if (generation !== this.generation || this.stateValue !== 'starting') return;
    if (await this.deps.output.hasFirstSegment(this.outputDir)) {
      if (generation !== this.generation || this.stateValue !== 'starting') return;
      this.deps.hooks?.onFirstSegment?.(this.deps.clock.now() - this.spawnedAt, generation);
      this.failures = 0;
      this.everReady = true;
      this.setState('ready');
      for (const w of [...this.waiters]) this.settle(w, 'segment');
      this.waiters.clear();
      this.scheduleIdleCheck();
      return;
    }
    this.pollTimer = this.deps.clock.setTimeout(() => this.enqueue({ type: 'poll', generation }), this.config.pollMs);
  }

  private async onExit(generation: number, exit: FfmpegExit): Promise<void> {
    if (generation !== this.generation || exit.stoppedByUs) return; // stale or asked for
    this.child = undefined;
    this.pollTimer?.cancel();
    const code = classifyFfmpegFailure(exit.stderrTail);
    const detail = `ffmpeg exited (code ${exit.code ?? 'none'}, signal ${exit.signal ?? 'none'})${exit.stderrTail ? `: ${decisiveLine(exit.stderrTail)}` : ''}`;
    this.deps.hooks?.onFailure?.(code, detail);
    if (this.stateValue === 'starting' && !this.everReady) {
      this.rejectAll(new TiergateError(code, `stream ${this.cameraId}/${this.profile} failed to start`, { stderr: exit.stderrTail }));
      await this.shutdown(code);
      return;
    }
    if (!this.viewersRemain()) {
      await this.shutdown('ffmpeg exited with no viewers');
      return;
    }
    this.failures += 1;
    if (this.failures >= this.config.reportFailuresAfter) this.deps.hooks?.onFailing?.({ failures: this.failures, code, detail });
    if (this.stateValue === 'ready') this.setState('starting', 'restarting');
    this.generation += 1; // invalidates anything still pending for the dead spawn
    const gen = this.generation;
    this.restartTimer = this.deps.clock.setTimeout(
      () => this.enqueue({ type: 'restart', generation: gen }),
      restartDelay(this.failures, this.config.restartBaseMs, this.config.restartMaxMs),
    );
  }

  private async onIdleCheck(): Promise<void> {
    if (this.stateValue !== 'ready' && this.stateValue !== 'starting') return;
    if (this.viewersRemain()) return this.scheduleIdleCheck();
    if (this.stateValue === 'starting' && this.waiters.size > 0) return this.scheduleIdleCheck();
    await this.shutdown('idle');
  }

  // --- effects -------------------------------------------------------------------------------------------

  /** A first start: spawns once the worker's start gate lets it (at once without a gate). */
  private async admitThenSpawn(): Promise<void> {
    const gate = this.deps.startGate;
    if (!gate) return this.spawn();
    this.releaseStart();
    const generation = this.generation;
    this.startTicket = gate.request(() => this.enqueue({ type: 'admitted', generation }));
  }

  /** Gives this session's place among the worker's starts back (or withdraws its request). */
  private releaseStart(): void {
    this.startTicket?.release();
    this.startTicket = undefined;
  }

  private async spawn(): Promise<void> {
    if (!this.source) throw new TiergateError('INTERNAL', 'no source to spawn');
    const previous = this.child;
    this.child = undefined;
    if (previous) await previous.stop(this.config.stopGraceMs);
    // A restart continues the numbering after the last run's last segment and keeps that run's segments listed
    // (and on disk) until the new run's push them out; a fresh start numbers from the clock (hls-timeline.ts).
    const timeline = (this.timeline ??= new HlsTimeline({ listSize: this.source.listSize ?? DEFAULT_LIST_SIZE }));
    const lastPlaylist = timeline.started ? await this.deps.output.readPlaylist(this.outputDir) : undefined;
    const startNumber = timeline.beginRun(this.deps.clock.now(), lastPlaylist, timeline.started ? undefined : this.continueFrom);
    await this.deps.output.prepare(this.outputDir, timeline.keptFiles());
    this.generation += 1;
    const generation = this.generation;
    const args = buildHlsArgs({ ...this.source, outputDir: this.outputDir, startNumber });
    this.spawnedAt = this.deps.clock.now();
    const child = this.deps.spawner.spawn(args);
    this.child = child;
    this.deps.hooks?.onSpawn?.(generation);
    if (this.source.fmp4) {
      if (!this.hub) {
        this.hub = new FragmentHub({ onMalformed: (detail, gen) => this.deps.hooks?.onFeedMalformed?.(detail, gen) });
        this.watchFeed(this.hub);
      }
      this.hub.attach(generation, child.stdout);
    }
    void child.exited.then((exit) => this.enqueue({ type: 'exit', generation, exit }));
    this.pollTimer = this.deps.clock.setTimeout(() => this.enqueue({ type: 'poll', generation }), this.config.pollMs);
    if (!this.idleTimer) this.scheduleIdleCheck();
  }

  /** Tells the mailbox of the first keyframe fragment of each spawn while it starts (not of every keyframe). */
  private watchFeed(hub: FragmentHub): void {
    hub.subscribe({
      init: () => undefined,
      fragment: (f) => {
        if (f.keyframe && f.generation === this.generation && this.stateValue === 'starting' && this.keyframeGeneration !== f.generation) {
          this.enqueue({ type: 'feed-keyframe', generation: f.generation });
        }
      },
    });
  }

  private async shutdown(reason: string): Promise<void> {
    this.setState('closing', reason);
    this.generation += 1;
    for (const t of [this.pollTimer, this.idleTimer, this.restartTimer]) t?.cancel();
    this.pollTimer = this.idleTimer = this.restartTimer = undefined;
    this.rejectAll(new TiergateError('SERVICE_UNAVAILABLE', `stream ${this.cameraId}/${this.profile} closed: ${reason}`));
    const child = this.child;
    this.child = undefined;
    const hub = this.hub;
    this.hub = undefined;
    hub?.end(reason); // viewers of the feed learn at once, before ffmpeg is even reaped
    try {
      if (child) await child.stop(this.config.stopGraceMs);
    } finally {
      this.timeline = undefined;
      this.continueFrom = undefined;
      this.keyframeGeneration = undefined;
      this.abandonedUnlessTouchedAfter = undefined;
      await this.deps.output.remove(this.outputDir).catch(() => undefined);
      this.setState('idle', reason);
    }
  }

  private scheduleIdleCheck(): void {
    this.idleTimer?.cancel();
    // a pinned session has no viewer to time out: look again a whole idle timeout later, not every poll
    const due = this.pinned ? this.config.idleTimeoutMs : Math.max(this.config.pollMs, this.lastAccess + this.config.idleTimeoutMs - this.deps.clock.now());
    this.idleTimer = this.deps.clock.setTimeout(() => {
      this.idleTimer = undefined;
      this.enqueue({ type: 'idle-check' });
    }, due);
  }

  private viewersRemain(): boolean {
    if (this.pinned) return true;
    if (this.abandonedUnlessTouchedAfter !== undefined && this.lastAccess <= this.abandonedUnlessTouchedAfter) return false;
    return this.deps.clock.now() - this.lastAccess < this.config.idleTimeoutMs;
  }

  private setState(next: SessionState, reason?: string): void {
    if (next === this.stateValue) return;
    if (!TRANSITIONS[this.stateValue].includes(next)) {
      throw new TiergateError('INTERNAL', `illegal stream transition ${this.stateValue} -> ${next}`);
    }
    if (this.stateValue === 'starting') this.releaseStart();
    this.stateValue = next;
    this.deps.hooks?.onState?.(next, reason);
  }

  private settle(waiter: Waiter, reached: StreamReadiness): void {
    if (waiter.settled) return;
    waiter.settled = true;
    waiter.timer.cancel();
    waiter.resolve(reached);
  }

  private fail(waiter: Waiter, error: TiergateError): void {
    if (waiter.settled) return;
    waiter.settled = true;
    waiter.timer.cancel();
    waiter.reject(error);
  }

  private rejectAll(error: TiergateError): void {
    for (const w of this.waiters) this.fail(w, error);
    this.waiters.clear();
  }
}
