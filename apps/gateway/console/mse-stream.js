// Plays the MSE WebSocket of one stream (`mseUrl`) in a <video>: fMP4 init + fragments appended in order through
// one queue, kept at the live edge, old buffer trimmed. The MediaSource outlives the sockets: a reconnect or an
// ffmpeg restart (a new init) resets the SourceBuffer in place, so the tile keeps its last frame meanwhile.
// Protocol (libs/contracts stream-key.ts): text {"type":"init","codec","generation"}, then a binary init segment,
// then one binary fragment per message; client → server {"type":"renew","token"}.
import { t } from './i18n.js';

/** Behind the newest buffered frame by more than this, the player jumps to the live edge. */
export const MAX_LAG_S = 0.5;
/** Where a jump lands, behind the newest buffered frame (room for one short fragment). */
export const TARGET_LAG_S = 0.12;
/** Between TARGET and MAX, playback runs this much faster to catch up without a jump. */
const CATCH_UP_RATE = 1.1;
const CATCH_UP_FROM_S = 0.3;
/** Buffer older than this behind the play position is removed. */
const KEEP_BEHIND_S = 10;
/** Queued bytes beyond this mean the decoder cannot keep up: the stream is given up (the player reconnects). */
const MAX_QUEUED_BYTES = 16 * 1024 * 1024;

export const mseSupported = () => typeof window.MediaSource === 'function' && typeof window.MediaSource.isTypeSupported === 'function' && typeof WebSocket === 'function';

export class MseStream {
  /**
   * @param {HTMLVideoElement} video
   * @param {{onFatal: (reason: string) => void}} hooks onFatal: MSE itself failed (codec, decode, quota); fall back
   */
  constructor(video, { onFatal }) {
    this.video = video;
    this.onFatal = onFatal;
    this.ms = new MediaSource();
    this.sb = null;
    this.mime = null;
    this.queue = [];
    this.queuedBytes = 0;
    this.ws = null;
    this.seekPending = false;
    this.failed = false;
    this.fragments = 0;
    this.jumps = 0;
    this.marks = {};
    this.objectUrl = URL.createObjectURL(this.ms);
    this.opened = new Promise((resolve) => this.ms.addEventListener('sourceopen', resolve, { once: true }));
    video.src = this.objectUrl;
    this.edgeTimer = setInterval(() => this.#keepLive(), 250);
  }

  /**
   * Opens a socket on `url` (the previous one is closed). `onOpen` on connect, `onClose(code, opened)` once when
   * it closes (4401 token refused, 4404 no stream, 4408 too slow, 1001 session closed, 1006 no connection).
   */
  connect(url, { onOpen, onClose }) {
    this.#closeSocket();
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    let opened = false;
    let init = null; // the init message whose binary init segment comes next
    ws.onopen = () => { opened = true; onOpen?.(); };
    ws.onmessage = (e) => {
      if (ws !== this.ws || this.failed) return;
      if (typeof e.data === 'string') {
        let msg;
        try { msg = JSON.parse(e.data); } catch { return; }
        if (msg && msg.type === 'init' && typeof msg.codec === 'string') init = msg;
        return;
      }
      if (init) { this.marks.init ??= performance.now(); this.#init(init.codec, e.data); init = null; return; }
      this.marks.firstFragment ??= performance.now();
      if (this.mime) this.#push({ kind: 'append', data: e.data });
    };
    ws.onclose = (e) => {
      if (ws !== this.ws) return;
      this.ws = null;
      onClose(e.code, opened);
    };
  }

  /** Hands the open socket a newer token (from a later POST /live) before the old one expires. */
  renew(token) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) { this.ws.send(JSON.stringify({ type: 'renew', token })); return true; }
    return false;
  }

  /** When the first init and fragment arrived, in ms after `origin` (performance.now() time). */
  timeline(origin) {
    return Object.fromEntries(Object.entries(this.marks).map(([k, v]) => [k, Math.round(v - origin)]));
  }

  get socketOpen() { return !!this.ws && this.ws.readyState === WebSocket.OPEN; }

  /** Stops the network; the video keeps its last frame. */
  stopNetwork() { this.#closeSocket(); }

  /** Releases everything; the element's picture goes with its source. */
  destroy() {
    this.#closeSocket();
    clearInterval(this.edgeTimer);
    this.queue = [];
    if (this.video.getAttribute('src') === this.objectUrl) { this.video.removeAttribute('src'); this.video.load(); }
    URL.revokeObjectURL(this.objectUrl);
  }

  #closeSocket() {
    const ws = this.ws;
    this.ws = null;
    if (ws && ws.readyState <= WebSocket.OPEN) ws.close(1000);
  }

