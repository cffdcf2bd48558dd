// Camera statuses on the map: the legend's counts and the status filter (docs/map.md "Legend and status filter").
// No imports, unit-tested in apps/gateway/src/console (map-status.spec.ts). Pure.

export const MAP_STATUSES = ['online', 'offline', 'unauthorized', 'unknown'];

/** A camera's status as the legend counts it: anything not one of the four is `unknown`. */
export function mapStatus(camera) {
  return MAP_STATUSES.includes(camera?.status) ? camera.status : 'unknown';
}

/** {online, offline, unauthorized, unknown}: how many of `cameras` have each status. */
export function statusCounts(cameras) {
  const counts = Object.fromEntries(MAP_STATUSES.map((s) => [s, 0]));
  for (const c of cameras) counts[mapStatus(c)]++;
  return counts;
}

/** The cameras whose status is ticked in `shown` (a Set of statuses). */
export function filterByStatus(cameras, shown) {
  return cameras.filter((c) => shown.has(mapStatus(c)));
}

/** How many cameras the ticked statuses show, from the counts. */
export function shownCount(counts, shown) {
  return MAP_STATUSES.reduce((n, s) => n + (shown.has(s) ? counts[s] ?? 0 : 0), 0);
}

/**
 * A cluster's tone from its members' counts: `ok` when all are online, `down` when none is, `mixed` otherwise
 * (unknown counts as not online: nobody has seen it answer).
 */
export function clusterTone(counts) {
  const total = MAP_STATUSES.reduce((n, s) => n + (counts[s] ?? 0), 0);
  const online = counts.online ?? 0;
  if (total === 0 || online === total) return 'ok';
  return online === 0 ? 'down' : 'mixed';
}
