// Fetch wrapper: bearer token, JSON in and out, errors as ApiError {status, code, message, body}.
import { errorText, t } from './i18n.js';

const TOKEN_KEY = 'tiergate.session';

export class ApiError extends Error {
  constructor(status, code, message, body) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

// The session is kept in localStorage, so every tab and window of this origin (a wall's second monitor) shares
// one login; a change in one tab (login, renewal, logout) reaches the others through the `storage` event.
// The token is renewed (POST /api/auth/refresh) halfway to its expiry, so an open wall never logs itself out.
const readStored = () => { try { return JSON.parse(localStorage.getItem(TOKEN_KEY) ?? 'null'); } catch { return null; } };
let session = readStored();
const expiredListeners = new Set();
const changeListeners = new Set();
/** The soonest a renewal is tried (a token close to its end is renewed at once, nearly). */
const RENEW_MIN_MS = 1000;
let renewTimer = null;

export function currentSession() { return session; }

export function setSession(value) {
  session = value;
  if (value) localStorage.setItem(TOKEN_KEY, JSON.stringify(value));
  else localStorage.removeItem(TOKEN_KEY);
  scheduleRenewal();
}

/** Called with the new session (or null) when another tab logs in, renews or logs out. */
export function onSessionChanged(fn) { changeListeners.add(fn); return () => changeListeners.delete(fn); }

window.addEventListener('storage', (e) => {
  if (e.key !== TOKEN_KEY && e.key !== null) return;
  const before = session;
  session = readStored();
  scheduleRenewal();
  if ((before?.user?.id ?? null) !== (session?.user?.id ?? null)) for (const fn of changeListeners) fn(session);
});

function scheduleRenewal() {
  clearTimeout(renewTimer);
  renewTimer = null;
  const expiresAt = Date.parse(session?.expiresAt ?? '');
  if (!session?.accessToken || !Number.isFinite(expiresAt)) return;
  const left = expiresAt - Date.now();
  renewTimer = setTimeout(() => void renew(), Math.max(RENEW_MIN_MS, left / 2));
}

async function renew() {
  const mine = session;
  if (!mine) return;
  try {
    const res = await api('POST', '/api/auth/refresh');
    if (session?.accessToken !== mine.accessToken) return; // replaced meanwhile (another tab, logout)
    setSession({ accessToken: res.accessToken, expiresAt: res.expiresAt, user: res.user });
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) { for (const fn of expiredListeners) fn(); return; }
    // The server is unreachable for now: try again soon, while the token lasts.
    if (session === mine && Date.parse(mine.expiresAt) > Date.now()) renewTimer = setTimeout(() => void renew(), 5000);
  }
}
scheduleRenewal();

/** Called when the API refuses the token (expired or revoked). */
export function onSessionExpired(fn) { expiredListeners.add(fn); return () => expiredListeners.delete(fn); }

/**
 * Calls the API. `body` is sent as JSON unless `contentType` is given (then as is).
 * Returns the parsed JSON (or undefined for an empty answer); throws ApiError otherwise.
 */
export async function api(method, path, body, { contentType, signal, raw = false } = {}) {
  const headers = {};
  if (session?.accessToken) headers.authorization = `Bearer ${session.accessToken}`;
  let payload;
  if (body !== undefined) {
    if (contentType) { headers['content-type'] = contentType; payload = body; }
    else { headers['content-type'] = 'application/json'; payload = JSON.stringify(body); }
  }
  let res;
  try {
    res = await fetch(path, { method, headers, body: payload, signal });
  } catch (e) {
    if (e?.name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', 'the server cannot be reached', undefined);
  }
  if (raw && res.ok) return res;
  const text = await res.text();
  let data;
  try { data = text ? JSON.parse(text) : undefined; } catch { data = undefined; }
  if (!res.ok) {
    const code = data?.code ?? `HTTP_${res.status}`;
    const message = data?.message ?? (res.statusText || `request failed (${res.status})`);
    if (res.status === 401 && session && !path.startsWith('/api/auth/')) {
      for (const fn of expiredListeners) fn();
    }
    throw new ApiError(res.status, code, message, data);
  }
  return data;
}

/**
 * Text to show a person for any error: the sentence for its code in the console's language, the code kept in
 * brackets for a call to the help desk ("用户名或密码错误。（UNAUTHENTICATED）"). A code the tables do not know
 * shows the server's message. `scope` picks a sentence for one place (login: a refused password).
 */
export function describeError(e, scope) {
  if (e instanceof ApiError) return t('error.withCode', { text: errorText(e.code, e.message, scope), code: e.code });
  return e?.message ?? String(e);
}

/** Largest page the console asks for (the server's limits.maxPageSize defaults to 1000). */
export const PAGE_MAX = 500;

/**
 * One page of a list: `{items, total}` from `?limit=&offset=` and the X-Total-Count header (total is the
 * number of matches over all pages; items.length when the server sends no header).
 */
export async function apiPage(path, { limit = PAGE_MAX, offset = 0, signal } = {}) {
  const sep = path.includes('?') ? '&' : '?';
  const res = await api('GET', `${path}${sep}limit=${limit}&offset=${offset}`, undefined, { signal, raw: true });
  const items = await res.json();
  const header = Number(res.headers.get('x-total-count'));
  return { items, total: Number.isFinite(header) && res.headers.has('x-total-count') ? header : offset + items.length };
}

/** Every item of a paged list, fetched page by page (views that need them all: map, wall, hotspots). */
export async function apiAll(path, { pageSize = PAGE_MAX, signal } = {}) {
  const all = [];
  for (;;) {
    const { items, total } = await apiPage(path, { limit: pageSize, offset: all.length, signal });
    all.push(...items);
    if (items.length === 0 || all.length >= total) return all;
  }
}
