import { RateValue, ratio } from './rate-value';

export interface DeclineRate {
  current: number;
  comparison: number;
  /** (comparison − current) / comparison: 0.25 = a quarter fewer incidents; negative = a rise. */
  rate: RateValue;
}

/** 警情下降率: (previous − current) / previous; null when the comparison period has no incidents. */
export function declineRate(current: number, comparison: number): DeclineRate {
  return { current, comparison, rate: ratio(comparison - current, comparison, 'NO_INCIDENTS_IN_COMPARISON_PERIOD') };
}
