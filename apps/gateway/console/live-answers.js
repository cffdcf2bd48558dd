// POST /api/cameras/:id/live, with answers asked for early (a tour pre-warming its next page) kept for the
// player that opens the camera soon after: the session is already starting, and the tile saves a round trip.
import { api } from './api.js';

/** An answer is handed out only while its token has this long left (the player renews before expiry anyway). */
const MIN_LEFT_MS = 10000;
const early = new Map();
const keyOf = (cameraId, profile) => `${cameraId}/${profile}`;

/**
 * Asks for a fresh live answer ({hlsUrl, mseUrl, llHlsUrl, expiresAt}). `transport: 'mse'` (a player that plays
 * mseUrl) is answered as soon as the stream has a keyframe for the socket, about a GOP before the first HLS segment.
 */
export function requestLive(cameraId, profile, transport) {
  return api('POST', `/api/cameras/${encodeURIComponent(cameraId)}/live`, transport ? { profile, transport } : { profile });
}

/** Starts the camera's session now and keeps the answer for the next openLiveAnswer of it. Errors are kept too. */
export function prewarmLive(cameraId, profile) {
  const key = keyOf(cameraId, profile);
  if (early.has(key)) return;
  const pending = requestLive(cameraId, profile).then((answer) => ({ answer }), (error) => ({ error }));
  early.set(key, pending);
  // Never kept for long: an unused answer goes (its session closes as usual when nobody plays it).
  setTimeout(() => { if (early.get(key) === pending) early.delete(key); }, 30000);
}

/** The live answer for a player starting now: the pre-warmed one when it is still good, else a fresh one. */
export async function openLiveAnswer(cameraId, profile, transport) {
  const key = keyOf(cameraId, profile);
  const pending = early.get(key);
  if (pending) {
    early.delete(key);
    const { answer } = await pending;
    if (answer && Date.parse(answer.expiresAt) - Date.now() > MIN_LEFT_MS) return answer;
  }
  return requestLive(cameraId, profile, transport);
}
