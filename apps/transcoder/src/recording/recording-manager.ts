import { streamKeyId, RecordingTopics, type RecordingPlanEntry, type RecordingPlanMessage, type RecordingState, type RecordingStateMessage, type RecordingStorageOffer, type StreamKey } from '@tiergate/contracts';
import type { FragmentFeed } from '@tiergate/media';
import type { Clock, TimerHandle } from '../clock';
import type { EnsureOptions, PublishFn } from '../transcoder.worker';
import { crashScan, type CrashScanReport } from './crash-scan';
import type { RecordingFs } from './recording-fs';
import { RecordingPruner, type PruneReport } from './recording-pruner';
import type { RecordingMetrics } from './recording.metrics';
import type { RecordingStorage } from './recording-storage';
import type { SegmentIndex } from './segment-index';
import { StreamRecorder, type RecorderEntry } from './stream-recorder';

/** How often the manager checks that every stream it must record has a running session (and retries one that failed). */
export const RECONCILE_MS = 5000;
/** A continuous stream whose session failed to start is tried again after this long. */
export const ENSURE_RETRY_MS = 10_000;
/** Each recorded stream's state is published at least this often (retained), with its bytes per second. */
export const STATE_EVERY_MS = 10_000;
/** The pin reason a continuous recording holds its session with. */
export const RECORDING_PIN = 'recording';

/** What the manager needs of the worker: its sessions, ensured and pinned locally. */
export interface RecordingSessions {
  readonly workerId: string;
  ensureOrThrow(request: EnsureOptions): Promise<unknown>;
  feedOf(cameraId: string, profile: string): FragmentFeed | undefined;
  pin(cameraId: string, profile: string, reason: string): void;
  unpin(cameraId: string, profile: string, reason: string): void;
}

/** The camera's source for a profile (its credentials in clear: only inside this process). */
export type SourceResolver = (key: StreamKey) => Promise<Pick<EnsureOptions, 'sourceUrl' | 'transcode'>>;

export interface RecordingManagerDeps {
  sessions: RecordingSessions;
  storages: readonly RecordingStorage[];
  fs: RecordingFs;
  index: SegmentIndex;
  sourceOf: SourceResolver;
  publish: PublishFn;
  clock: Clock;
  segmentSeconds: number;
  pruneIntervalMs: number;
  metrics?: RecordingMetrics;
  log?: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
}

interface Wanted {
  entry: RecordingPlanEntry;
  /** continuous and assigned here: the session is held open; else buffer: recorded while it runs for viewers. */
  hold: boolean;
}

/** Pure: the entries of a plan this worker records, by stream key (continuous ones assigned here, every buffer one). */
export function wantedOf(plan: RecordingPlanMessage, workerId: string): Map<string, Wanted> {
  const out = new Map<string, Wanted>();
  for (const entry of plan.entries) {
    if (entry.mode === 'continuous' && entry.workerId === workerId) out.set(streamKeyId(entry), { entry, hold: true });
    else if (entry.mode === 'buffer') out.set(streamKeyId(entry), { entry, hold: false });
  }
  return out;
}

/** Pure: a plan message as received (signed, so from a partitioner; still checked for shape). */
export function isPlanMessage(p: unknown): p is RecordingPlanMessage {
  const m = p as RecordingPlanMessage | null;
  return !!m && typeof m.version === 'number' && Number.isFinite(m.version) && Array.isArray(m.entries)
    && m.entries.every((e) => e && typeof e.cameraId === 'string' && (e.profile === 'main' || e.profile === 'sub') && (e.mode === 'continuous' || e.mode === 'buffer') && typeof e.retentionDays === 'number');
}

const entryOf = (e: RecordingPlanEntry): RecorderEntry => ({ mode: e.mode, retentionDays: e.retentionDays, ...(e.bufferMinutes !== undefined ? { bufferMinutes: e.bufferMinutes } : {}) });

/**
 * The worker's recording: acts on the plan (RecordingTopics.plan, signed and retained; an older version than
 * the newest seen is ignored). A continuous entry assigned here gets its session ensured locally and pinned (it
 * never idles out; viewers placed here share it: one pull); a buffer entry is recorded whenever this worker
 * holds a session of that stream for viewers. One StreamRecorder per recorded stream; one stops when its entry
 * leaves the plan. Also: the crash scan at start, pruning every pruneIntervalMs, the state of each stream
 * (RecordingTopics.state, retained) on changes and every STATE_EVERY_MS, and the heartbeat's storage offer.
 */
export class RecordingManager {
  private planVersion = -Infinity;
  private wanted = new Map<string, Wanted>();
  private readonly recorders = new Map<string, StreamRecorder>();
  private readonly ensuring = new Set<string>();
  private readonly retryAt = new Map<string, number>();
  private readonly timers = new Map<string, TimerHandle>();
  private stopped = false;
  private pruning: Promise<void> | undefined;

