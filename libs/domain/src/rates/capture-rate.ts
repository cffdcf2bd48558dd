import { RateValue, ratio } from './rate-value';

export interface CaptureRate {
  checks: number;
  captures: number;
  /** captures / checks; null when there were no stop-and-checks. */
  rate: RateValue;
}

/** 盘查抓获率: stop-and-checks whose result is `captured`, over all stop-and-checks (one log row each). */
export function captureRate(captures: number, checks: number): CaptureRate {
  return { checks, captures, rate: ratio(captures, checks, 'NO_STOP_CHECKS') };
}
