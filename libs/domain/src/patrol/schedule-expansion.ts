import type { PatrolSchedule } from './patrol.types';
import { fromLocal, parseClock, toLocal } from './zoned-time';

/** A half-open period [fromMs, toMs) of instants. */
export interface Period {
  fromMs: number;
  toMs: number;
}

const DAY_MS = 86_400_000;

/**
 * The planned times of an interval schedule inside `period`, ascending (docs/methods.md, "Patrol rounds").
 * Each local day D of `zone` opens a window at D `from`; it closes at D `to`, or at D+1 `to` when `to` is not
 * after `from` (the window crosses midnight; `from` = `to` is a whole day). The planned times are
 * `from`, `from` + every, … up to and including `to` (a 24-hour window excludes its end, which is the next
 * window's start). Each is a local wall time converted to an instant in the zone, so a window keeps its
 * wall-clock times on any day. An ad-hoc schedule plans nothing.
 */
export function expandSchedule(schedule: PatrolSchedule, period: Period, zone: string): number[] {
  if (schedule.kind !== 'interval' || period.toMs <= period.fromMs) return [];
  const start = parseClock(schedule.from);
  const end = parseClock(schedule.to);
  if (start === undefined || end === undefined || !(schedule.everyMinutes >= 1)) throw new RangeError(`bad interval schedule ${JSON.stringify(schedule)}`);
  const length = end > start ? end - start : end - start + 1440;
  const inclusiveEnd = end !== start;
  const out = new Set<number>();
  // Local days from the one before the period (its window may reach into the period) to the period's last.
  const first = toLocal(period.fromMs - DAY_MS, zone);
  const days = Math.ceil((period.toMs - period.fromMs) / DAY_MS) + 2;
  for (let d = 0; d <= days; d++) {
    for (let offset = 0; inclusiveEnd ? offset <= length : offset < length; offset += schedule.everyMinutes) {
      const minuteOfWindow = start + offset;
      const at = fromLocal({ year: first.year, month: first.month, day: first.day + d, hour: 0, minute: minuteOfWindow }, zone);
      if (at >= period.fromMs && at < period.toMs) out.add(at);
    }
  }
  return [...out].sort((a, b) => a - b);
}

/** Whether `atMs` is one of the schedule's planned times (a round of an interval route must name one). */
export function isPlannedTime(schedule: PatrolSchedule, atMs: number, zone: string): boolean {
  return expandSchedule(schedule, { fromMs: atMs, toMs: atMs + 1 }, zone).includes(atMs);
}
