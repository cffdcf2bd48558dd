import { TiergateError } from '../errors';

/** A half-open period [from, to) in epoch milliseconds. */
export interface RatePeriod {
  from: number;
  to: number;
}

/** The longest period one rates query covers (a little over two years). */
export const MAX_RATE_PERIOD_MS = 800 * 86_400_000;

/** Throws VALIDATION_FAILED unless `to > from` and the period is at most MAX_RATE_PERIOD_MS long. */
export function checkedPeriod(from: number, to: number): RatePeriod {
  if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) throw new TiergateError('VALIDATION_FAILED', 'to must be later than from', { field: 'to' });
  if (to - from > MAX_RATE_PERIOD_MS) throw new TiergateError('VALIDATION_FAILED', `the period may be at most ${MAX_RATE_PERIOD_MS / 86_400_000} days long`, { field: 'to' });
  return { from, to };
}

/** The period of equal length that ends where `p` starts: [from − (to − from), from). */
export function previousPeriod(p: RatePeriod): RatePeriod {
  return { from: p.from - (p.to - p.from), to: p.from };
}

/**
 * The same period one year earlier: each end moved back one calendar year in UTC, keeping month, day and
 * time of day (a fixed offset such as +08:00 keeps its local time too); 29 February becomes 28 February.
 */
export function samePeriodLastYear(p: RatePeriod): RatePeriod {
  return { from: yearEarlier(p.from), to: yearEarlier(p.to) };
}

function yearEarlier(ms: number): number {
  const d = new Date(ms);
  const y = d.getUTCFullYear() - 1;
  const m = d.getUTCMonth();
  const day = m === 1 && d.getUTCDate() === 29 ? 28 : d.getUTCDate();
  return Date.UTC(y, m, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
}
