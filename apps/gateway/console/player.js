// A self-healing live player for one camera. It asks the API for the stream's URLs and plays the MSE WebSocket
// (fMP4, sub-second) where the browser has MediaSource, else, or when MSE fails, the HLS URL with hls.js. It
// stays at the live edge, renews the token before it expires (over the open socket for MSE), reconnects with
// backoff, and reports its state in words: connecting / live / stalled / offline (since hh:mm).
import { describeError } from './api.js';
import { openLiveAnswer, requestLive } from './live-answers.js';
import { liveStateText } from './live-state.js';
import { formatNumber, t } from './i18n.js';
import { MseStream, mseSupported } from './mse-stream.js';

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
/**
 * Where MSE cannot play, LL-HLS (parts, blocking reload: ~1.1 s behind the camera in bench:glass) rather than
 * classic HLS (~4.5 s with these settings); classic HLS only when the answer has no LL-HLS URL.
 */
const hlsChoice = (live) => (live.llHlsUrl ? { url: live.llHlsUrl, lowLatency: true } : { url: live.hlsUrl, lowLatency: false });
const BACKOFF_MS = [500, 1000, 2000, 4000, 8000, 15000, 30000];
/** No new frame for this long: the tile says stalled. */
const STALLED_MS = 2000;
/** Stalled this long: the stream is opened again (MSE comes back in well under a second, HLS takes longer). */
const RESTART_AFTER_MS = { mse: 6000, hls: 15000 };
/** Sockets that close before they ever open, in a row, before the player gives MSE up for HLS. */
const MSE_CONNECT_FAILURES = 2;
/** Renew this long before expiry: 15 s, or 30 % of a shorter lifetime. */
const renewDelay = (msLeft) => Math.max(1000, msLeft - Math.min(15000, msLeft * 0.3));
/** Close codes of the MSE socket (libs/contracts stream-key.ts MSE_CLOSE). */
const CLOSE = { tokenRefused: 4401, notFound: 4404, tooSlow: 4408, sessionClosed: 1001 };
/** Answers of POST /live that mean the camera does not play now (not a fault of the viewer). */
const OFFLINE_CODES = new Set(['CAMERA_UNREACHABLE', 'STREAM_START_TIMEOUT', 'NOT_FOUND']);

/** Every player alive in the page (for the test hook and leak checks). */
export const activePlayers = new Set();

export class LivePlayer {
  /**
   * @param {HTMLVideoElement} video element owned by the caller (muted, autoplay)
   * @param {{cameraId: string, profile?: 'main'|'sub', onState?: (state: string, text: string) => void, onFirstFrame?: () => void, transport?: 'auto'|'hls'}} opts
   */
  constructor(video, { cameraId, profile = 'sub', onState = () => {}, onFirstFrame = () => {}, transport = 'auto' }) {
    this.video = video;
    this.cameraId = cameraId;
    this.profile = profile;
    this.onState = onState;
    this.onFirstFrame = onFirstFrame;
    this.useMse = transport !== 'hls' && mseSupported();
    this.hls = null;
    this.mse = null;
    this.failures = 0;
    this.mseConnectFailures = 0;
    this.restarts = 0;
    this.renewals = 0;
    this.generation = 0;
    this.timers = new Set();
    this.destroyed = false;
    this.frozen = false;
    this.state = '';
    this.offlineSince = 0;
    this.createdAt = performance.now();
    this.firstFrameAt = 0;
    this.presentedFrames = 0;
    /** Milliseconds from construction to each step of the first start (answer, socket open, first frame). */
    this.timeline = {};
    this.lastProgress = { time: -1, at: Date.now() };
    video.muted = true;
    video.playsInline = true;
    video.autoplay = true;
    activePlayers.add(this);
    this.#watchFrames();
    this.#later(() => this.#watchdog(), 500, true);
    void this.#start();
  }

