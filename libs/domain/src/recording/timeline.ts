import { TiergateError } from '../errors';

/** Two consecutive segments this close (next.start − prev.end, in ms) belong to one span (docs/recording.md). */
export const GAP_TOLERANCE_MS = 1500;
/** The longest range a timeline or a playback covers. */
export const MAX_TIMELINE_RANGE_MS = 31 * 24 * 3600_000;

/** A half-open interval [from, to) in epoch milliseconds. */
export interface TimeInterval {
  from: number;
  to: number;
}

/** What the timeline needs of a segment row: its wall-clock start and end (ms). */
export interface TimedSegment {
  startAt: number;
  endAt: number;
}

export interface Timeline {
  spans: TimeInterval[];
  gaps: TimeInterval[];
}

/**
 * Pure: the timeline of [range.from, range.to) (docs/recording.md, "Timeline"). Segments are sorted by start
 * and clipped to the range; a segment starting at most GAP_TOLERANCE_MS after the current span's end (or
 * overlapping it) extends the span; every interval of the range no span covers is a gap. Spans and gaps
 * alternate, are sorted, and together cover the range exactly.
 */
export function timelineOf(segments: readonly TimedSegment[], range: TimeInterval, toleranceMs = GAP_TOLERANCE_MS): Timeline {
  const inRange = segments
    .filter((s) => s.endAt > range.from && s.startAt < range.to && s.endAt > s.startAt)
    .map((s) => ({ from: Math.max(s.startAt, range.from), to: Math.min(s.endAt, range.to) }))
    .sort((a, b) => a.from - b.from || a.to - b.to);
  const spans: TimeInterval[] = [];
  for (const s of inRange) {
    const last = spans[spans.length - 1];
    if (last && s.from - last.to <= toleranceMs) last.to = Math.max(last.to, s.to);
    else spans.push({ ...s });
  }
  const gaps: TimeInterval[] = [];
  let cursor = range.from;
  for (const span of spans) {
    if (span.from > cursor) gaps.push({ from: cursor, to: span.from });
    cursor = span.to;
  }
  if (cursor < range.to) gaps.push({ from: cursor, to: range.to });
  return { spans, gaps };
}

/**
 * Pure: a recording range from the API's ISO 8601 strings (already shape-checked by the DTO): both must parse,
 * `from` < `to`, at most `maxMs` apart. VALIDATION_FAILED or RANGE_TOO_LARGE naming the fields otherwise.
 */
export function recordingRangeOf(from: string, to: string, maxMs = MAX_TIMELINE_RANGE_MS): TimeInterval {
  const f = Date.parse(from);
  const t = Date.parse(to);
  if (!Number.isFinite(f) || !Number.isFinite(t)) throw new TiergateError('VALIDATION_FAILED', 'from and to must be ISO 8601 times', { fields: ['from', 'to'] });
  if (f >= t) throw new TiergateError('VALIDATION_FAILED', 'from must be before to', { fields: ['from', 'to'] });
  if (t - f > maxMs) throw new TiergateError('RANGE_TOO_LARGE', `the range may span ${formatSpan(maxMs)} at most`, { fields: ['from', 'to'] });
  return { from: f, to: t };
}

function formatSpan(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000} days`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  return `${Math.round(ms / 60_000)} min`;
}
