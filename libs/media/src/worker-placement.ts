import type { WorkerHeartbeatMessage } from '@tiergate/contracts';

/**
 * Placement of a stream on a transcoder worker. Pure.
 * - only live workers count: last heartbeat (`at`) within staleMs of now, and load below capacity;
 * - a live worker that already runs the wanted (camera, profile) wins, so viewers share one ffmpeg;
 * - otherwise the least-loaded one by load / capacity, then by absolute load, ties broken by workerId.
 * Returns undefined when none fits (the caller answers NO_WORKER_AVAILABLE).
 */
export function chooseWorker(
  workers: readonly WorkerHeartbeatMessage[],
  now: number,
  staleMs: number,
  want?: { cameraId: string; profile: string },
): WorkerHeartbeatMessage | undefined {
  const live = workers.filter((w) => {
    const at = Date.parse(w.at);
    return Number.isFinite(at) && now - at <= staleMs && at - now <= staleMs && w.capacity > 0;
  });
  if (want) {
    const holder = live
      .filter((w) => w.sessions.some((s) => s.cameraId === want.cameraId && s.profile === want.profile && s.state !== 'idle'))
      .sort((a, b) => cmp(a.workerId, b.workerId))[0];
    if (holder) return holder;
  }
  return live
    .filter((w) => w.load < w.capacity)
    .sort((a, b) => a.load / a.capacity - b.load / b.capacity || a.load - b.load || cmp(a.workerId, b.workerId))[0];
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