  get transport() { return this.useMse ? 'mse' : 'hls'; }

  #mark(step) {
    this.timeline[step] ??= Math.round(performance.now() - this.createdAt);
  }

  #later(fn, ms, repeat = false) {
    const id = repeat ? setInterval(fn, ms) : setTimeout(() => { this.timers.delete(id); fn(); }, ms);
    this.timers.add(id);
    return id;
  }

  #setState(state, detail) {
    if (state === 'offline' && this.state !== 'offline') this.offlineSince = Date.now();
    if (state === 'live') this.offlineSince = 0;
    this.state = state;
    const text = liveStateText(state, this.offlineSince);
    this.onState(state, detail ? t('live.withDetail', { state: text, detail }) : text);
  }

  /** Counts presented frames (requestVideoFrameCallback where there is one) and reports the first. */
  #watchFrames() {
    const video = this.video;
    const presented = () => {
      if (this.destroyed) return;
      this.presentedFrames += 1;
      this.lastProgress = { time: video.currentTime, at: Date.now() };
      if (!this.frozen && this.state !== 'live') {
        this.failures = 0;
        this.#setState('live');
      }
      if (!this.firstFrameAt) {
        this.firstFrameAt = performance.now();
        this.onFirstFrame();
      }
    };
    if (typeof video.requestVideoFrameCallback === 'function') {
      const onFrame = () => { presented(); if (!this.destroyed) video.requestVideoFrameCallback(onFrame); };
      video.requestVideoFrameCallback(onFrame);
    } else {
      video.addEventListener('timeupdate', () => { if (video.currentTime > 0) presented(); });
    }
  }

  async #start() {
    const gen = ++this.generation;
    this.#teardownHls();
    if (this.state !== 'offline' && this.state !== 'stalled') this.#setState('connecting');
    let live;
    try {
      live = await openLiveAnswer(this.cameraId, this.profile, this.useMse ? 'mse' : undefined);
    } catch (e) {
      if (this.destroyed || gen !== this.generation) return;
      this.#fail(describeError(e), OFFLINE_CODES.has(e?.code));
      return;
    }
    if (this.destroyed || gen !== this.generation) return;
    this.#mark('answer');
    if (this.useMse && live.mseUrl) this.#attachMse(live.mseUrl, gen);
    else this.#attachHls(hlsChoice(live), gen);
    this.#scheduleRenew(live.expiresAt, gen);
  }

  #attachMse(url, gen) {
    if (!this.mse) {
      this.mse = new MseStream(this.video, { onFatal: (reason) => this.#mseFailed(reason) });
    }
    this.lastProgress = { time: -1, at: Date.now() };
    this.retrying = false;
    this.mse.connect(url, {
      onOpen: () => { if (gen === this.generation) { this.mseConnectFailures = 0; this.#mark('socketOpen'); } },
      onClose: (code, opened) => this.#mseClosed(code, opened, gen),
    });
  }

  #mseClosed(code, opened, gen) {
    if (this.destroyed || this.frozen || gen !== this.generation) return;
    if (!opened && ++this.mseConnectFailures >= MSE_CONNECT_FAILURES) return this.#mseFailed(t('live.wsNoConnect', { code: String(code) }));
    if (code === CLOSE.notFound) return this.#fail(t('live.noStream'), true);
    // An expired or refused token, a session that closed, a viewer found too slow: open again with a fresh answer.
    if (code === CLOSE.tokenRefused || code === CLOSE.sessionClosed || code === CLOSE.tooSlow) {
      this.restarts += 1;
      const gen2 = ++this.generation;
      this.#later(() => { if (!this.destroyed && gen2 === this.generation) void this.#start(); }, code === CLOSE.tooSlow ? 1000 : 0);
      return;
    }
    this.#fail(t('live.closed', { code: String(code) }));
  }

  /** MSE cannot play this stream here: from now on this player uses HLS (the video element starts afresh). */
  #mseFailed(reason) {
    if (this.destroyed || !this.useMse) return;
    console.warn(`camera ${this.cameraId}: MSE failed (${reason}); playing HLS`);
    this.useMse = false;
    this.mse?.destroy();
    this.mse = null;
    const gen = ++this.generation;
    this.#later(() => { if (!this.destroyed && gen === this.generation) void this.#start(); }, 0);
  }

  #attachHls({ url, lowLatency }, gen) {
    const video = this.video;
    this.lastProgress = { time: -1, at: Date.now() };
    this.retrying = false;
    this.credentials = new URL(url, location.href).searchParams;
    if (window.Hls && window.Hls.isSupported()) {
      // Every playlist and segment request carries the newest token, so a renewal needs no reload.
      const hls = new window.Hls({ ...HLS_CONFIG, lowLatencyMode: lowLatency, xhrSetup: (xhr, requestUrl) => xhr.open('GET', this.#withCredentials(requestUrl), true) });
      this.hls = hls;
      hls.on(window.Hls.Events.ERROR, (_evt, data) => {
        if (gen !== this.generation || !data.fatal) return;
        this.#fail(t('live.streamError', { details: String(data.details) }));
      });
      hls.on(window.Hls.Events.MANIFEST_PARSED, () => { video.play().catch(() => undefined); });
      hls.loadSource(url);
      hls.attachMedia(video);
    } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
      video.src = url;
      video.play().catch(() => undefined);
    } else {
      this.#setState('offline', 'this browser cannot play HLS');
    }
  }

  /** Asks for a fresh answer shortly before the token expires and hands its token on without tearing down the video. */
  #scheduleRenew(expiresAt, gen) {
    const expires = Date.parse(expiresAt);
    if (!Number.isFinite(expires)) return;
    this.#later(async () => {
      if (this.destroyed || this.frozen || gen !== this.generation) return;
      try {
        const live = await requestLive(this.cameraId, this.profile, this.useMse ? 'mse' : undefined);
        if (this.destroyed || gen !== this.generation) return;
        if (this.mse) {
          // The open socket takes the new token; a closed one reconnects with it anyway (its onClose restarts).
          if (!this.mse.renew(new URL(live.mseUrl).searchParams.get('token'))) return;
        } else {
          const { url } = hlsChoice(live);
          const fresh = new URL(url, location.href);
          if (this.hls && this.hls.url && new URL(this.hls.url).pathname === fresh.pathname) this.credentials = fresh.searchParams;
          else if (this.hls) { this.credentials = fresh.searchParams; this.hls.loadSource(url); }
          else { this.video.src = url; this.video.play().catch(() => undefined); }
        }
        this.renewals += 1;
        this.#scheduleRenew(live.expiresAt, gen);
      } catch (e) {
        if (gen === this.generation) this.#fail(t('live.renewFailed', { error: describeError(e) }), OFFLINE_CODES.has(e?.code));
      }
    }, renewDelay(expires - Date.now()));
  }

  /** The request URL with the query parameters (the stream token) of the newest live answer. */
  #withCredentials(requestUrl) {
    const u = new URL(requestUrl, location.href);
    for (const [key, value] of this.credentials ?? []) if (u.searchParams.has(key)) u.searchParams.set(key, value);
    return u.toString();
  }

  #fail(reason, offline = false) {
    if (this.destroyed || this.frozen) return;
    const gen = ++this.generation; // stale callbacks of the failed attempt are ignored from now on
    this.restarts += 1;
    this.retrying = true; // until the next attempt attaches its stream (the watchdog waits for it)
    this.#teardownHls();
    this.mse?.stopNetwork();
    const wait = BACKOFF_MS[Math.min(this.failures, BACKOFF_MS.length - 1)];
    this.failures += 1;
    // A camera that does not play is offline; a passing fault keeps the last picture and says stalled.
    this.#setState(offline || this.failures >= 4 ? 'offline' : this.firstFrameAt ? 'stalled' : 'connecting', t('live.retry', { reason, seconds: formatNumber(wait / 1000, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) }));
    this.#later(() => { if (!this.destroyed && gen === this.generation) void this.#start(); }, wait);
  }

  /** Live while frames advance; stalled when they stop; opened again when they stay stopped. */
  #watchdog() {
    // a retry is already scheduled (#fail): failing again would cancel it, and no stream would ever start again
    if (this.destroyed || this.frozen || this.retrying) return;
    // (not `t`: that is the translation function, which the restart below needs)
    const position = this.video.currentTime;
    const now = Date.now();
    if (position !== this.lastProgress.time) {
      const first = this.lastProgress.time < 0;
      this.lastProgress = { time: position, at: now };
      if (!first && position > 0 && this.state !== 'live') {
        this.failures = 0;
        this.#setState('live');
      }
      return;
    }
    const still = now - this.lastProgress.at;
    if (this.state === 'live' && still > STALLED_MS) this.#setState('stalled');
    if ((this.hls || this.mse) && still > RESTART_AFTER_MS[this.transport]) this.#fail(t('live.stalled'));
  }

  #teardownHls() {
    if (this.hls) { this.hls.destroy(); this.hls = null; }
    // Stop network activity of a natively played source as well (never the MediaSource of the MSE path).
    if (!this.mse && this.video.getAttribute('src')) { this.video.removeAttribute('src'); this.video.load(); }
  }

  /**
   * Stops the network and every timer but leaves the picture: the video element shows its last frame until the
   * caller removes it (a tile showing a new camera keeps the old picture until the new one plays).
   */
  freeze() {
    if (this.destroyed || this.frozen) return;
    this.frozen = true;
    this.generation += 1;
    for (const id of this.timers) { clearTimeout(id); clearInterval(id); }
    this.timers.clear();
    this.mse?.stopNetwork();
    if (this.hls) this.hls.stopLoad();
    this.video.pause();
  }

  /** Releases everything: sockets, hls.js, timers, the source; the caller removes the element. */
  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    this.generation += 1;
    for (const id of this.timers) { clearTimeout(id); clearInterval(id); }
    this.timers.clear();
    this.mse?.destroy();
    this.mse = null;
    this.#teardownHls();
    activePlayers.delete(this);
  }

  stats() {
    const q = typeof this.video.getVideoPlaybackQuality === 'function' ? this.video.getVideoPlaybackQuality() : null;
    let lag = null;
    try { const b = this.video.buffered; if (b.length) lag = b.end(b.length - 1) - this.video.currentTime; } catch { lag = null; }
    return {
      cameraId: this.cameraId,
      transport: this.transport,
      state: this.state,
      currentTime: this.video.currentTime,
      playing: !this.video.paused && this.video.readyState >= 2 && !this.video.ended,
      decodedFrames: q ? q.totalVideoFrames : 0,
      presentedFrames: this.presentedFrames,
      firstFrameMs: this.firstFrameAt ? Math.round(this.firstFrameAt - this.createdAt) : null,
      bufferLagS: lag,
      timeline: { ...this.timeline, ...(this.mse ? this.mse.timeline(this.createdAt) : {}) },
      restarts: this.restarts,
      renewals: this.renewals,
    };
  }
}

/** A video element with its player and a state label, for tiles and overlays. */
export function createLiveView({ cameraId, profile, label, onState, onFirstFrame, transport }) {
  const video = document.createElement('video');
  video.className = 'live-video';
  video.muted = true;
  const stateEl = document.createElement('span');
  stateEl.className = 'live-state';
  const player = new LivePlayer(video, {
    cameraId,
    profile,
    transport,
    onFirstFrame,
    onState: (state, text) => {
      stateEl.textContent = text;
      stateEl.dataset.state = state;
      onState?.(state, text);
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
