import type { Fmp4Fragment, Fmp4Init } from '@tiergate/media';

/** A recorded segment, ready to write: whole moof+mdat fragments from a keyframe on, with the init they need. */
export interface SegmentDraft {
  init: Fmp4Init;
  fragments: readonly Fmp4Fragment[];
  /** Wall-clock start (ms since the epoch): see Segmenter. */
  startAt: number;
  /** Sum of the fragments' sample durations, in ms. */
  durationMs: number;
  bytes: number;
  /** Why it ended: `keyframe` (reached segmentSeconds), `restart` (a new init), `end` (the feed ended), `cap` (too big). */
  closedBy: 'keyframe' | 'restart' | 'end' | 'cap';
}

export interface SegmenterOptions {
  segmentSeconds: number;
  /** A segment with no keyframe to end at closes at this size (the next one starts at the next keyframe). Default 64 MiB. */
  maxBytes?: number;
  /** Re-anchor the media clock to the arrival clock when they drift apart by more than this. Default 1000 ms. */
  maxDriftMs?: number;
}

export const DEFAULT_SEGMENT_MAX_BYTES = 64 * 1024 * 1024;

/**
 * Pure: groups one session's fragment feed into keyframe-aligned segments of at least segmentSeconds. A
 * segment starts at a keyframe fragment (fragments before the first keyframe of a run are skipped) and ends
 * just before the first keyframe at which it holds segmentSeconds; a new init (ffmpeg restarted) or the end
 * of the feed closes the segment being built (it starts with a keyframe, so it is whole).
 *
 * Times: within one ffmpeg run, a segment's start follows the fragments' decode times (tfdt) from an anchor
 * taken at the run's first keyframe fragment (its arrival time minus its duration: it arrived when it was
 * complete), so consecutive segments of a run meet exactly; when the media clock drifts from the arrival
 * clock by more than maxDriftMs the anchor is taken again.
 */
export class Segmenter {
  private init: Fmp4Init | undefined;
  private pending: Fmp4Fragment[] = [];
  private pendingMs = 0;
  private pendingBytes = 0;
  private startAt = 0;
  /** Wall-clock ms at decode time 0 of the current run. */
  private anchor: number | undefined;
  private skipped = 0;
  private readonly maxBytes: number;
  private readonly maxDriftMs: number;

  constructor(private readonly options: SegmenterOptions) {
    this.maxBytes = options.maxBytes ?? DEFAULT_SEGMENT_MAX_BYTES;
    this.maxDriftMs = options.maxDriftMs ?? 1000;
  }

  /** Fragments dropped because no keyframe had started a segment yet. */
  get skippedFragments(): number {
    return this.skipped;
  }

  /** The segment being built, if any: its start and ms so far. */
  get building(): { startAt: number; durationMs: number } | undefined {
    return this.pending.length > 0 ? { startAt: this.startAt, durationMs: this.pendingMs } : undefined;
  }

  /** A (new) init: closes the segment of the previous run. */
  pushInit(init: Fmp4Init): SegmentDraft[] {
    if (this.init && this.init.generation === init.generation && this.init.data.equals(init.data)) return [];
    const out = this.close('restart');
    this.init = init;
    this.anchor = undefined;
    return out;
  }

  pushFragment(fragment: Fmp4Fragment): SegmentDraft[] {
    const init = this.init;
    if (!init || fragment.generation !== init.generation) return [];
    const out: SegmentDraft[] = [];
    if (this.pending.length > 0 && fragment.keyframe && this.pendingMs >= this.options.segmentSeconds * 1000) out.push(...this.close('keyframe'));
    if (this.pending.length > 0 && this.pendingBytes + fragment.data.length > this.maxBytes) out.push(...this.close('cap'));
    if (this.pending.length === 0) {
      if (!fragment.keyframe) {
        this.skipped += 1;
        return out;
      }
      this.startAt = this.startOf(fragment, init);
    }
    this.pending.push(fragment);
    this.pendingMs += fragment.durationSec * 1000;
    this.pendingBytes += fragment.data.length;
    return out;
  }

  /** The feed ended: the segment being built, if any. */
  end(): SegmentDraft[] {
    const out = this.close('end');
    this.init = undefined;
    return out;
  }

  private startOf(fragment: Fmp4Fragment, init: Fmp4Init): number {
    const arrivedStart = fragment.receivedAt - fragment.durationSec * 1000;
    const mediaMs = (fragment.decodeTime / init.timescale) * 1000;
    if (this.anchor === undefined || Math.abs(this.anchor + mediaMs - arrivedStart) > this.maxDriftMs) this.anchor = arrivedStart - mediaMs;
    return Math.round(this.anchor + mediaMs);
  }

  private close(closedBy: SegmentDraft['closedBy']): SegmentDraft[] {
    if (this.pending.length === 0 || !this.init) return [];
    const draft: SegmentDraft = { init: this.init, fragments: this.pending, startAt: this.startAt, durationMs: Math.round(this.pendingMs), bytes: this.pendingBytes, closedBy };
    this.pending = [];
    this.pendingMs = 0;
    this.pendingBytes = 0;
    return [draft];
  }
}
