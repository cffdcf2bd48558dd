/**
 * Workers this gateway found dead from a failed request to them (connection refused, reset, or no
 * connection within the connect deadline), and whether an error means exactly that. Pure.
 *
 * A heartbeat says a worker was alive when it was sent; it cannot say a worker died (a broker outage
 * stops heartbeats from healthy workers too). A refused connection says so at once. A worker found dead
 * takes no new sessions until a heartbeat stamped after that moment shows it runs again (restarted under
 * the same id, or the failure was a false alarm); a heartbeat sent before it died and delivered late, or
 * the retained one the broker hands out again after a reconnect, does not count.
 */
export class DeadWorkers {
  private readonly since = new Map<string, number>();

  /** Marks a worker dead from `nowMs` on; true when it was not already marked. */
  mark(workerId: string, nowMs: number): boolean {
    if (this.since.has(workerId)) return false;
    this.since.set(workerId, nowMs);
    return true;
  }

  has(workerId: string): boolean {
    return this.since.has(workerId);
  }

  /** A heartbeat stamped `atMs` from the worker: true when it brings a dead worker back. */
  heartbeat(workerId: string, atMs: number): boolean {
    const since = this.since.get(workerId);
    if (since === undefined || !Number.isFinite(atMs) || atMs <= since) return false;
    this.since.delete(workerId);
    return true;
  }

  /** Worker ids currently marked dead. */
  ids(): ReadonlySet<string> {
    return new Set(this.since.keys());
  }
}

/** Our own code for "no TCP connection within the connect deadline" (a host that drops packets). */
export const CONNECT_TIMEOUT = 'ETG_CONNECT_TIMEOUT';
/**
 * Our own code for "connected, but no answer within the response deadline": a hung worker (stopped, stuck)
 * whose kernel still accepts connections. Counted as down like a refused connection.
 */
export const NO_ANSWER = 'ETG_NO_ANSWER';

/**
 * Socket errors that mean nobody is serving at the worker's address any more: nothing listens
 * (refused), the process went away under an open connection (reset, broken pipe), the host is gone
 * (unreachable, connect timeout), or it is hung (no answer within the response deadline). An answer of any
 * HTTP status is not one of them.
 */
const DOWN_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ETIMEDOUT', CONNECT_TIMEOUT, NO_ANSWER]);

export function isWorkerDown(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && DOWN_CODES.has(code);
}

/** A heartbeat heard within one heartbeat period and this margin says the worker's event loop runs. */
export const HEARD_RECENTLY_MARGIN_MS = 1000;
/** A worker whose last heartbeat reported an event-loop delay (the longest over its period) of this much is busy. */
export const BUSY_LOOP_DELAY_MS = 500;
/** ... or that many sessions starting at once (each a new ffmpeg probing its camera). */
export const BUSY_STARTING_SESSIONS = 4;

/** What a failed request says of a worker: gone or hung (its sessions move), or only slow (nothing moves). */
export type FailureVerdict = 'dead' | 'slow';

/** What the worker's last heartbeat said of its load (WorkerHeartbeatMessage: loopDelayMs, sessions' states). */
export function isBusy(hb: { loopDelayMs?: number; sessions: readonly { state: string }[] } | undefined): boolean {
  if (!hb) return false;
  return (hb.loopDelayMs ?? 0) >= BUSY_LOOP_DELAY_MS || hb.sessions.filter((s) => s.state === 'starting').length >= BUSY_STARTING_SESSIONS;
}

/**
 * The verdict on a request that failed with `code`, `heardAgoMs` after this gateway last received the worker's
 * heartbeat (sent every `heartbeatMs`), `busy` when that heartbeat reported a loaded worker (isBusy). Pure.
 * - Refused, reset, unreachable: dead (nobody serves there).
 * - Connected and not answered within the deadline (NO_ANSWER), or no TCP connection within the connect
 *   deadline (CONNECT_TIMEOUT: a busy worker's accept queue is full, the kernel drops the SYN and the client
 *   retries only after 1 s; bench:district, 74 such verdicts once unanswered requests no longer counted): dead,
 *   as a hung worker (a stopped process, a stuck host) answers nothing; unless its last heartbeat said it was
 *   busy and came within one period and
 *   HEARD_RECENTLY_MARGIN_MS: then slow, and nothing moves. Moving a busy worker's sessions puts its whole load
 *   on the others at once, which then miss their own deadlines and move everything back (bench:district: 80-131
 *   such verdicts and thousands of failed moves within minutes). A worker that was quiet when it stopped
 *   answering is found hung at the first deadline, as before.
 */
export function failureVerdict(code: string | undefined, heardAgoMs: number, heartbeatMs: number, busy: boolean): FailureVerdict {
  if ((code !== NO_ANSWER && code !== CONNECT_TIMEOUT) || !busy) return 'dead';
  return heardAgoMs <= heartbeatMs + HEARD_RECENTLY_MARGIN_MS ? 'slow' : 'dead';
}
