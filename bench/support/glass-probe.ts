/**
 * The in-page half of bench:glass: reads the capture time burnt into each presented frame (see
 * stamped-source.py: 40 blocks, the low 32 bits of ms since the epoch then an XOR check byte) and notes when the
 * MSE WebSocket brought each fragment. Evaluated as a plain script in the page (window.__glass), so it runs the
 * same in the console's page and in the baseline's page.
 */
export const GLASS_PROBE = String.raw`(() => {
  if (window.__glass) return;
  const BITS = 40;
  const TWO32 = 4294967296;
  const g = { frames: [], bad: 0, arrivals: [], watching: null };
  window.__glass = g;

  /** tfdt baseMediaDecodeTime of a moof+mdat message (moof > traf > tfdt), or null. */
  function tfdtOf(buf) {
    const v = new DataView(buf);
    const boxes = (start, end, want) => {
      for (let at = start; at + 8 <= end;) {
        const size = v.getUint32(at);
        const type = String.fromCharCode(v.getUint8(at + 4), v.getUint8(at + 5), v.getUint8(at + 6), v.getUint8(at + 7));
        if (size < 8) return null;
        if (type === want) return [at + 8, at + size];
        at += size;
      }
      return null;
    };
    const moof = boxes(0, buf.byteLength, 'moof');
    const traf = moof && boxes(moof[0], moof[1], 'traf');
    const tfdt = traf && boxes(traf[0], traf[1], 'tfdt');
    if (!tfdt) return null;
    return v.getUint8(tfdt[0]) === 1 ? v.getUint32(tfdt[0] + 4) * TWO32 + v.getUint32(tfdt[0] + 8) : v.getUint32(tfdt[0] + 4);
  }

  // Every WebSocket of the page notes its binary messages' arrival (the console's MseStream opens its own).
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...a) {
      super(...a);
      this.addEventListener('message', (e) => {
        if (typeof e.data === 'string') return;
        const at = Date.now();
        const tfdt = e.data instanceof ArrayBuffer ? tfdtOf(e.data) : null;
        if (tfdt !== null) g.arrivals.push({ tfdt, at, bytes: e.data.byteLength });
      });
    }
  };

  /** Reads the code row of the frame being presented; null when the check byte does not match. */
  function read(ctx, width, block) {
    const data = ctx.getImageData(0, 0, width, block).data;
    const inner = Math.max(2, Math.floor(block / 2));
    const off = Math.floor((block - inner) / 2);
    let hi = 0;
    let lo = 0;
    for (let i = 0; i < BITS; i++) {
      let sum = 0;
      for (let y = off; y < off + inner; y++) for (let x = i * block + off; x < i * block + off + inner; x++) sum += data[(y * width + x) * 4];
      const bit = sum / (inner * inner) > 128 ? 1 : 0;
      if (i < 32) hi = hi * 2 + bit; else lo = lo * 2 + bit;
    }
    const check = ((hi >>> 24) ^ (hi >>> 16) ^ (hi >>> 8) ^ hi ^ 0x5a) & 0xff;
    return check === lo ? hi : null;
  }

  /** Watches a video: on every presented frame, the stamp it carries, when it showed, where it is in the buffer. */
  g.watch = (video) => {
    const token = {};
    g.watching = token;
    g.video_ = video;
    const canvas = document.createElement('canvas');
    let ctx = null;
    const onFrame = (now, meta) => {
      if (g.watching !== token) return;
      const shownAt = Date.now();
      const width = video.videoWidth;
      const block = Math.floor(width / BITS);
      if (block >= 4) {
        if (!ctx || canvas.width !== width) {
          canvas.width = width;
          canvas.height = block;
          ctx = canvas.getContext('2d', { willReadFrequently: true });
        }
        ctx.drawImage(video, 0, 0, width, block, 0, 0, width, block);
        const low = read(ctx, width, block);
        if (low === null) g.bad += 1;
        else {
          // The full time: the stamp is the low 32 bits of a time shortly before now.
          const stamp = shownAt - ((((shownAt % TWO32) - low) % TWO32) + TWO32) % TWO32;
          let ahead = null;
          try { const b = video.buffered; if (b.length) ahead = b.end(b.length - 1) - video.currentTime; } catch { ahead = null; }
          g.frames.push({ stamp, shownAt, expectedAt: performance.timeOrigin + meta.expectedDisplayTime, mediaTime: meta.mediaTime, ahead });
        }
      }
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  };
  g.stop = () => { g.watching = null; };
  /** A video element above the page (the players under test draw into it). */
  g.video = () => {
    const v = document.createElement('video');
    v.id = 'glass-video';
    v.muted = true;
    v.autoplay = true;
    v.playsInline = true;
    v.style.cssText = 'position:fixed;left:0;top:0;width:640px;height:360px;z-index:99999;background:#000';
    document.body.append(v);
    return v;
  };
  /** Takes what was recorded so far (and forgets it). */
  g.take = () => {
    const q = g.video_ && g.video_.getVideoPlaybackQuality ? g.video_.getVideoPlaybackQuality() : null;
    const out = { frames: g.frames, bad: g.bad, arrivals: g.arrivals, quality: q && { total: q.totalVideoFrames, dropped: q.droppedVideoFrames } };
    g.frames = [];
    g.bad = 0;
    g.arrivals = [];
    return out;
  };
})()`;
