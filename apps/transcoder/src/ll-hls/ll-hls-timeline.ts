import type { Fmp4Fragment, Fmp4Init } from '@tiergate/media';

/** One fMP4 fragment as an LL-HLS partial segment. */
export interface LlPart {
  readonly msn: number;
  readonly index: number;
  /** moof+mdat; a view into its segment's bytes once the segment is complete. */
  data: Buffer;
  readonly durationSec: number;
  /** Starts with a keyframe (EXT-X-PART INDEPENDENT=YES). */
  readonly independent: boolean;
}

/** One media segment: the parts from a keyframe up to the next segment's keyframe. */
export interface LlSegment {
  readonly msn: number;
  readonly generation: number;
  /** Discontinuity sequence of the segment: ffmpeg restarts before it in this session. */
  readonly discontinuity: number;
  /** Wall-clock time (ms) of its first frame: when the first part arrived, less that part's duration. */
  readonly programDateTime: number;
  /** Its parts while they are listed (the newest segments); emptied afterwards, partCount kept. */
  parts: LlPart[];
  partCount: number;
  durationSec: number;
  /** The whole segment (its parts concatenated), once complete. */
  data?: Buffer;
}

export interface LlTimelineOptions {
  /** A segment closes at the first keyframe once it holds at least this much media. */
  segmentTargetSec: number;
  /** Complete segments kept (and listed). */
  windowSegments: number;
  /** The newest complete segments whose parts are kept and listed. */
  partWindowSegments: number;
  /** Media sequence number of the first segment. */
  firstMsn: number;
  /** PART-TARGET before any part exists. */
  defaultPartTargetSec: number;
}

/** Rounding slack for "holds at least the target": fragment durations are sums of float seconds. */
const DURATION_SLACK_SEC = 0.001;

/**
 * The LL-HLS window of one session, built from its fragment feed: segments that follow the GOP, each made
 * of the feed's fragments as parts. Pure and synchronous; memory is bounded by the window (segments beyond
 * it are dropped, parts beyond the part window are dropped, inits no segment needs are dropped).
 */
export class LlHlsTimeline {
  private readonly complete: LlSegment[] = [];
  private openSegment: LlSegment | undefined;
  private readonly inits = new Map<number, Fmp4Init>();
  private current: Fmp4Init | undefined;
  private nextMsnValue: number;
  private discontinuity = 0;
  private lastGeneration: number | undefined;
  private longestRounded = 0;
  private openIsFirstOfRun = false;

  constructor(private readonly options: LlTimelineOptions) {
    this.nextMsnValue = options.firstMsn;
  }

  /** A (new) init: a new generation closes the open segment; its fragments start a discontinuity. */
  init(init: Fmp4Init): void {
    if (this.current && this.current.generation !== init.generation) this.closeOpen();
    this.current = init;
    this.inits.set(init.generation, init);
    this.dropUnusedInits();
  }

  /**
   * Adds a fragment as the next part; false when it cannot be used (no init of its generation yet, or it
   * comes before the generation's first keyframe: a player could not start a segment there).
   */
  append(fragment: Fmp4Fragment): boolean {
    if (!this.current || fragment.generation !== this.current.generation) return false;
    const open = this.openSegment;
    // The first segment of a run closes at its first keyframe whatever its length: when the packager started
    // from the feed's GOP cache it began mid-GOP, and waiting for a full target would delay the first playlist.
    if (open && fragment.keyframe && (this.openIsFirstOfRun || open.durationSec + DURATION_SLACK_SEC >= this.options.segmentTargetSec)) this.closeOpen();
    if (!this.openSegment) {
      if (!fragment.keyframe) return false;
      this.openIsFirstOfRun = this.lastGeneration !== fragment.generation;
      if (this.lastGeneration !== undefined && this.lastGeneration !== fragment.generation) this.discontinuity++;
      this.lastGeneration = fragment.generation;
      this.openSegment = {
        msn: this.nextMsnValue++,
        generation: fragment.generation,
        discontinuity: this.discontinuity,
        programDateTime: fragment.receivedAt - Math.round(fragment.durationSec * 1000),
        parts: [],
        partCount: 0,
        durationSec: 0,
      };
    }
    const segment = this.openSegment!;
    segment.parts.push({ msn: segment.msn, index: segment.partCount, data: fragment.data, durationSec: fragment.durationSec, independent: fragment.keyframe });
    segment.partCount++;
    segment.durationSec += fragment.durationSec;
    return true;
  }

