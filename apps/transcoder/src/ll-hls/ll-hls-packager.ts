import { hlsContentTypeOf, LL_PART_HOLD_MAX_MS, LL_PLAYLIST_HOLD_MAX_MS, LL_PLAYLIST_NAME } from '@tiergate/contracts';
import type { Fmp4Fragment, Fmp4Init, FragmentListener } from '@tiergate/media';
import type { Clock, TimerHandle } from '../clock';
import { parseLlHlsFile, type LlHlsFile } from './ll-hls-names';
import { renderLlPlaylist } from './ll-hls-playlist';
import { parseLlHlsQuery } from './ll-hls-query';
import { LlHlsTimeline, type LlTimelineOptions } from './ll-hls-timeline';

export interface LlHlsPackagerOptions extends LlTimelineOptions {
  /** A blocking playlist request is held at most this many target durations (the spec's three), then 503. */
  holdTargets: number;
}

export const LL_HLS_DEFAULTS: Omit<LlHlsPackagerOptions, 'firstMsn'> = {
  segmentTargetSec: 1,
  windowSegments: 6,
  partWindowSegments: 3,
  defaultPartTargetSec: 0.2,
  holdTargets: 3,
};

/** What one LL-HLS request is answered: a body, or a status without one. */
export type LlHlsAnswer =
  | { status: 200; body: Buffer; contentType: string; cacheControl: string }
  | { status: 400 | 404 | 503; reason: string };

/** A complete part, segment or per-generation init never changes: it may be cached. */
const IMMUTABLE = 'private, max-age=60, immutable';
const FRESH = 'no-cache';

interface Waiter {
  check(): LlHlsAnswer | undefined;
  settle(answer: LlHlsAnswer): void;
}

/**
 * The LL-HLS packager of one session: listens to the session's fragment feed (each fragment a part, segments
 * following the GOP) and answers the LL-HLS files from memory: the playlist with blocking reload, the inits,
 * segments and parts. A request for something about to exist (the next part, the segment being built, the
 * part a blocking reload names) is held until it exists or its deadline passes. Pure apart from the clock.
 */