  constructor(private readonly deps: RecordingManagerDeps) {}

  get workerId(): string {
    return this.deps.sessions.workerId;
  }

  /** Streams with a recorder now, and their states. */
  states(): { key: StreamKey; state: RecordingState; rootId: string }[] {
    return [...this.recorders.values()].map((r) => ({ key: r.key, state: r.state, rootId: r.rootId }));
  }

  recorderOf(key: StreamKey): StreamRecorder | undefined {
    return this.recorders.get(streamKeyId(key));
  }

  /** Opens every root and makes its index agree with its disk; then the loops start. */
  async start(): Promise<CrashScanReport[]> {
    const reports: CrashScanReport[] = [];
    for (const storage of this.deps.storages) {
      await storage.open();
      const report = await crashScan(storage, this.deps.fs, this.deps.index, this.workerId, () => this.deps.clock.now());
      reports.push(report);
      if (report.tmpDeleted + report.rowsWithoutFile + report.filesIndexed + report.filesBroken > 0) this.deps.log?.('info', 'recording root made consistent after a restart', { ...report });
    }
    this.updateDiskMetrics();
    this.every('reconcile', RECONCILE_MS, () => this.reconcile());
    this.every('state', STATE_EVERY_MS, () => this.publishAll());
    this.every('prune', this.deps.pruneIntervalMs, () => void this.pruneAll());
    return reports;
  }

  /** A plan from the bus. */
  onPlan(payload: unknown): void {
    if (this.stopped || !isPlanMessage(payload)) return;
    if (payload.version < this.planVersion) {
      this.deps.log?.('info', 'recording plan ignored: older than the one in force', { version: payload.version, inForce: this.planVersion });
      return;
    }
    const wanted = wantedOf(payload, this.workerId);
    if (payload.version !== this.planVersion) this.deps.log?.('info', 'recording plan in force', { version: payload.version, streamsHere: wanted.size });
    this.planVersion = payload.version;
    const before = this.wanted;
    this.wanted = wanted;
    for (const [id, was] of before) {
      const now = wanted.get(id);
      if (was.hold && !now?.hold) this.deps.sessions.unpin(was.entry.cameraId, was.entry.profile, RECORDING_PIN);
      if (!now) void this.removeRecorder(id, 'not in the plan');
    }
    for (const [id, w] of wanted) {
      this.recorders.get(id)?.update(entryOf(w.entry));
      if (w.hold) this.deps.sessions.pin(w.entry.cameraId, w.entry.profile, RECORDING_PIN);
    }
    this.reconcile();
  }

  /** A session of this worker became ready (a viewer's or our own): record it if the plan says so. */
  onSessionReady(cameraId: string, profile: string): void {
    const id = streamKeyId({ cameraId, profile });
    const w = this.wanted.get(id);
    if (w) this.follow(id, w);
  }

  /** Every stream of the plan: a recorder following its session; continuous ones get their session ensured. */
  reconcile(): void {
    if (this.stopped) return;
    for (const [id, w] of this.wanted) this.follow(id, w);
    this.deps.metrics?.streams.set({ worker: this.workerId }, [...this.recorders.values()].filter((r) => r.state === 'recording').length);
  }

  /** The heartbeat's storage offer; undefined without roots. */
  storageOffer(): RecordingStorageOffer | undefined {
    if (this.deps.storages.length === 0) return undefined;
    return { roots: this.deps.storages.map((s) => ({ id: s.id, freeBytes: Math.max(0, s.freeBytes ?? 0), quotaBytes: s.root.quotaBytes, usedBytes: s.usedBytes })) };
  }

  /** Runs retention and quota pruning on every root now (the loop calls it every pruneIntervalMs). */
  pruneAll(): Promise<void> {
    return (this.pruning ??= (async () => {
      const pruner = new RecordingPruner(this.workerId, this.deps.index, () => this.deps.clock.now());
      for (const storage of this.deps.storages) {
        try {
          const report: PruneReport = await pruner.prune(storage);
          if (report.expired + report.overQuota > 0 || report.stillOverQuota) {
            this.deps.log?.(report.stillOverQuota ? 'warn' : 'info', report.stillOverQuota ? 'recording root over its quota: everything left is held' : 'recording segments pruned', { ...report });
          }
          this.deps.metrics?.pruned.inc({ worker: this.workerId, root: storage.id, why: 'expired' }, report.expired);
          this.deps.metrics?.pruned.inc({ worker: this.workerId, root: storage.id, why: 'quota' }, report.overQuota);
          await storage.measureFree().catch(() => undefined);
        } catch (err) {
          this.deps.log?.('warn', 'recording pruning failed', { rootId: storage.id, error: String(err) });
        }
      }
      this.updateDiskMetrics();
    })().finally(() => (this.pruning = undefined)));
  }

