import type { RecordingMode, RecordingState, StreamKey } from '@tiergate/contracts';
import type { FragmentFeed } from '@tiergate/media';
import { DiskFullError, type RecordingStorage } from './recording-storage';
import type { SegmentIndex } from './segment-index';
import { Segmenter, type SegmentDraft } from './segmenter';

/** Two indexed segments further apart than this leave a gap (the timeline's GAP_TOLERANCE_MS, docs/recording.md). */
export const GAP_TOLERANCE_MS = 1500;
/** Segments waiting for the disk beyond this are dropped (a gap) rather than held in memory. */
export const MAX_QUEUED_SEGMENTS = 4;
const RATE_WINDOW_MS = 60_000;

/** What a recorder keeps of its entry in the plan. */
export interface RecorderEntry {
  mode: RecordingMode;
  retentionDays: number;
  bufferMinutes?: number;
}

/** keepUntil of a segment ending at endAt (docs/recording.md): + retentionDays, or + bufferMinutes for a buffer stream. */
export function keepUntilOf(entry: RecorderEntry, endAt: number): number {
  if (entry.mode === 'buffer') return endAt + (entry.bufferMinutes ?? 5) * 60_000;
  return endAt + entry.retentionDays * 86_400_000;
}

export interface RecorderEvents {
  /** The recorder's state changed (recording, stopped, failed, disk-full). */
  state?(key: StreamKey, state: RecordingState, reason?: string): void;
  segment?(key: StreamKey, bytes: number, rootId: string): void;
  /** A segment was lost (disk full, a write or index failure, a backlog) or the camera left a gap. */
  gap?(key: StreamKey, why: string): void;
  log?(level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>): void;
}

export interface StreamRecorderDeps {
  key: StreamKey;
  workerId: string;
  storage: RecordingStorage;
  index: SegmentIndex;
  segmentSeconds: number;
  entry: RecorderEntry;
  now: () => number;
  events?: RecorderEvents;
}

/**
 * Records one (camera, profile): reads the session's fragment feed through a Segmenter and writes each segment
 * (storage: `.tmp`, fsync, rename), then indexes it. Writes run one at a time in arrival order; a backlog past
 * MAX_QUEUED_SEGMENTS is dropped. A full disk drops segments (state disk-full) until the storage says it is
 * writable again (checked at most every 10 s). attach() follows the session across runs; stop() writes the
 * segment being built (it starts with a keyframe) and waits for the disk.
 */
export class StreamRecorder {
  readonly key: StreamKey;
  private entry: RecorderEntry;
  private segmenter: Segmenter;
  private feed: FragmentFeed | undefined;
  private unsubscribe: (() => void) | undefined;
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;
  private stateValue: RecordingState = 'stopped';
  private reason: string | undefined;
  private lastEnd: number | undefined;
  private readonly written: { at: number; bytes: number }[] = [];
  /** Start of the first segment written (the rate's window starts there when younger than a minute). */
  private firstWriteAt: number | undefined;
  private stopped = false;

  constructor(private readonly deps: StreamRecorderDeps) {
    this.key = deps.key;
    this.entry = deps.entry;
    this.segmenter = new Segmenter({ segmentSeconds: deps.segmentSeconds });
  }

  get state(): RecordingState {
    return this.stateValue;
  }

  get stateReason(): string | undefined {
    return this.reason;
  }

  get mode(): RecordingMode {
    return this.entry.mode;
  }

  get rootId(): string {
    return this.deps.storage.id;
  }

  /** End of the newest segment indexed (ms), if any. */
  get lastSegmentEnd(): number | undefined {
    return this.lastEnd;
  }

  /** True while a feed is attached. */
  get attached(): boolean {
    return this.feed !== undefined;
  }

  /** Bytes written per second over the last minute. */
  bytesPerSecond(now = this.deps.now()): number {
    this.trimRate(now);
    const bytes = this.written.reduce((n, w) => n + w.bytes, 0);
    // over the last minute, or since the first segment when it has recorded for less
    const windowMs = Math.min(RATE_WINDOW_MS, now - (this.firstWriteAt ?? now));
    return windowMs > 0 ? Math.round(bytes / (windowMs / 1000)) : 0;
  }

  /** A newer plan changed retention or mode: later segments get the new keepUntil. */
  update(entry: RecorderEntry): void {
    this.entry = entry;
  }

