// The server's push channel (GET /api/events, docs/events.md) for the wall and any screen that shows live state.
// subscribeEvents(onEvent) opens one EventSource with a one-use ticket (POST /api/events/ticket: the login token
// never goes into a URL), reconnects with backoff (a new ticket each time: an EventSource's own retry would reuse
// the spent one), and calls onEvent({ type, data }) for each event:
//   camera-status {cameraId, status, at, reason?}, stream-state {cameraId, profile, state, at, reason?},
//   recording-state {cameraId, profile, state, mode, at, reason?}, cameras-changed {change, cameraIds, complete, at},
//   alert-level {jurisdictionId, level, reason, expiresAt?, setBy, at} (a node's own level as set),
//   alarm {id, cameraId, kind, state, active, startedAt, lastEventAt, endedAt, count, acknowledgedAt, acknowledgedBy, note, change},
//   ready {at} (the current statuses have all been sent), and two of its own:
//   connection {state: 'open' | 'reconnecting' | 'stopped', reason?} (show a "live updates lost" hint while not open).
// Returns unsubscribe(). Stops for good when the server says another stream of this user replaced this one, or when
// no ticket can be had because the session is over (the login page takes over through api.js then).
import { api, ApiError } from './api.js';

export const EVENT_TYPES = ['camera-status', 'stream-state', 'recording-state', 'cameras-changed', 'alert-level', 'alarm', 'ready'];
/** Sent every 15 s with the `: ping` comment; only feeds the silence timer. */
const HEARTBEAT = 'heartbeat';
const BACKOFF_MIN_MS = 1000;
const BACKOFF_MAX_MS = 30_000;
/** No byte for this long (the server pings every 15 s): the connection is dead even if the browser has not noticed. */
const SILENCE_MS = 40_000;

/** Delay before reconnect attempt `n` (0-based): doubling from 1 s to 30 s, with ±20 % jitter so a wall's PCs spread out. */
export function backoffDelay(n, random = Math.random) {
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** n);
  return Math.round(base * (0.8 + 0.4 * random()));
}

export function subscribeEvents(onEvent, { EventSourceImpl = globalThis.EventSource } = {}) {
  let source = null;
  let attempts = 0;
  let retryTimer = null;
  let silenceTimer = null;
  let stopped = false;

  const emit = (type, data) => { try { onEvent({ type, data }); } catch (e) { console.error('live event handler failed', e); } };

  const closeSource = () => {
    clearTimeout(silenceTimer);
    if (source) { source.onopen = source.onerror = null; source.close(); source = null; }
  };

  const stop = (reason) => {
    if (stopped) return;
    stopped = true;
    clearTimeout(retryTimer);
    closeSource();
    emit('connection', { state: 'stopped', reason });
  };

  const retry = (reason) => {
    closeSource();
    if (stopped) return;
    emit('connection', { state: 'reconnecting', reason });
    clearTimeout(retryTimer);
    retryTimer = setTimeout(connect, backoffDelay(attempts++));
  };

  const heard = () => {
    clearTimeout(silenceTimer);
    silenceTimer = setTimeout(() => retry('silent'), SILENCE_MS);
  };

  async function connect() {
    if (stopped) return;
    let ticket;
    try {
      ({ ticket } = await api('POST', '/api/events/ticket'));
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return stop('session-ended');
      return retry('ticket');
    }
    if (stopped) return;
    const es = new EventSourceImpl(`/api/events?ticket=${encodeURIComponent(ticket)}`);
    source = es;
    heard();
    es.onopen = () => { attempts = 0; heard(); emit('connection', { state: 'open' }); };
    // the spent ticket would be refused: never let the browser retry with it
    es.onerror = () => retry('error');
    for (const type of EVENT_TYPES) {
      es.addEventListener(type, (m) => {
        heard();
        let data;
        try { data = JSON.parse(m.data); } catch { return; }
        emit(type, data);
      });
    }
    es.addEventListener(HEARTBEAT, heard);
    es.addEventListener('end', (m) => {
      let reason;
      try { reason = JSON.parse(m.data).reason; } catch { reason = undefined; }
      // replaced: this user opened too many streams and this is the oldest; anything else (shutdown, a session
      // renewed under a new token) is worth a new ticket: a session that is really over gets 401 there
      if (reason === 'replaced') stop('replaced');
      else retry(reason ?? 'end');
    });
  }

  void connect();
  return () => stop('unsubscribed');
}
