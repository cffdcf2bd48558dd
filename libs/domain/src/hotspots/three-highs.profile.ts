/**
 * "Three highs" summaries (high-incidence times, types and areas) over already-filtered incidents.
 */

/** China Standard Time, the default local clock for the time profile. */
export const DEFAULT_UTC_OFFSET_MINUTES = 480;

/**
 * Counts per local weekday and hour: `profile[weekday][hour]`, weekday 0 = Monday … 6 = Sunday, in the
 * fixed UTC offset given (minutes east of UTC). Incidents with an invalid time are skipped.
 */
export function hourWeekdayProfile(
  incidents: ReadonlyArray<{ occurredAt: Date | string | number }>,
  utcOffsetMinutes = DEFAULT_UTC_OFFSET_MINUTES,
): number[][] {
  const profile = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  const shift = utcOffsetMinutes * 60_000;
  for (const { occurredAt } of incidents) {
    const t = occurredAt instanceof Date ? occurredAt.getTime() : new Date(occurredAt).getTime();
    if (!Number.isFinite(t)) continue;
    const local = new Date(t + shift);
    profile[(local.getUTCDay() + 6) % 7][local.getUTCHours()]++;
  }
  return profile;
}

export interface TypeShare {
  type: string;
  count: number;
  /** count / total, in [0, 1]. */
  share: number;
}

/** Incident counts per type, most frequent first (ties by type name). */
export function typeMix(incidents: ReadonlyArray<{ type: string }>): TypeShare[] {
  const counts = new Map<string, number>();
  for (const { type } of incidents) counts.set(type, (counts.get(type) ?? 0) + 1);
  return ranked(counts).map(({ id, count, share }) => ({ type: id, count, share }));
}

export interface AreaShare {
  id: string;
  count: number;
  share: number;
}

/**
 * Areas (jurisdiction ids, say) by count, highest first (ties by id), cut to `limit`. Shares are of
 * the grand total, not of the returned slice.
 */
export function topAreas(counts: ReadonlyMap<string, number> | Readonly<Record<string, number>>, limit = Infinity): AreaShare[] {
  const map = counts instanceof Map ? counts : new Map(Object.entries(counts));
  return ranked(map).slice(0, Math.max(0, limit));
}

function ranked(counts: ReadonlyMap<string, number>): AreaShare[] {
  let total = 0;
  for (const c of counts.values()) total += c;
  return [...counts.entries()]
    .map(([id, count]) => ({ id, count, share: total > 0 ? count / total : 0 }))
    .sort((a, b) => b.count - a.count || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Adds each node's count to all its ancestors, so a station's total includes its posts. `ancestorsOf`
 * is usually `(id) => tree.ancestors(id).map((n) => n.id)`.
 */
export function rollUpCounts(
  counts: ReadonlyMap<string, number>,
  ancestorsOf: (id: string) => readonly string[],
): Map<string, number> {
  const out = new Map<string, number>();
  for (const [id, count] of counts) {
    for (const target of [id, ...ancestorsOf(id)]) out.set(target, (out.get(target) ?? 0) + count);
  }
  return out;
}
