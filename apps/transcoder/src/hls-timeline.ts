import { parse, stringify, types } from 'hls-parser';
import { isHlsFileName } from '@tiergate/contracts';

/**
 * One live session's HLS timeline across ffmpeg runs. ffmpeg knows only its own run: a restarted ffmpeg would
 * number from its start again, and neither the 4.x nor the 5.1 HLS muxer ever writes
 * EXT-X-DISCONTINUITY-SEQUENCE (its `discont_start` flag tags the run's first segment, and the tag vanishes
 * when that segment slides out, silently renumbering every later segment's discontinuity sequence). So the
 * worker keeps the timeline and serves its own playlist:
 *
 * - each run after the first starts at the next media sequence number (`-start_number`), so numbers never
 *   repeat or go back, and a run is tagged EXT-X-DISCONTINUITY at its first segment;
 * - the previous runs' last segments stay listed (their files kept) until the new run's segments push them out
 *   of the window, so a player always has the last few seconds to fetch while ffmpeg restarts (RFC 8216
 *   6.2.2: a live playlist only ever grows at its end and loses segments from its start);
 * - EXT-X-DISCONTINUITY-SEQUENCE is raised as tagged segments leave the window, so every segment keeps its
 *   discontinuity sequence number for as long as it is listed.
 *
 * - a session moved here from another worker (failover) continues the timeline the gateways served from the old
 *   one (`continueFrom`): the first segment served is one after the last served there, with one more
 *   discontinuity. ffmpeg still numbers its files from the clock (names never repeat an old worker's); the served
 *   media sequence is ffmpeg's plus a fixed offset.
 *
 * Pure: texts in, texts out; the caller reads ffmpeg's playlist and deletes the files named by takeExpired().
 */
export interface TimelineSegment {
  /** Media sequence number. */
  sn: number;
  /** Discontinuity sequence number: 1 for the session's first run, +1 per later run. */
  dsn: number;
  uri: string;
  duration: number;
  /** EXT-X-DISCONTINUITY precedes it: the first segment of a run. */
  discontinuity: boolean;
}

/** The newest segment a player was served of a session: its media and discontinuity sequence numbers. */
export interface TimelinePosition {
  mediaSequence: number;
  discontinuitySequence: number;
}

/** Whether a value is a position a timeline can continue from (non-negative safe integers). */
export function isTimelinePosition(value: unknown): value is TimelinePosition {
  const v = value as Partial<TimelinePosition> | null;
  return typeof v === 'object' && v !== null && [v.mediaSequence, v.discontinuitySequence].every((n) => Number.isSafeInteger(n) && (n as number) >= 0);
}

/** The later of two positions, field by field (two gateways may both ask to continue). */
export function laterPosition(a: TimelinePosition | undefined, b: TimelinePosition | undefined): TimelinePosition | undefined {
  if (!a || !b) return a ?? b;
  return { mediaSequence: Math.max(a.mediaSequence, b.mediaSequence), discontinuitySequence: Math.max(a.discontinuitySequence, b.discontinuitySequence) };
}

export interface HlsTimelineOptions {
  /** Segments listed at most (the muxer's hls_list_size). */
  listSize: number;
}

/**
 * Media sequence number of a session's first segment when nothing is known about earlier runs (a new session,
 * or one moved to this worker from another: there is no shared state): the wall clock in milliseconds.
 *
 * Why that never goes back. A chain of runs started at wall time t0 (s) numbers its segments t0·1000,
 * t0·1000 + 1, ... (one more per segment, restarts included). Each segment lasts at least hls_time h (ffmpeg
 * cuts at the first keyframe at or after each multiple of h), and a live source delivers media at most B ahead
 * of real time per run (a camera's GOP cache sends one GOP at once: B ≤ a few seconds). By time t a chain of R
 * runs has made at most (t − t0 + R·B)/h + R segments, so its last number is below t0·1000 + (t − t0 + R·B)/h + R.
 * A new chain started at t numbers from t·1000; that is larger whenever 1000·(t − t0) > (t − t0 + R·B)/h + R.
 * Runs restart no faster than the 0.5 s restart backoff (R ≤ 1 + 2(t − t0)), so with h ≥ 0.5 s and B ≤ 10 s
 * this holds once the old chain is older than ~25 ms: always, in practice. Clocks of two workers that disagree
 * by e seconds eat 1000·e of that margin; NTP keeps e in milliseconds. Numbers stay far below 2^53 (JS) and
 * 2^63 (ffmpeg's int64 `-start_number`, segment file names included: checked with both ffmpeg builds).
 */