export class LlHlsPackager implements FragmentListener {
  private readonly timeline: LlHlsTimeline;
  private readonly waiters = new Set<Waiter>();
  private ended: string | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly options: LlHlsPackagerOptions,
    private readonly onEnd?: (reason: string) => void,
  ) {
    this.timeline = new LlHlsTimeline(options);
  }

  init(init: Fmp4Init): void {
    if (this.ended) return;
    this.timeline.init(init);
    this.wake();
  }

  fragment(fragment: Fmp4Fragment): void {
    if (this.ended) return;
    if (this.timeline.append(fragment)) this.wake();
  }

  /** The feed ended (session closed): held requests are answered 404, as every later one. */
  end(reason: string): void {
    if (this.ended) return;
    this.ended = reason;
    this.timeline.finish();
    for (const w of [...this.waiters]) w.settle({ status: 404, reason: `stream ended: ${reason}` });
    this.onEnd?.(reason);
  }

  /** Requests held right now. */
  get held(): number {
    return this.waiters.size;
  }

  /** Read-only view for figures and tests. */
  get window(): LlHlsTimeline {
    return this.timeline;
  }

  /**
   * Answers one request for `name` (a file of this stream's LL-HLS) with `url` its full request URL (for the
   * query). Resolves when answered; `signal` abandons a held request (the viewer went away).
   */
  request(name: string, url: string | undefined, signal?: AbortSignal): Promise<LlHlsAnswer> {
    const file = parseLlHlsFile(name);
    if (!file || this.ended) return Promise.resolve(notFound(this.ended ? `stream ended: ${this.ended}` : 'not an LL-HLS file'));
    if (file.kind === 'playlist') return this.playlist(url, signal);
    return this.media(name, file, signal);
  }

  private playlist(url: string | undefined, signal?: AbortSignal): Promise<LlHlsAnswer> {
    const query = parseLlHlsQuery(url);
    if (!query.ok) return Promise.resolve({ status: 400, reason: query.reason });
    const { reload, carried } = query;
    const t = this.timeline;
    if (reload) {
      // RFC 8216bis 6.2.5.2: a directive more than two segments beyond the playlist's last one is a bad request,
      // counted here from the segment being built (a player asks for its parts) and the Advance Part Limit.
      const building = t.open?.msn ?? t.nextMsn;
      if (reload.msn > building + 2) return Promise.resolve({ status: 400, reason: `_HLS_msn ${reload.msn} is more than 2 beyond ${building}` });
      if (reload.part !== undefined && reload.msn === t.open?.msn && reload.part > t.open.partCount - 1 + this.advancePartLimit()) {
        return Promise.resolve({ status: 400, reason: `_HLS_part ${reload.part} is beyond the advance part limit` });
      }
    }
    const answer = (): LlHlsAnswer | undefined => {
      // hls.js takes a playlist without a complete segment for an error (LEVEL_EMPTY_ERROR): hold until one exists
      if (t.segments.length === 0) return undefined;
      if (reload && !t.satisfies(reload.msn, reload.part)) return undefined;
      return ok(Buffer.from(renderLlPlaylist(t, carried)), LL_PLAYLIST_NAME, FRESH);
    };
    const holdMs = Math.min(t.targetDurationSec * this.options.holdTargets * 1000, LL_PLAYLIST_HOLD_MAX_MS);
    return this.hold(answer, holdMs, { status: 503, reason: `not available within ${holdMs} ms` }, signal);
  }

  private media(name: string, file: Exclude<LlHlsFile, { kind: 'playlist' }>, signal?: AbortSignal): Promise<LlHlsAnswer> {
    const t = this.timeline;
    const late = notFound(`${name} did not come within ${LL_PART_HOLD_MAX_MS} ms`);
    switch (file.kind) {
      case 'init': {
        if (file.generation !== undefined) {
          const init = t.initOf(file.generation);
          return Promise.resolve(init ? ok(init.data, name, IMMUTABLE) : notFound(`no init of generation ${file.generation}`));
        }
        const current = () => (t.currentInit ? ok(t.currentInit.data, name, FRESH) : undefined);
        return this.hold(current, LL_PART_HOLD_MAX_MS, late, signal);
      }
      case 'segment': {
        const segment = () => {
          const s = t.segment(file.msn);
          if (s?.data) return ok(s.data, name, IMMUTABLE);
          return this.mayStillCome(file.msn) ? undefined : notFound(`segment ${file.msn} is not in the window`);
        };
        return this.hold(segment, LL_PART_HOLD_MAX_MS, late, signal);
      }
      case 'part': {
        const part = () => {
          const p = t.part(file.msn, file.part);
          if (p) return ok(p.data, name, IMMUTABLE);
          return this.partMayStillCome(file.msn, file.part) ? undefined : notFound(`part ${file.msn}.${file.part} is not in the window`);
        };
        return this.hold(part, LL_PART_HOLD_MAX_MS, late, signal);
      }
    }
  }

  /** Segment msn is being built, or is the next one to start. */
  private mayStillCome(msn: number): boolean {
    const t = this.timeline;
    return msn === t.open?.msn || msn === t.nextMsn;
  }

  /** The part is the next one of the segment being built, or the first of the next segment (the preload hint). */
  private partMayStillCome(msn: number, part: number): boolean {
    const t = this.timeline;
    if (t.open?.msn === msn) return part === t.open.partCount;
    return msn === t.nextMsn && part === 0;
  }

  /** The spec's Advance Part Limit: 3 / PART-TARGET parts when the part target is under a second, else 3. */
  private advancePartLimit(): number {
    const pt = this.timeline.partTargetSec;
    return pt < 1 ? Math.ceil(3 / pt) : 3;
  }

  /** Answers now when `check` can; else when a change lets it, or with `onDeadline` after `ms`. */
  private hold(check: () => LlHlsAnswer | undefined, ms: number, onDeadline: LlHlsAnswer, signal?: AbortSignal): Promise<LlHlsAnswer> {
    const now = check();
    if (now) return Promise.resolve(now);
    if (signal?.aborted) return Promise.resolve(notFound('abandoned'));
    return new Promise<LlHlsAnswer>((resolve) => {
      let timer: TimerHandle | undefined;
      const onAbort = () => waiter.settle(notFound('abandoned'));
      const waiter: Waiter = {
        check,
        settle: (answer) => {
          if (!this.waiters.delete(waiter)) return;
          timer?.cancel();
          signal?.removeEventListener('abort', onAbort);
          resolve(answer);
        },
      };
      this.waiters.add(waiter);
      timer = this.clock.setTimeout(() => waiter.settle(onDeadline), ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Something changed: answers every held request that can be answered now. */
  private wake(): void {
    for (const w of [...this.waiters]) {
      const answer = w.check();
      if (answer) w.settle(answer);
    }
  }
}

function ok(body: Buffer, name: string, cacheControl: string): LlHlsAnswer {
  return { status: 200, body, contentType: hlsContentTypeOf(name) ?? 'application/octet-stream', cacheControl };
}

function notFound(reason: string): LlHlsAnswer {
  return { status: 404, reason };
}