  /** Graceful stop: every recorder writes the segment it was building, then sessions are unpinned. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
    await Promise.all([...this.recorders.values()].map((r) => r.stop('worker shutdown')));
    for (const r of this.recorders.values()) this.publishState(r);
    await this.pruning;
    for (const w of this.wanted.values()) if (w.hold) this.deps.sessions.unpin(w.entry.cameraId, w.entry.profile, RECORDING_PIN);
    this.recorders.clear();
  }

  private follow(id: string, w: Wanted): void {
    const key: StreamKey = { cameraId: w.entry.cameraId, profile: w.entry.profile };
    const feed = this.deps.sessions.feedOf(key.cameraId, key.profile);
    if (feed) {
      this.recorderFor(id, w)?.attach(feed);
      return;
    }
    if (!w.hold || this.ensuring.has(id) || this.deps.clock.now() < (this.retryAt.get(id) ?? 0)) return;
    const recorder = this.recorderFor(id, w);
    if (!recorder) return;
    this.ensuring.add(id);
    void (async () => {
      try {
        const source = await this.deps.sourceOf(key);
        await this.deps.sessions.ensureOrThrow({ ...key, ...source });
        this.retryAt.delete(id);
        const feed = this.deps.sessions.feedOf(key.cameraId, key.profile);
        if (!this.stopped && this.wanted.has(id)) {
          if (feed) recorder.attach(feed);
          else recorder.failed('the session has no fragment feed (transcoder.fragmentDurationMs is 0)');
        }
      } catch (err) {
        this.retryAt.set(id, this.deps.clock.now() + ENSURE_RETRY_MS);
        recorder.failed(err instanceof Error ? err.message : String(err));
      } finally {
        this.ensuring.delete(id);
      }
    })();
  }

  private recorderFor(id: string, w: Wanted): StreamRecorder | undefined {
    const existing = this.recorders.get(id);
    if (existing) return existing;
    const storage = this.pickStorage();
    if (!storage) return undefined;
    const key: StreamKey = { cameraId: w.entry.cameraId, profile: w.entry.profile };
    const worker = this.workerId;
    const recorder = new StreamRecorder({
      key,
      workerId: worker,
      storage,
      index: this.deps.index,
      segmentSeconds: this.deps.segmentSeconds,
      entry: entryOf(w.entry),
      now: () => this.deps.clock.now(),
      events: {
        state: () => {
          this.publishState(recorder);
          this.updateDiskMetrics();
        },
        segment: (_k, bytes) => this.deps.metrics?.bytes.inc({ worker }, bytes),
        gap: (_k, reason) => this.deps.metrics?.gaps.inc({ worker, reason }),
        log: this.deps.log,
      },
    });
    this.recorders.set(id, recorder);
    return recorder;
  }

  /** The root with the most room (the lesser of free bytes and what its quota leaves). */
  private pickStorage(): RecordingStorage | undefined {
    let best: RecordingStorage | undefined;
    let bestRoom = -Infinity;
    for (const s of this.deps.storages) {
      const room = Math.min(s.freeBytes ?? 0, s.root.quotaBytes - s.usedBytes);
      if (room > bestRoom) [best, bestRoom] = [s, room];
    }
    return best;
  }

  private async removeRecorder(id: string, reason: string): Promise<void> {
    const recorder = this.recorders.get(id);
    if (!recorder) return;
    this.recorders.delete(id);
    this.retryAt.delete(id);
    await recorder.stop(reason);
    this.publishState(recorder);
  }

  private publishAll(): void {
    for (const r of this.recorders.values()) this.publishState(r);
    this.updateDiskMetrics();
  }

  private publishState(r: StreamRecorder): void {
    const now = this.deps.clock.now();
    const end = r.lastSegmentEnd;
    const message: RecordingStateMessage = {
      state: r.state,
      workerId: this.workerId,
      mode: r.mode,
      bytesPerSecond: r.bytesPerSecond(now),
      ...(end !== undefined ? { lastSegmentEnd: new Date(end).toISOString() } : {}),
      ...(r.stateReason ? { reason: r.stateReason } : {}),
      at: new Date(now).toISOString(),
    };
    try {
      void Promise.resolve(this.deps.publish(RecordingTopics.state(r.key.cameraId, r.key.profile), message, { retain: true })).catch(() => undefined);
    } catch {
      // the broker's absence does not stop recording
    }
  }

  private updateDiskMetrics(): void {
    for (const s of this.deps.storages) {
      this.deps.metrics?.diskFree.set({ worker: this.workerId, root: s.id }, s.freeBytes ?? 0);
      this.deps.metrics?.diskFull.set({ worker: this.workerId, root: s.id }, s.diskFull ? 1 : 0);
    }
  }

  private every(name: string, ms: number, fn: () => void): void {
    const tick = () => {
      if (this.stopped) return;
      try {
        fn();
      } finally {
        if (!this.stopped) this.timers.set(name, this.deps.clock.setTimeout(tick, ms));
      }
    };
    this.timers.set(name, this.deps.clock.setTimeout(tick, ms));
  }
}
