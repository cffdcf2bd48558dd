/**
 * Wall-clock time in an IANA time zone, without a library: the zone's offset at an instant comes from
 * `Intl.DateTimeFormat`. Asia/Shanghai has had no daylight saving since 1991, so there every local time
 * maps to exactly one instant; in a zone with DST a skipped wall time maps to the instant one offset
 * earlier (the usual "shift forward") and a repeated one to its first occurrence.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(zone, f);
  }
  return f;
}

/** Throws RangeError for a zone name the runtime does not know. */
export function assertTimeZone(zone: string): void {
  formatterOf(zone);
}

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** The local calendar fields of `instantMs` in `zone`. */
export function toLocal(instantMs: number, zone: string): LocalDateTime {
  const parts: Record<string, number> = {};
  for (const p of formatterOf(zone).formatToParts(new Date(instantMs))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute };
}

/**
 * Offsets by zone and 15-minute UTC bucket: every offset change of the tz database falls on a quarter hour of
 * UTC, so one bucket has one offset. A year of planned times then costs ~35,000 look-ups per zone, not one
 * `formatToParts` per planned time (which took ~1 s for a year of 50 routes).
 */
const offsetCache = new Map<string, Map<number, number>>();
const BUCKET_MS = 15 * 60_000;
const MAX_CACHED_BUCKETS = 200_000;

/** Minutes the zone is ahead of UTC at `instantMs` (Asia/Shanghai: 480). */
export function offsetMinutes(instantMs: number, zone: string): number {
  let byBucket = offsetCache.get(zone);
  if (!byBucket) offsetCache.set(zone, (byBucket = new Map()));
  const bucket = Math.floor(instantMs / BUCKET_MS);
  let offset = byBucket.get(bucket);
  if (offset === undefined) {
    const at = bucket * BUCKET_MS;
    const l = toLocal(at, zone);
    offset = Math.round((Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute) - at) / 60_000);
    if (byBucket.size >= MAX_CACHED_BUCKETS) byBucket.clear();
    byBucket.set(bucket, offset);
  }
  return offset;
}

/** The instant at which the wall clock in `zone` shows the given local date and time (fields may overflow: day 32 is the next month). */
export function fromLocal(l: LocalDateTime, zone: string): number {
  const naive = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute);
  const first = naive - offsetMinutes(naive, zone) * 60_000;
  return naive - offsetMinutes(first, zone) * 60_000;
}

/** "HH:MM" (00:00..23:59) as minutes after midnight, or undefined. */
export function parseClock(hhmm: string): number | undefined {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}