  /** Records this feed (the session's current run); a different feed first closes the previous one's segment. */
  attach(feed: FragmentFeed): void {
    if (this.stopped || this.feed === feed) return;
    this.detach();
    this.feed = feed;
    this.setState('recording');
    this.unsubscribe = feed.subscribe({
      init: (init) => this.enqueueAll(this.segmenter.pushInit(init)),
      fragment: (fragment) => this.enqueueAll(this.segmenter.pushFragment(fragment)),
      end: (reason) => {
        if (this.feed !== feed) return;
        this.feed = undefined;
        this.unsubscribe = undefined;
        this.enqueueAll(this.segmenter.end());
        this.setState('stopped', reason);
      },
    });
  }

  /** Stops recording the current feed (if any): its segment being built is written. */
  detach(reason = 'detached'): void {
    if (!this.feed) return;
    this.unsubscribe?.();
    this.feed = undefined;
    this.unsubscribe = undefined;
    this.enqueueAll(this.segmenter.end());
    this.setState('stopped', reason);
  }

  /** Marks the stream failed (its session could not start); the manager retries. */
  failed(reason: string): void {
    if (!this.feed) this.setState('failed', reason);
  }

  /** Detaches, writes what was being built and waits for every queued write. */
  async stop(reason = 'stopped'): Promise<void> {
    this.detach(reason);
    this.stopped = true;
    await this.queue;
  }

  /** Resolves when every segment queued so far is written (tests). */
  flushed(): Promise<void> {
    return this.queue;
  }

  private enqueueAll(drafts: SegmentDraft[]): void {
    for (const draft of drafts) {
      if (this.queued >= MAX_QUEUED_SEGMENTS) {
        this.deps.events?.gap?.(this.key, 'backlog');
        this.deps.events?.log?.('warn', 'recording backlog: a segment was dropped', { ...this.key, startAt: new Date(draft.startAt).toISOString() });
        continue;
      }
      this.queued += 1;
      this.queue = this.queue.then(() => this.write(draft)).finally(() => void (this.queued -= 1));
    }
  }

  private async write(draft: SegmentDraft): Promise<void> {
    const { storage, index, key } = { ...this.deps, key: this.key };
    try {
      if (!(await storage.writable())) {
        this.setState('disk-full', storage.diskFullReason);
        this.deps.events?.gap?.(key, 'disk-full');
        return;
      }
      const init = await storage.writeInit(key, draft.init.data);
      const file = await storage.writeSegment(key, draft.startAt, init.hash, draft.fragments.map((f) => f.data));
      const endAt = draft.startAt + draft.durationMs;
      await index.insertSegment({
        cameraId: key.cameraId,
        profile: key.profile,
        workerId: this.deps.workerId,
        rootId: storage.id,
        path: file.path,
        initPath: init.path,
        startAt: new Date(draft.startAt),
        endAt: new Date(endAt),
        bytes: file.bytes,
        keepUntil: new Date(keepUntilOf(this.entry, endAt)),
      });
      if (this.lastEnd !== undefined && draft.startAt - this.lastEnd > GAP_TOLERANCE_MS) this.deps.events?.gap?.(key, 'source');
      this.lastEnd = endAt;
      this.firstWriteAt ??= draft.startAt;
      this.written.push({ at: this.deps.now(), bytes: file.bytes });
      this.deps.events?.segment?.(key, file.bytes, storage.id);
      if (this.stateValue === 'disk-full' || this.stateValue === 'failed') this.setState(this.feed ? 'recording' : 'stopped');
    } catch (err) {
      this.deps.events?.gap?.(key, err instanceof DiskFullError ? 'disk-full' : 'write');
      if (err instanceof DiskFullError) this.setState('disk-full', err.message);
      else this.deps.events?.log?.('warn', 'recording a segment failed', { ...key, error: String(err) });
    }
  }

  private trimRate(now: number): void {
    while (this.written.length > 0 && now - this.written[0]!.at > RATE_WINDOW_MS) this.written.shift();
  }

  private setState(state: RecordingState, reason?: string): void {
    if (state === this.stateValue && reason === this.reason) return;
    // a full disk is reported until a segment is written again, not hidden by the feed's own changes
    if (this.stateValue === 'disk-full' && state === 'recording' && this.deps.storage.diskFull) return;
    this.stateValue = state;
    this.reason = reason;
    this.deps.events?.state?.(this.key, state, reason);
  }
}
