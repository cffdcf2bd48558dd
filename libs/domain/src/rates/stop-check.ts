/**
 * Results of a stop-and-check (盘查) as the log records them. Only `captured` (a wanted person, stolen
 * vehicle or contraband found and the person held) counts as a capture; every row is one stop-and-check,
 * however many persons and vehicles it checked.
 */
export const STOP_CHECK_RESULTS = ['captured', 'not_captured', 'referred', 'other'] as const;
export type StopCheckResult = (typeof STOP_CHECK_RESULTS)[number];

/** Spellings accepted in a log for each result (trimmed, case-insensitive). */
export const STOP_CHECK_RESULT_ALIASES: Readonly<Record<string, StopCheckResult>> = {
  captured: 'captured',
  capture: 'captured',
  抓获: 'captured',
  not_captured: 'not_captured',
  'not captured': 'not_captured',
  未抓获: 'not_captured',
  referred: 'referred',
  移交: 'referred',
  other: 'other',
  其他: 'other',
};
