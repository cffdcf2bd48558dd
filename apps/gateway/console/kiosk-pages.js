// Pure page arithmetic of a kiosk wall (docs/kiosk.md), with no imports so a unit spec can load it as the browser does.
// Several windows of one wall station (one per monitor) show the same camera list; each computes its own page from the
// clock alone, so the tour turns in step on every monitor without the windows talking to each other:
//   page of monitor k (1-based) of `of` at time t = (floor(t / dwell) * of + k - 1) mod pages
// (no tour: dwell 0, the step stays 0 and monitor k shows page k - 1 mod pages).

/** The 0-based page monitor `monitor` of `of` shows at `nowMs` (server time), for `pages` pages turning every `dwellMs`. */
export function monitorPage({ nowMs, dwellMs, monitor, of, pages }) {
  if (!(pages > 0)) return 0;
  const count = Math.max(1, Math.floor(of) || 1);
  const k = Math.min(count, Math.max(1, Math.floor(monitor) || 1));
  const step = dwellMs > 0 ? Math.floor(nowMs / dwellMs) : 0;
  return (((step * count + k - 1) % pages) + pages) % pages;
}

/** Milliseconds from `nowMs` to the next page turn (every multiple of `dwellMs` since the epoch); Infinity without a tour. */
export function msToNextTurn(nowMs, dwellMs) {
  if (!(dwellMs > 0)) return Infinity;
  const into = ((nowMs % dwellMs) + dwellMs) % dwellMs;
  return dwellMs - into;
}

/**
 * How far the server's clock is ahead of this one (ms), from an answer's Date header: the header has whole seconds, so
 * the server's time is taken as its middle (+500 ms) at the middle of the round trip. 0 without a usable header.
 */
export function serverClockOffset(dateHeader, sentAtMs, receivedAtMs) {
  const server = Date.parse(dateHeader ?? '');
  if (!Number.isFinite(server) || !Number.isFinite(sentAtMs) || !Number.isFinite(receivedAtMs)) return 0;
  return server + 500 - (sentAtMs + receivedAtMs) / 2;
}

/** Monitor k and count from the route (`monitor=2&of=3`), else 1 of the device's monitors; k is kept within 1..of. */
export function monitorOf(params, deviceMonitors) {
  const of = Math.max(1, Math.min(16, Math.floor(Number(params.get('of'))) || Math.floor(Number(deviceMonitors)) || 1));
  const monitor = Math.max(1, Math.min(of, Math.floor(Number(params.get('monitor'))) || 1));
  return { monitor, of };
}
