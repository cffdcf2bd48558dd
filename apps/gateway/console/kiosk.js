// Wall device (kiosk) mode, #/kiosk (docs/kiosk.md). An administrator enrols the screen (POST /api/wall-devices) and
// opens the address it answers once: #/kiosk?device=<id>&secret=<secret>. The secret goes to localStorage and out of
// the address bar; from then on every window of this browser opened at #/kiosk (one per monitor: ?monitor=2&of=3)
// exchanges it for a session (POST /api/auth/device) whenever it has none that works: at start, after the server
// refused the token (expiry, a session-key rotation, a restart with another key), never showing the login page. A
// heartbeat (GET /api/auth/device every few seconds) finds a revocation within seconds; only a revoked (or unknown)
// device ends in a full-screen sentence. No header, no menu: the tiles of kiosk-wall.js.
import { api, ApiError, setSession, onSessionExpired } from './api.js';
import { t } from './i18n.js';
import { monitorOf, serverClockOffset } from './kiosk-pages.js';
import { mountKioskWall } from './kiosk-wall.js';
import { h, sleep } from './util.js';

const CREDENTIAL_KEY = 'tiergate.kiosk';
const HEARTBEAT_MS = Number(window.__tiergateKioskHeartbeatMs) || 5000;
/** Waits between exchanges while the server cannot be reached (the tiles keep what they show meanwhile). */
const RETRY_MS = [1000, 2000, 3000, 5000, 10000];
const EXCHANGE_TIMEOUT_MS = 10_000;

/** Whether the address is the kiosk's route (app.js then hands the page to mountKiosk, with no login page). */
export function isKioskRoute(hash = location.hash) {
  return /^#\/?kiosk(?:\?|$)/.test(hash);
}

const routeParams = () => new URLSearchParams(location.hash.replace(/^#\/?/, '').split('?')[1] ?? '');

function readCredential() {
  try {
    const c = JSON.parse(localStorage.getItem(CREDENTIAL_KEY) ?? 'null');
    return typeof c?.deviceId === 'string' && typeof c?.secret === 'string' ? c : null;
  } catch {
    return null;
  }
}

/** Moves ?device=&secret= of an enrolment address into localStorage, and out of the address bar and history. */
function takeEnrolment(params) {
  const deviceId = params.get('device');
  const secret = params.get('secret');
  if (!deviceId || !secret) return;
  localStorage.setItem(CREDENTIAL_KEY, JSON.stringify({ deviceId, secret }));
  params.delete('device');
  params.delete('secret');
  const rest = params.toString();
  history.replaceState(null, '', `${location.pathname}${location.search}#/kiosk${rest ? `?${rest}` : ''}`);
}

/** One exchange of the stored secret: {result: 'ok', body, offset} | {result: 'revoked' | 'not-enrolled' | 'unreachable'}. */
async function exchange() {
  const credential = readCredential();
  if (!credential) return { result: 'not-enrolled' };
  const sentAt = Date.now();
  let res;
  try {
    res = await fetch('/api/auth/device', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(credential), signal: AbortSignal.timeout(EXCHANGE_TIMEOUT_MS) });
  } catch {
    return { result: 'unreachable' };
  }
  if (res.status === 200) {
    try {
      return { result: 'ok', body: await res.json(), offset: serverClockOffset(res.headers.get('date'), sentAt, Date.now()) };
    } catch {
      return { result: 'unreachable' };
    }
  }
  if (res.status === 403) return { result: 'revoked' };
  if (res.status === 401 || res.status === 400) return { result: 'not-enrolled' };
  return { result: 'unreachable' }; // 5xx, 429, a proxy's answer: try again
}

/** Config fields of a device record that change what the wall shows. */
const shape = (d) => JSON.stringify([d?.wallId, d?.layout, d?.tourSeconds, d?.monitors, d?.jurisdictionId]);

export function mountKiosk(main) {
  const params = routeParams();
  takeEnrolment(params);
  document.body.classList.add('kiosk');
  document.getElementById('header').hidden = true;
  const screen = h('section', { class: 'screen screen-kiosk', id: 'screen-kiosk' });
  main.replaceChildren(screen);
  /** starting | running | reconnecting | revoked | not-enrolled */
  let state = 'starting';
  let offset = 0;
  let device = null;
  let wall = null;
  let renewing = null;
  let exchanges = 0;
  const now = () => Date.now() + offset;
  const over = () => state === 'revoked' || state === 'not-enrolled';

  function showWall() {
    wall?.destroy();
    const { monitor, of } = monitorOf(params, device.monitors);
    wall = mountKioskWall(screen, { device, monitor, of, now });
  }

  function showSentence(kind) {
    state = kind;
    wall?.destroy();
    wall = null;
    setSession(null);
    const key = kind === 'revoked' ? 'kiosk.revoked' : 'kiosk.notEnrolled';
    screen.replaceChildren(h('div', { class: 'kiosk-sentence', id: 'kiosk-sentence', role: 'alert', dataset: { kind } }, h('p', {}, t(key)), h('p', { class: 'muted' }, t(`${key}Hint`))));
  }

  /** Exchanges the secret until it works or the device is refused for good; one at a time per window. */
  function renew() {
    if (renewing || over()) return renewing;
    if (state === 'running') state = 'reconnecting';
    renewing = (async () => {
      for (let attempt = 0; !over(); attempt++) {
        const answer = await exchange();
        exchanges++;
        if (answer.result === 'ok') {
          offset = answer.offset;
          device = answer.body.device;
          setSession({ accessToken: answer.body.accessToken, expiresAt: answer.body.expiresAt, user: answer.body.user });
          state = 'running';
          showWall();
          return;
        }
        if (answer.result !== 'unreachable') return showSentence(answer.result);
        await sleep(RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]);
      }
    })().finally(() => { renewing = null; });
    return renewing;
  }

  /** Every few seconds: the device's own record. A refused token is exchanged again (a revoked device is told so then). */
  async function heartbeat() {
    if (over() || renewing) return;
    try {
      const fresh = await api('GET', '/api/auth/device');
      if (state === 'running' && shape(fresh) !== shape(device)) { device = fresh; showWall(); }
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.status === 403 || e.status === 404)) void renew();
      // unreachable: the tiles reconnect by themselves; the next beat asks again
    }
  }
  setInterval(() => void heartbeat(), HEARTBEAT_MS);
  // Any call refused for the token (the tiles' players, the push channel's ticket, api.js's own renewal).
  onSessionExpired(() => void renew());

  window.__tiergate = { ...(window.__tiergate ?? {}), kiosk: () => ({ state, offset, exchanges, device, ...(wall?.stats() ?? {}) }) };
  void renew();
}
