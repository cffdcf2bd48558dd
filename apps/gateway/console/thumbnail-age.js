// Pure rules of a garage thumbnail's age (no imports, unit-tested in apps/gateway/src/console): how old the picture
// is, in the unit a person reads ("12 s", "3 min", "2 h"), and when it counts as stale (grey): past
// STALE_FACTOR refresh periods without a new picture, the card no longer shows "now".

/** A thumbnail is stale after this many refresh periods without a new picture. */
export const STALE_FACTOR = 3;

/** The age past which a thumbnail refreshed every `refreshMs` is stale. */
export function staleAfterMs(refreshMs) {
  return STALE_FACTOR * refreshMs;
}

/** Whether a picture taken at `takenAt` (ms; null: none yet) is stale at `now`. */
export function isStale(now, takenAt, refreshMs) {
  return takenAt === null || takenAt === undefined || now - takenAt > staleAfterMs(refreshMs);
}

/** The age of a picture as {unit: 's' | 'min' | 'h', value}, whole units, never negative (a clock a little ahead). */
export function ageParts(now, takenAt) {
  const seconds = Math.max(0, Math.floor((now - takenAt) / 1000));
  if (seconds < 60) return { unit: 's', value: seconds };
  if (seconds < 3600) return { unit: 'min', value: Math.floor(seconds / 60) };
  return { unit: 'h', value: Math.floor(seconds / 3600) };
}
