import { parse } from 'hls-parser';
import { PLAYLIST_NAME, type StreamEnsureRequest } from '@tiergate/contracts';

/** The newest segment a player was served of a session: media and discontinuity sequence numbers. */
export type TimelinePosition = NonNullable<StreamEnsureRequest['continueFrom']>;

/**
 * Pure: whether a served playlist file is the timeline continuity is kept for: the classic playlist only.
 * The LL-HLS playlist (ll.m3u8) numbers its own segments in the worker's memory; a new worker's ffmpeg must
 * not continue from those numbers.
 */
export const carriesContinuity = (file: string): boolean => file === PLAYLIST_NAME;

/**
 * The newest segment listed in a media playlist, or undefined (a master playlist, no segment, unreadable).
 * Pure: hls-parser does the counting of EXT-X-DISCONTINUITY-SEQUENCE and the tags after it.
 */
export function newestSegmentOf(playlist: string): TimelinePosition | undefined {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(playlist);
  } catch {
    return undefined;
  }
  if (parsed.isMasterPlaylist) return undefined;
  const last = parsed.segments.at(-1);
  if (!last) return undefined;
  const position = { mediaSequence: last.mediaSequenceNumber, discontinuitySequence: last.discontinuitySequence };
  return Object.values(position).every((n) => Number.isSafeInteger(n) && n >= 0) ? position : undefined;
}

/**
 * Per session (camera/profile), the newest segment this gateway served, from the playlists it proxies. When the
 * session has to be placed on another worker (its worker died), the new worker is asked to continue from there
 * (StreamEnsureRequest.continueFrom): hls.js keys its timestamp offsets by discontinuity sequence, so a new
 * ffmpeg's segments must come one discontinuity later, and right after the last media sequence the players
 * know, or they are taken for the old stream's. Positions older than `maxAgeMs` are forgotten (nobody is
 * playing them). Pure apart from the clock passed in.
 */
export class StreamContinuity {
  private readonly served = new Map<string, TimelinePosition & { at: number }>();

  constructor(private readonly maxAgeMs: number) {}

  /** Records a served playlist's newest segment; a position never goes back (a late answer of an older one). */
  record(key: string, position: TimelinePosition, now: number): void {
    const known = this.served.get(key);
    if (known && now - known.at <= this.maxAgeMs && (position.mediaSequence < known.mediaSequence || position.discontinuitySequence < known.discontinuitySequence)) {
      known.at = now;
      return;
    }
    this.served.set(key, { ...position, at: now });
  }

  /** Where a new worker should continue the session, if this gateway served it recently. */
  lastServed(key: string, now: number): TimelinePosition | undefined {
    const known = this.served.get(key);
    if (!known) return undefined;
    if (now - known.at > this.maxAgeMs) {
      this.served.delete(key);
      return undefined;
    }
    return { mediaSequence: known.mediaSequence, discontinuitySequence: known.discontinuitySequence };
  }

  /** Drops positions nobody asked about for longer than maxAgeMs (called now and then). */
  prune(now: number): void {
    for (const [key, p] of this.served) if (now - p.at > this.maxAgeMs) this.served.delete(key);
  }
}