  /** The feed ended: the open segment is complete as it is. */
  finish(): void {
    this.closeOpen();
  }

  /** Complete segments in the window, oldest first. */
  get segments(): readonly LlSegment[] {
    return this.complete;
  }

  /** The segment being built (its parts so far), if any. */
  get open(): LlSegment | undefined {
    return this.openSegment;
  }

  /** The media sequence number the next segment to open will get. */
  get nextMsn(): number {
    return this.nextMsnValue;
  }

  /** The init of the current generation. */
  get currentInit(): Fmp4Init | undefined {
    return this.current;
  }

  initOf(generation: number): Fmp4Init | undefined {
    return this.inits.get(generation);
  }

  segment(msn: number): LlSegment | undefined {
    return this.complete.find((s) => s.msn === msn);
  }

  part(msn: number, index: number): LlPart | undefined {
    const segment = this.openSegment?.msn === msn ? this.openSegment : this.segment(msn);
    return segment?.parts[index];
  }

  /**
   * The part a player should ask for next (EXT-X-PRELOAD-HINT): the open segment's next part, or part 0 of
   * the next segment once the open one holds its target (the next keyframe closes it). A guess when the GOP
   * is longer than the target; a request for a part that never comes is answered 404.
   */
  preloadHint(): { msn: number; part: number } {
    const open = this.openSegment;
    if (open && open.durationSec + DURATION_SLACK_SEC < this.options.segmentTargetSec) return { msn: open.msn, part: open.partCount };
    return { msn: this.nextMsnValue, part: 0 };
  }

  /**
   * EXT-X-TARGETDURATION: at least the segment target, and at least every complete segment's rounded
   * duration so far (a GOP longer than the target makes longer segments). It only grows in a session.
   */
  get targetDurationSec(): number {
    return Math.max(Math.ceil(this.options.segmentTargetSec), this.longestRounded);
  }

  /** PART-TARGET: the longest part listed (ms precision, rounded up); the default before any part. */
  get partTargetSec(): number {
    let longest = 0;
    for (const s of this.listedPartSegments()) for (const p of s.parts) longest = Math.max(longest, p.durationSec);
    return longest > 0 ? Math.ceil(longest * 1000 - 1e-6) / 1000 : this.options.defaultPartTargetSec;
  }

  /** Segments whose parts are listed: the newest complete ones of the part window, then the open one. */
  listedPartSegments(): LlSegment[] {
    const recent = this.complete.slice(-this.options.partWindowSegments).filter((s) => s.parts.length > 0);
    return this.openSegment ? [...recent, this.openSegment] : recent;
  }

  /**
   * Whether a blocking reload for (msn, part) can be answered (RFC 8216bis 6.2.5.2): the playlist holds
   * segment msn complete, or, with a part, that part of it; a part index past a complete segment's last
   * part stands for part 0 of the next segment. Anything older than the window is answerable at once.
   */
  satisfies(msn: number, part?: number): boolean {
    const oldest = this.complete[0]?.msn ?? this.openSegment?.msn ?? this.nextMsnValue;
    if (msn < oldest) return true;
    const done = this.segment(msn);
    if (part === undefined) return done !== undefined || this.complete.some((s) => s.msn > msn);
    if (done) return part < done.partCount || this.satisfies(msn + 1, 0);
    if (this.openSegment?.msn === msn) return part < this.openSegment.partCount;
    return this.complete.some((s) => s.msn > msn) || (this.openSegment !== undefined && this.openSegment.msn > msn);
  }

  private closeOpen(): void {
    const segment = this.openSegment;
    if (!segment) return;
    this.openSegment = undefined;
    const data = Buffer.concat(segment.parts.map((p) => p.data));
    let offset = 0;
    for (const p of segment.parts) {
      p.data = data.subarray(offset, offset + p.data.length);
      offset += p.data.length;
    }
    segment.data = data;
    this.longestRounded = Math.max(this.longestRounded, Math.round(segment.durationSec));
    this.complete.push(segment);
    while (this.complete.length > this.options.windowSegments) this.complete.shift();
    const keepParts = this.complete.length - this.options.partWindowSegments;
    for (let i = 0; i < keepParts; i++) this.complete[i]!.parts = [];
    this.dropUnusedInits();
  }

  private dropUnusedInits(): void {
    const used = new Set(this.complete.map((s) => s.generation));
    if (this.openSegment) used.add(this.openSegment.generation);
    if (this.current) used.add(this.current.generation);
    for (const g of this.inits.keys()) if (!used.has(g)) this.inits.delete(g);
  }
}
