import { GAP_TOLERANCE_MS, initHashOfPath, vodInitNameOf, vodSegmentNameOf } from '@tiergate/domain';

/** What the VOD playlist needs of a segment row. */
export interface VodSegment {
  id: string;
  initPath: string;
  startAt: Date;
  endAt: Date;
}

export interface VodPlaylistOptions {
  /** The query every URI carries (`from=…&to=…&token=…`), without the `?`. */
  query: string;
  /** Where playback starts (the asked range's start): EXT-X-START points there inside the first segment. */
  startAt?: number;
  toleranceMs?: number;
}

/**
 * Pure: the HLS VOD playlist of recorded segments (docs/recording.md, "Playback"): segments sorted by start;
 * `EXT-X-MAP` before the first segment and again wherever the init changes; `EXT-X-DISCONTINUITY` where the
 * init changes or a gap of more than the tolerance lies between two segments; `EXT-X-PROGRAM-DATE-TIME` on
 * every segment (a player seeks to a wall-clock time with it); `EXT-X-TARGETDURATION` the longest segment
 * rounded up; `EXT-X-ENDLIST`. Every URI carries the query (the playback token). Segments whose init path is
 * not of the storage layout are left out. Undefined when no segment remains.
 */
export function buildVodPlaylist(segments: readonly VodSegment[], options: VodPlaylistOptions): string | undefined {
  const tolerance = options.toleranceMs ?? GAP_TOLERANCE_MS;
  const rows = segments
    .map((s) => ({ s, hash: initHashOfPath(s.initPath) }))
    .filter((r): r is { s: VodSegment; hash: string } => r.hash !== undefined && r.s.endAt.getTime() > r.s.startAt.getTime())
    .sort((a, b) => a.s.startAt.getTime() - b.s.startAt.getTime());
  if (rows.length === 0) return undefined;
  const q = options.query ? `?${options.query}` : '';
  const durations = rows.map(({ s }) => (s.endAt.getTime() - s.startAt.getTime()) / 1000);
  const target = Math.max(1, Math.ceil(Math.max(...durations)));
  const lines = ['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-PLAYLIST-TYPE:VOD', `#EXT-X-TARGETDURATION:${target}`, '#EXT-X-MEDIA-SEQUENCE:0', '#EXT-X-INDEPENDENT-SEGMENTS'];
  const first = rows[0]!.s.startAt.getTime();
  if (options.startAt !== undefined && options.startAt > first) lines.push(`#EXT-X-START:TIME-OFFSET=${((options.startAt - first) / 1000).toFixed(3)},PRECISE=YES`);
  let prev: { s: VodSegment; hash: string } | undefined;
  rows.forEach((row, i) => {
    const initChanged = prev !== undefined && prev.hash !== row.hash;
    const gap = prev !== undefined && row.s.startAt.getTime() - prev.s.endAt.getTime() > tolerance;
    if (initChanged || gap) lines.push('#EXT-X-DISCONTINUITY');
    if (prev === undefined || initChanged) lines.push(`#EXT-X-MAP:URI="${vodInitNameOf(row.hash)}${q}"`);
    lines.push(`#EXT-X-PROGRAM-DATE-TIME:${row.s.startAt.toISOString()}`);
    lines.push(`#EXTINF:${durations[i]!.toFixed(3)},`);
    lines.push(`${vodSegmentNameOf(row.s.id)}${q}`);
    prev = row;
  });
  lines.push('#EXT-X-ENDLIST', '');
  return lines.join('\n');
}