  /** A new timeline (first connect, reconnect, ffmpeg restart): drop what was queued, remove what was buffered. */
  #init(codec, data) {
    const mime = `video/mp4; codecs="${codec}"`;
    if (!window.MediaSource.isTypeSupported(mime)) return this.#fatal(t('live.mseCodec', { codec: String(codec) }));
    this.queue = [];
    this.queuedBytes = 0;
    if (this.sb) this.queue.push({ kind: 'reset' });
    this.queue.push({ kind: 'init', mime, data });
    this.seekPending = true;
    void this.#pump();
  }

  #push(op) {
    this.queue.push(op);
    this.queuedBytes += op.data?.byteLength ?? 0;
    if (this.queuedBytes > MAX_QUEUED_BYTES) return this.#fatal('the decoder cannot keep up');
    void this.#pump();
  }

  async #pump() {
    if (this.failed) return;
    if (!this.sb) {
      const first = this.queue[0];
      if (!first || first.kind !== 'init' || this.creating) return;
      this.creating = true;
      await this.opened;
      this.creating = false;
      if (this.failed || this.ms.readyState !== 'open') return;
      try {
        this.sb = this.ms.addSourceBuffer(first.mime);
        this.sb.mode = 'segments';
      } catch (e) {
        return this.#fatal(t('live.mseNoBuffer', { mime: String(first.mime), error: String(e.message) }));
      }
      this.mime = first.mime;
      this.sb.addEventListener('updateend', () => { this.#keepLive(); void this.#pump(); });
      this.sb.addEventListener('error', () => this.#fatal('the SourceBuffer failed'));
    }
    const sb = this.sb;
    while (this.queue.length && !sb.updating && !this.failed) {
      const op = this.queue.shift();
      if (op.data) this.queuedBytes -= op.data.byteLength;
      try {
        if (op.kind === 'reset') {
          if (sb.buffered.length) { sb.remove(0, Infinity); return; }
          continue;
        }
        if (op.kind === 'remove') { sb.remove(op.start, op.end); return; }
        if (op.kind === 'init' && op.mime !== this.mime) {
          if (typeof sb.changeType !== 'function') return this.#fatal('the codec changed and this browser cannot switch');
          sb.changeType(op.mime);
          this.mime = op.mime;
        }
        sb.appendBuffer(op.data);
        if (op.kind === 'append') this.fragments += 1;
        return;
      } catch (e) {
        if (e && e.name === 'QuotaExceededError') {
          // Full: give back what is behind the play position, then try the same bytes again.
          this.queue.unshift(op);
          const t = this.video.currentTime;
          if (sb.buffered.length && t - sb.buffered.start(0) > 1) { sb.remove(0, t - 1); return; }
        }
        return this.#fatal(t('live.mseAppend', { error: String(e && e.message) }));
      }
    }
  }

  /** At the live edge: jump when far behind, run slightly faster when a little behind; trim what is long played. */
  #keepLive() {
    const v = this.video;
    const sb = this.sb;
    if (!sb || this.failed || v.error) return v.error && this.#fatal(t('live.mseDecode', { code: String(v.error.code) }));
    let b;
    try { b = v.buffered; } catch { return; }
    if (!b.length) return;
    const last = b.length - 1;
    const start = b.start(last);
    const end = b.end(last);
    const lag = end - v.currentTime;
    if (this.seekPending || v.currentTime < start || lag > MAX_LAG_S) {
      const to = Math.max(start, end - TARGET_LAG_S);
      if (Math.abs(v.currentTime - to) > 0.02) { v.currentTime = to; this.jumps += 1; }
      this.seekPending = false;
      v.playbackRate = 1;
    } else {
      v.playbackRate = lag > CATCH_UP_FROM_S ? CATCH_UP_RATE : 1;
    }
    if (v.paused) v.play().catch(() => undefined);
    if (!sb.updating && !this.queue.some((op) => op.kind === 'remove') && v.currentTime - b.start(0) > KEEP_BEHIND_S + 5) {
      this.queue.unshift({ kind: 'remove', start: 0, end: v.currentTime - KEEP_BEHIND_S });
      void this.#pump();
    }
  }

  #fatal(reason) {
    if (this.failed) return;
    this.failed = true;
    this.#closeSocket();
    this.onFatal(reason);
  }
}