export function clockStartNumber(nowMs: number): number {
  return Math.floor(nowMs);
}

interface Dropped {
  uri: string;
  /** Wall-clock ms after which no player can still want the file. */
  deleteAfter: number;
}

export class HlsTimeline {
  private readonly listSize: number;
  /** Segments of earlier runs still listed, oldest first. */
  private retained: TimelineSegment[] = [];
  /** The running ffmpeg's segments as last read. */
  private current: TimelineSegment[] = [];
  /** The running ffmpeg's first number (its `-start_number`, in ffmpeg's numbering) and discontinuity sequence. */
  private run: { ffmpegStart: number; dsn: number } | undefined;
  /** Newest segment seen, served numbering. */
  private last: { sn: number; dsn: number } | undefined;
  /** Served media sequence = ffmpeg's + offset (non-zero only for a session continued from another worker). */
  private offset = 0;
  /** The position this session continues (the latest asked for before anything was served). */
  private continued: TimelinePosition | undefined;
  /** True once render() listed a segment: from then on the numbering is fixed. */
  private served = false;
  private dropped: Dropped[] = [];
  private targetDuration = 1;
  private version = 3;
  private independentSegments = false;

  constructor(options: HlsTimelineOptions) {
    if (!Number.isInteger(options.listSize) || options.listSize < 1) throw new Error('listSize must be a positive integer');
    this.listSize = options.listSize;
  }

  /** True once a run has begun (the next beginRun is a restart). */
  get started(): boolean {
    return this.run !== undefined;
  }

  /**
   * Starts a run; returns its `-start_number`. previousPlaylist: the ending run's last playlist as ffmpeg wrote
   * it (read after that ffmpeg stopped), so its newest segments stay listed during the restart. continueFrom
   * (first run only): the last segment served of this session elsewhere; the run continues right after it.
   */
  beginRun(nowMs: number, previousPlaylist?: string, continueFrom?: TimelinePosition): number {
    if (!this.run) {
      const ffmpegStart = clockStartNumber(nowMs);
      this.run = { ffmpegStart, dsn: 1 };
      if (continueFrom) this.continueFrom(continueFrom);
      return ffmpegStart;
    }
    if (previousPlaylist !== undefined) this.observe(previousPlaylist);
    this.retained = this.joined(nowMs);
    this.current = [];
    const excess = this.retained.length - this.listSize;
    if (excess > 0) this.drop(this.retained.splice(0, excess), this.retained, nowMs);
    // after the last segment seen; a run that made none is simply run again with the same numbers
    const ffmpegStart = this.last ? this.last.sn - this.offset + 1 : this.run.ffmpegStart;
    this.run = { ffmpegStart, dsn: this.last ? this.last.dsn + 1 : this.run.dsn };
    return ffmpegStart;
  }

  /**
   * Continues the session's timeline after `position` (served elsewhere) while nothing of it has been served
   * here yet: the next segment is position + 1, one discontinuity later. Of several, the later wins; once a
   * segment was served the numbering stays. True when the numbering now follows `position`.
   */
  continueFrom(position: TimelinePosition): boolean {
    const run = this.run;
    if (!run || this.served || this.retained.length > 0) return false;
    const target = laterPosition(this.continued, position)!;
    this.continued = target;
    this.offset = target.mediaSequence + 1 - run.ffmpegStart;
    run.dsn = target.discontinuitySequence + 1;
    // re-read with the new numbering on the next render
    this.current = [];
    this.last = undefined;
    return true;
  }

