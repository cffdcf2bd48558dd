/**
 * Recognises "the database (or broker) cannot be reached right now" among errors from pg, TypeORM and
 * Node's sockets: these are outages (answer 503, retry at start-up), not bugs (500) or bad input.
 * Pure: it only reads the error, its `code`, and its `cause`/`driverError` chain.
 */

/** Socket-level codes of a peer that is down, restarting or unreachable. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'EHOSTDOWN', 'ENETUNREACH', 'ENETDOWN', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'ECONNABORTED']);

/**
 * Postgres SQLSTATEs of an unavailable server: class 08 (connection exception), 57P01..57P03
 * (admin/crash shutdown, cannot connect now: starting up or in recovery), 53300 (too many connections).
 */
const SQLSTATE = /^(08\d{3}|57P0[123]|53300)$/;

/** Messages of pg and pg-pool that carry no code (a socket closed under a query, an exhausted pool). */
const MESSAGES = [
  /Connection terminated/i,
  /terminating connection/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /the database system is (starting up|shutting down|in recovery mode|not yet accepting connections)/i,
  /server closed the connection unexpectedly/i,
  /connect(ion)? (ECONNREFUSED|timed out)/i,
];

function* chain(error: unknown): Generator<{ code?: unknown; message?: unknown }> {
  let e = error;
  for (let depth = 0; e && typeof e === 'object' && depth < 6; depth++) {
    yield e as { code?: unknown; message?: unknown };
    const next = (e as { driverError?: unknown }).driverError ?? (e as { cause?: unknown }).cause;
    if (next === e) return;
    e = next;
  }
}

export function isConnectionError(error: unknown): boolean {
  for (const e of chain(error)) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (SOCKET_CODES.has(code) || SQLSTATE.test(code)) return true;
    const message = typeof e.message === 'string' ? e.message : '';
    if (MESSAGES.some((m) => m.test(message))) return true;
    // An AggregateError (Node's happy-eyeballs connect to several addresses) is an outage if every part is.
    const errors = (e as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0 && errors.every(isConnectionError)) return true;
  }
  return false;
}

/** The first code or message line of an error, for a one-line log ("ECONNREFUSED", "Connection terminated"). */
export function briefOf(error: unknown): string {
  for (const e of chain(error)) {
    if (typeof e.code === 'string' && SOCKET_CODES.has(e.code)) return e.code;
  }
  const message = (error as Error)?.message ?? String(error);
  return message.split('\n')[0];
}
