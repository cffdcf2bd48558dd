import type { WorkerHeartbeatMessage } from '@tiergate/contracts';

export interface PlacementWant {
  cameraId: string;
  profile: string;
}

/** Whether a heartbeat is recent enough (within staleMs of now, either way) for the worker to take new sessions. */
export function isFresh(w: Pick<WorkerHeartbeatMessage, 'at'>, now: number, staleMs: number): boolean {
  const at = Date.parse(w.at);
  return Number.isFinite(at) && now - at <= staleMs && at - now <= staleMs;
}

const runs = (w: WorkerHeartbeatMessage, want: PlacementWant): boolean =>
  w.sessions.some((s) => s.cameraId === want.cameraId && s.profile === want.profile && s.state !== 'idle');

/**
 * Placement of a NEW stream on a transcoder worker. Pure.
 * - only live workers count: last heartbeat (`at`) within staleMs of now, load below capacity, and not in
 *   `exclude` (workers found dead from a failed request, or already tried for this placement);
 * - a live worker that already runs the wanted (camera, profile) wins, so viewers share one ffmpeg;
 * - otherwise the least-loaded one by load / capacity, then by absolute load, ties broken by workerId.
 * Returns undefined when none fits (the caller answers NO_WORKER_AVAILABLE).
 * Heartbeats decide new placements only: delivery of a running session does not ask this function.
 */
export function chooseWorker(
  workers: readonly WorkerHeartbeatMessage[],
  now: number,
  staleMs: number,
  want?: PlacementWant,
  exclude: ReadonlySet<string> = new Set(),
): WorkerHeartbeatMessage | undefined {
  const live = workers.filter((w) => !exclude.has(w.workerId) && isFresh(w, now, staleMs) && w.capacity > 0);
  if (want) {
    const holder = live.filter((w) => runs(w, want)).sort((a, b) => cmp(a.workerId, b.workerId))[0];
    if (holder) return holder;
  }
  return live
    .filter((w) => w.load < w.capacity)
    .sort((a, b) => a.load / a.capacity - b.load / b.capacity || a.load - b.load || cmp(a.workerId, b.workerId))[0];
}

/**
 * The worker whose last heartbeat said it runs the session, however old that heartbeat is (a broker outage
 * makes every heartbeat stale, not every worker dead): the newest such heartbeat wins, ties by workerId.
 * The caller asks that worker over HTTP whether it still serves before using it. Pure.
 */
export function lastKnownHolder(
  workers: readonly WorkerHeartbeatMessage[],
  want: PlacementWant,
  exclude: ReadonlySet<string> = new Set(),
): WorkerHeartbeatMessage | undefined {
  return holdersOf(workers, want, exclude)[0];
}

/** Every worker whose last heartbeat lists the session (not idle), newest heartbeat first, ties by workerId. Pure. */
export function holdersOf(
  workers: readonly WorkerHeartbeatMessage[],
  want: PlacementWant,
  exclude: ReadonlySet<string> = new Set(),
): WorkerHeartbeatMessage[] {
  const at = (w: WorkerHeartbeatMessage) => {
    const t = Date.parse(w.at);
    return Number.isFinite(t) ? t : -Infinity;
  };
  return workers
    .filter((w) => !exclude.has(w.workerId) && runs(w, want))
    .sort((a, b) => at(b) - at(a) || cmp(a.workerId, b.workerId));
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
