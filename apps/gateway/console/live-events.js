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
//
// One stream per page: the wall, the alarm panel and the alert banner all subscribe, and the server allows a user
// 8 streams (a login shared by a wall's tabs would have hit that with three per page, the oldest then replaced and
// stopped for good). The first subscriber opens it, the last unsubscribe closes it; a subscriber that joins an
// open stream is first told what it missed: the newest state of each camera, stream, recording, node level and
// alarm seen so far, `ready` if it came, and the connection's state.
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

/** The key under which the newest event of a kind replaces older ones (for late subscribers); none: not replayed. */
export function replayKey(type, data) {
  switch (type) {
    case 'camera-status': return data?.cameraId && `${type}|${data.cameraId}`;
    case 'stream-state':
    case 'recording-state': return data?.cameraId && `${type}|${data.cameraId}|${data.profile}`;
    case 'alert-level': return data?.jurisdictionId && `${type}|${data.jurisdictionId}`;
    case 'alarm': return data?.id && `${type}|${data.id}`;
    default: return undefined;
  }
}

/** The page's one shared stream (see the top of this file). */
const shared = { listeners: new Set(), close: null, latest: new Map(), ready: null, connection: null };

function broadcast(event) {
  if (event.type === 'connection') {
    shared.connection = event.data;
    // a new connection sends every current state again, then `ready`: forget the old ones
    if (event.data.state !== 'open') shared.ready = null;
  } else if (event.type === 'ready') shared.ready = event.data;
  else {
    const key = replayKey(event.type, event.data);
    if (key) {
      shared.latest.delete(key); // newest last, so a replay keeps the order things happened in
      shared.latest.set(key, event);
    }
  }
  for (const listener of [...shared.listeners]) {
    try { listener(event); } catch (e) { console.error('live event handler failed', e); }
  }
  if (event.type === 'connection' && event.data.state === 'stopped') {
    shared.close = null;
    shared.latest.clear();
    shared.ready = shared.connection = null;
  }
}

export function subscribeEvents(onEvent, options = {}) {
  if (options.EventSourceImpl) return openEventStream(onEvent, options); // a test's own source: its own stream
  const late = shared.close !== null;
  shared.listeners.add(onEvent);
  if (late) {
    const tell = (event) => { try { onEvent(event); } catch (e) { console.error('live event handler failed', e); } };
    for (const event of shared.latest.values()) tell(event);
    if (shared.ready) tell({ type: 'ready', data: shared.ready });
    if (shared.connection) tell({ type: 'connection', data: shared.connection });
  } else {
    shared.close = openEventStream(broadcast);
  }
  let subscribed = true;
  return () => {
    if (!subscribed) return;
    subscribed = false;
    shared.listeners.delete(onEvent);
    if (shared.listeners.size === 0 && shared.close) {
      const close = shared.close;
      shared.close = null;
      shared.latest.clear();
      shared.ready = shared.connection = null;
      close();
    }
    // as a stream of its own would: the last word an unsubscriber hears
    try { onEvent({ type: 'connection', data: { state: 'stopped', reason: 'unsubscribed' } }); } catch (e) { console.error('live event handler failed', e); }
  };
}

function openEventStream(onEvent, { EventSourceImpl = globalThis.EventSource } = {}) {
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