  /**
   * The playlist to serve: kept segments of earlier runs, then the running ffmpeg's (`ffmpegPlaylist`, undefined
   * while the new run has written none). Undefined when there is nothing to list yet.
   */
  render(ffmpegPlaylist: string | undefined, nowMs: number): string | undefined {
    if (!this.run) return undefined;
    if (ffmpegPlaylist !== undefined) this.observe(ffmpegPlaylist);
    const joined = this.joined(nowMs);
    const overflow = joined.length - this.listSize;
    if (overflow > 0) {
      // only kept segments can overflow (ffmpeg lists at most listSize of its own): they leave for good
      this.drop(this.retained.splice(0, Math.min(overflow, this.retained.length)), joined, nowMs);
    }
    const listed = [...this.retained, ...this.current];
    const first = listed[0];
    if (!first) return undefined;
    this.served = true;
    const playlist = new types.MediaPlaylist({
      version: this.version,
      targetDuration: Math.max(this.targetDuration, ...listed.map((s) => Math.ceil(s.duration))),
      mediaSequenceBase: first.sn,
      discontinuitySequenceBase: first.dsn - (first.discontinuity ? 1 : 0),
      independentSegments: this.independentSegments,
      segments: listed.map((s) => new types.Segment({
        uri: s.uri, duration: s.duration, discontinuity: s.discontinuity, mediaSequenceNumber: s.sn, discontinuitySequence: s.dsn,
      })),
    });
    return stringify(playlist) + '\n';
  }

  /** Kept files of earlier runs whose time is up: delete them. */
  takeExpired(nowMs: number): string[] {
    const due = this.dropped.filter((d) => d.deleteAfter <= nowMs);
    this.dropped = this.dropped.filter((d) => d.deleteAfter > nowMs);
    return due.map((d) => d.uri);
  }

  /** Files of earlier runs that must survive clearing the directory for a new run. */
  keptFiles(): string[] {
    return [...this.retained.map((s) => s.uri), ...this.dropped.map((d) => d.uri)];
  }

  // --- internals -----------------------------------------------------------------------------------------

  /**
   * Kept segments then current ones as one list numbered by position. Kept ones that do not join up with the
   * current run (only possible once ffmpeg's own list has slid past the run's first segment) leave for good.
   */
  private joined(nowMs: number): TimelineSegment[] {
    const lastKept = this.retained.at(-1);
    const firstNow = this.current[0];
    if (lastKept && firstNow && firstNow.sn !== lastKept.sn + 1) this.drop(this.retained.splice(0), this.current, nowMs);
    return [...this.retained, ...this.current];
  }

  /** Reads one ffmpeg playlist of the running run; an unreadable or stale one changes nothing. */
  private observe(text: string): void {
    const run = this.run;
    if (!run) return;
    let playlist: ReturnType<typeof parse>;
    try {
      playlist = parse(text);
    } catch {
      return; // a torn read: keep the last good state
    }
    if (playlist.isMasterPlaylist) return;
    const segments = playlist.segments
      .filter((s) => s.mediaSequenceNumber >= run.ffmpegStart && isHlsFileName(s.uri) && Number.isFinite(s.duration))
      .map((s): TimelineSegment => ({ sn: s.mediaSequenceNumber + this.offset, dsn: run.dsn, uri: s.uri, duration: s.duration, discontinuity: s.mediaSequenceNumber === run.ffmpegStart }));
    const newest = segments.at(-1);
    if (!newest || (this.current.length > 0 && newest.sn < this.current.at(-1)!.sn)) return;
    this.current = segments;
    this.targetDuration = Math.max(this.targetDuration, playlist.targetDuration || 0);
    this.version = Math.max(3, playlist.version ?? 3);
    this.independentSegments = playlist.independentSegments === true;
    if (!this.last || newest.sn > this.last.sn) this.last = { sn: newest.sn, dsn: newest.dsn };
  }

  /**
   * RFC 8216 6.2.2: a segment taken off the playlist stays available for its duration plus the longest
   * playlist that listed it.
   */
  private drop(leaving: TimelineSegment[], listedWith: TimelineSegment[], nowMs: number): void {
    const playlistMs = listedWith.slice(-this.listSize).reduce((sum, s) => sum + s.duration, 0) * 1000;
    for (const s of leaving) this.dropped.push({ uri: s.uri, deleteAfter: nowMs + s.duration * 1000 + playlistMs });
  }
}
