// What the station wall (wall.js) and the kiosk wall (kiosk-wall.js) share, so the two cannot drift apart. No imports,
// so a unit spec can load it as the browser does. (The tour's shortest dwell and the alert-level order are in
// alert-order.js.)

/** Tiles per page a wall may have (square grids). */
export const LAYOUTS = [1, 4, 9, 16, 25];

/** A tour opens the next page's streams this long before it turns (at most half the dwell). */
export const PREWARM_LEAD_MS = 3000;

/**
 * How often an open wall asks for its camera list (and the alert level in force) again while the server's push
 * channel (live-events.js) is not open: without it the wall would not learn about new, removed, renamed cameras and
 * status changes. `window.__tiergateWallRefreshMs` shortens it for tests.
 */
export const WALL_REFRESH_MS = Number(globalThis.__tiergateWallRefreshMs) || 30_000;
