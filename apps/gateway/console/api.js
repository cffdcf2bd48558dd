// Fetch wrapper: bearer token, JSON in and out, errors as ApiError {status, code, message, body}.

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

let session = null;
try { session = JSON.parse(sessionStorage.getItem(TOKEN_KEY) ?? 'null'); } catch { session = null; }
const expiredListeners = new Set();

export function currentSession() { return session; }

export function setSession(value) {
  session = value;
  if (value) sessionStorage.setItem(TOKEN_KEY, JSON.stringify(value));
  else sessionStorage.removeItem(TOKEN_KEY);
}

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

/** Text to show a person for any error. */
export function describeError(e) {
  if (e instanceof ApiError) return `${e.code}: ${e.message}`;
  return e?.message ?? String(e);
}
