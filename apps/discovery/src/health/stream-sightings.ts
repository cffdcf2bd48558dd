/**
 * Pure: which cameras have a live stream playing right now, from what the transcoders publish: stream
 * states (`tiergate/v1/streams/{cameraId}/{profile}/state`, retained, sent when a session changes state)
 * and worker heartbeats (`tiergate/v1/workers/{id}/heartbeat`, every few seconds, listing each session and
 * its state). A playing stream is proof the camera answers, so the health monitor lets it count as seen.
 *
 * Freshness comes from the messages' own `at` (as the gateway judges heartbeats): a `ready` state counts for
 * `staleMs` after it was sent, and afterwards only while a heartbeat fresher than `staleMs` still lists the
 * session as ready. So a retained `ready` left behind by a crashed worker proves nothing once it is old.
 */
export class StreamSightings {
  /** workerId → when its last heartbeat was sent and the cameras it listed as ready. */
  private readonly workers = new Map<string, { at: number; ready: ReadonlySet<string> }>();
  /** `cameraId/profile` → the last `ready` state and when it was sent (other states remove the entry). */
  private readonly readyStates = new Map<string, { cameraId: string; workerId: string; at: number }>();

  constructor(private readonly staleMs: number) {}

  /** A worker heartbeat, or its tombstone (an empty/invalid payload: the worker left). */
  heartbeat(workerId: string, message: unknown): void {
    const m = message as { at?: unknown; sessions?: unknown } | null;
    const at = typeof m?.at === 'string' ? Date.parse(m.at) : NaN;
    if (!m || !Number.isFinite(at) || !Array.isArray(m.sessions)) {
      this.workers.delete(workerId);
      return;
    }
    const ready = new Set<string>();
    for (const s of m.sessions as { cameraId?: unknown; state?: unknown }[]) {
      if (s && s.state === 'ready' && typeof s.cameraId === 'string') ready.add(s.cameraId);
    }
    const known = this.workers.get(workerId);
    if (!known || known.at <= at) this.workers.set(workerId, { at, ready });
  }

  /**
   * A stream state message. Returns true when it says the stream is playing now (a fresh `ready`): the
   * caller may then record the camera as seen at once instead of waiting for its next check.
   */
  streamState(cameraId: string, profile: string, message: unknown, now: number): boolean {
    const key = `${cameraId}/${profile}`;
    const m = message as { state?: unknown; workerId?: unknown; at?: unknown } | null;
    const at = typeof m?.at === 'string' ? Date.parse(m.at) : NaN;
    if (!m || m.state !== 'ready' || !Number.isFinite(at)) {
      this.readyStates.delete(key);
      return false;
    }
    this.readyStates.set(key, { cameraId, workerId: typeof m.workerId === 'string' ? m.workerId : '', at });
    return now - at <= this.staleMs;
  }

  /** True when a live stream of the camera is playing now, as far as fresh messages tell. */
  playing(cameraId: string, now: number): boolean {
    for (const w of this.workers.values()) {
      if (now - w.at <= this.staleMs && w.ready.has(cameraId)) return true;
    }
    for (const s of this.readyStates.values()) {
      if (s.cameraId === cameraId && now - s.at <= this.staleMs) return true;
    }
    return false;
  }
}
