/**
 * A rate that may be undefined: `value` is null exactly when the formula's denominator is zero or unknown,
 * and `reason` then says which.
 */
export interface RateValue {
  value: number | null;
  reason?: RateNullReason;
}

export type RateNullReason =
  /** Decline rate: the comparison period has no incidents. */
  | 'NO_INCIDENTS_IN_COMPARISON_PERIOD'
  /** Preventable-case rate: the population is unknown or 0. */
  | 'NO_POPULATION'
  /** Capture rate: no stop-and-checks in the period. */
  | 'NO_STOP_CHECKS'
  /** Monitoring rate: no cameras in the jurisdiction. */
  | 'NO_CAMERAS'
  /** Monitoring rate: the period has not begun at the time of the query (no camera-hours yet). */
  | 'PERIOD_NOT_STARTED';

/** `numerator / denominator`, or null with `reason` when the denominator is 0. */
export function ratio(numerator: number, denominator: number, reason: RateNullReason): RateValue {
  return denominator > 0 ? { value: numerator / denominator } : { value: null, reason };
}
