// A self-healing live player for one camera: asks the API for an HLS URL, plays it with hls.js,
// restarts with backoff when the stream fails or stalls, and renews the URL before it expires.
import { api, describeError } from './api.js';

const HLS_CONFIG = {
  liveSyncDurationCount: 2,
  liveMaxLatencyDurationCount: 6,
  maxBufferLength: 6,
  maxMaxBufferLength: 12,
  backBufferLength: 6,
  manifestLoadingMaxRetry: 2,
  levelLoadingMaxRetry: 2,
  fragLoadingMaxRetry: 2,
  enableWorker: true,
  lowLatencyMode: false,
};
const BACKOFF_MS = [1000, 2000, 4000, 8000, 15000, 30000];
const STALL_MS = 15000;
/** Renew this long before expiry: 15 s, or 30 % of a shorter lifetime. */
const renewDelay = (msLeft) => Math.max(1000, msLeft - Math.min(15000, msLeft * 0.3));

/** Every player alive in the page (for the test hook and leak checks). */
export const activePlayers = new Set();

export class LivePlayer {
  /**
   * @param {HTMLVideoElement} video element owned by the caller (muted, autoplay)
   * @param {{cameraId: string, profile?: 'main'|'sub', onState?: (state: string, detail?: string) => void}} opts
   */
  constructor(video, { cameraId, profile = 'sub', onState = () => {} }) {
    this.video = video;
    this.cameraId = cameraId;
    this.profile = profile;
    this.onState = onState;
    this.hls = null;
    this.failures = 0;
    this.restarts = 0;
    this.renewals = 0;
    this.generation = 0;
    this.timers = new Set();
    this.destroyed = false;
    this.lastProgress = { time: -1, at: Date.now() };
    video.muted = true;
    video.playsInline = true;
    video.autoplay = true;
    activePlayers.add(this);
    this.#later(() => this.#watchdog(), 3000, true);
    void this.#start();
  }

