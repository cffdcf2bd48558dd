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