  #later(fn, ms, repeat = false) {
    const id = repeat ? setInterval(fn, ms) : setTimeout(() => { this.timers.delete(id); fn(); }, ms);
    this.timers.add(id);
    return id;
  }

  async #start() {
    const gen = ++this.generation;
    this.#teardownHls();
    this.onState('starting');
    let live;
    try {
      live = await api('POST', `/api/cameras/${encodeURIComponent(this.cameraId)}/live`, { profile: this.profile });
    } catch (e) {
      if (this.destroyed || gen !== this.generation) return;
      this.#fail(describeError(e));
      return;
    }
    if (this.destroyed || gen !== this.generation) return;
    this.#attach(live.hlsUrl, gen);
    this.#scheduleRenew(live.expiresAt, gen);
  }

  #attach(url, gen) {
    const video = this.video;
    this.lastProgress = { time: -1, at: Date.now() };
    this.credentials = new URL(url, location.href).searchParams;
    if (window.Hls && window.Hls.isSupported()) {
      // Every playlist and segment request carries the newest token, so a renewal needs no reload.
      const hls = new window.Hls({ ...HLS_CONFIG, xhrSetup: (xhr, requestUrl) => xhr.open('GET', this.#withCredentials(requestUrl), true) });
      this.hls = hls;
      hls.on(window.Hls.Events.ERROR, (_evt, data) => {
        if (gen !== this.generation || !data.fatal) return;
        this.#fail(`stream error: ${data.details}`);
      });
      hls.on(window.Hls.Events.MANIFEST_PARSED, () => { video.play().catch(() => undefined); });
      hls.loadSource(url);
      hls.attachMedia(video);
    } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
      video.src = url;
      video.play().catch(() => undefined);
    } else {
      this.onState('error', 'this browser cannot play HLS');
      return;
    }
    const onPlaying = () => {
      if (gen !== this.generation) return;
      this.failures = 0;
      this.onState('playing');
    };
    video.addEventListener('playing', onPlaying, { once: true });
  }

  /** Asks for a fresh URL shortly before the token expires and switches to it without tearing down the video. */
  #scheduleRenew(expiresAt, gen) {
    const expires = Date.parse(expiresAt);
    if (!Number.isFinite(expires)) return;
    const delay = renewDelay(expires - Date.now());
    this.#later(async () => {
      if (this.destroyed || gen !== this.generation) return;
      try {
        const live = await api('POST', `/api/cameras/${encodeURIComponent(this.cameraId)}/live`, { profile: this.profile });
        if (this.destroyed || gen !== this.generation) return;
        this.renewals += 1;
        const fresh = new URL(live.hlsUrl, location.href);
        if (this.hls && this.hls.url && new URL(this.hls.url).pathname === fresh.pathname) this.credentials = fresh.searchParams;
        else if (this.hls) { this.credentials = fresh.searchParams; this.hls.loadSource(live.hlsUrl); }
        else { this.video.src = live.hlsUrl; this.video.play().catch(() => undefined); }
        this.#scheduleRenew(live.expiresAt, gen);
      } catch (e) {
        if (gen === this.generation) this.#fail(`renew failed: ${describeError(e)}`);
      }
    }, delay);
  }

  /** The request URL with the query parameters (the stream token) of the newest live answer. */
  #withCredentials(requestUrl) {
    const u = new URL(requestUrl, location.href);
    for (const [key, value] of this.credentials ?? []) if (u.searchParams.has(key)) u.searchParams.set(key, value);
    return u.toString();
  }

  #fail(reason) {
    if (this.destroyed) return;
    const gen = ++this.generation; // stale callbacks of the failed attempt are ignored from now on
    this.restarts += 1;
    this.#teardownHls();
    const wait = BACKOFF_MS[Math.min(this.failures, BACKOFF_MS.length - 1)];
    this.failures += 1;
    this.onState('retrying', `${reason}; retry in ${Math.round(wait / 1000)} s`);
    this.#later(() => { if (!this.destroyed && gen === this.generation) void this.#start(); }, wait);
  }

  /** Restarts a stream whose playback position stopped moving (a silent stall). */
  #watchdog() {
    if (this.destroyed || !this.hls) return;
    const t = this.video.currentTime;
    if (t !== this.lastProgress.time) { this.lastProgress = { time: t, at: Date.now() }; return; }
    if (Date.now() - this.lastProgress.at > STALL_MS) this.#fail('stalled');
  }

  #teardownHls() {
    if (this.hls) { this.hls.destroy(); this.hls = null; }
    // Stop network activity of a natively played source as well.
    if (this.video.getAttribute('src')) { this.video.removeAttribute('src'); this.video.load(); }
  }

  /** Releases everything: hls.js instance, timers, the source; the caller removes the element. */
  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    this.generation += 1;
    for (const id of this.timers) { clearTimeout(id); clearInterval(id); }
    this.timers.clear();
    this.#teardownHls();
    activePlayers.delete(this);
  }

  stats() {
    const q = typeof this.video.getVideoPlaybackQuality === 'function' ? this.video.getVideoPlaybackQuality() : null;
    return {
      cameraId: this.cameraId,
      currentTime: this.video.currentTime,
      playing: !this.video.paused && this.video.readyState >= 2 && !this.video.ended,
      decodedFrames: q ? q.totalVideoFrames : 0,
      restarts: this.restarts,
      renewals: this.renewals,
    };
  }
}

/** A video element with its player and a state label, for tiles and overlays. */
export function createLiveView({ cameraId, profile, label, onState }) {
  const video = document.createElement('video');
  video.className = 'live-video';
  video.muted = true;
  const stateEl = document.createElement('span');
  stateEl.className = 'live-state';
  const player = new LivePlayer(video, {
    cameraId,
    profile,
    onState: (state, detail) => {
      stateEl.textContent = state === 'playing' ? '' : detail ? `${state}: ${detail}` : state;
      stateEl.dataset.state = state;
      onState?.(state, detail);
    },
  });
  return {
    video,
    stateEl,
    player,
    label,
    destroy() { player.destroy(); video.remove(); stateEl.remove(); },
  };
}
