// Recorded video in the full-screen view (docs/recording.md "Timeline", "Playback", "Console"): a timeline of an
// hour (GET /api/cameras/:id/recordings; spans green, gaps hatched), moved back and forth by an hour or to a typed
// date and time; a click on a span plays the recording from that wall-clock time (POST /playback, the VOD playlist
// in hls.js, the position found through each segment's EXT-X-PROGRAM-DATE-TIME); the wall-clock time being played
// is shown and marked on the timeline; "Back to live" hands the view back to the live player. A range without
// recording is said in words, never shown as a black picture. Export (admin, operator): export-dialog.js.
import { api, currentSession, describeError } from './api.js';
import { localInputValue, openExportDialog, parseLocalInput } from './export-dialog.js';
import { formatDate, t } from './i18n.js';
import { h } from './util.js';

export const WINDOW_MS = 3600_000;
/** A playback asks for this much recording after the chosen time (the API allows 24 h). */
const PLAY_AHEAD_MS = 3600_000;
/** The timeline is asked again this often while its window ends now (the newest segments appear). */
const REFRESH_MS = 10_000;
/** The export dialog's default range without a selection: the last two minutes. */
const DEFAULT_EXPORT_MS = 120_000;
/** A pointer that moved less than this (px) between down and up is a click, not a selection. */
const DRAG_PX = 4;
const EXPORT_ROLES = ['admin', 'operator'];
const HLS_VOD_CONFIG = { autoStartLoad: false, maxBufferLength: 20, maxMaxBufferLength: 40, backBufferLength: 30, enableWorker: true, lowLatencyMode: false };

const iso = (ms) => new Date(ms).toISOString();
/** Date and time to the second, 24-hour clock, in the console's language. */
export const formatWallClock = (ms) => formatDate(ms, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
const formatClock = (ms) => formatDate(ms, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
const formatHm = (ms) => formatDate(ms, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** Whether the logged-in user's role may export footage (the API checks again: POST /exports is admin/operator). */
export const mayExport = () => EXPORT_ROLES.includes(currentSession()?.user?.role);

/**
 * The wall-clock time (ms) shown at media time `t` (s), from the playlist's fragments (hls.js: start, duration,
 * programDateTime); null without program date times.
 */
export function wallClockAt(fragments, t) {
  let frag = null;
  for (const f of fragments ?? []) {
    if (f.start > t) break;
    frag = f;
  }
  frag ??= fragments?.[0];
  if (!frag || !Number.isFinite(frag.programDateTime)) return null;
  return frag.programDateTime + Math.max(0, t - frag.start) * 1000;
}

/** The media time (s) where wall-clock `ms` plays (the next recorded moment when `ms` falls in a gap). */
export function mediaTimeOf(fragments, ms) {
  for (const f of fragments ?? []) {
    if (!Number.isFinite(f.programDateTime)) continue;
    const end = f.programDateTime + f.duration * 1000;
    if (ms < f.programDateTime) return f.start;
    if (ms < end) return f.start + (ms - f.programDateTime) / 1000;
  }
  const last = fragments?.[fragments.length - 1];
  return last ? last.start : 0;
}

/**
 * The replay part of a full-screen view of `camera`. `videoBox` is the overlay's picture area; `onLive()` puts
 * the live player in it (the overlay's live path), `onReplay()` stops the live player before a recording plays.
 * Returns {actions (buttons for the overlay's bar), panel (the timeline, under the picture), playFrom, dialogOpen, destroy}.
 */
export function mountReplay({ camera, videoBox, onLive, onReplay }) {
  let windowEnd = null; // null: the window ends now and follows it
  let timeline = { profile: undefined, spans: [], gaps: [] };
  let timelineSeq = 0;
  let playSeq = 0;
  let mode = 'live';
  let hls = null;
  let video = null;
  let fragments = [];
  let playedMs = null;
  let selection = null; // {from, to}
  let dialog = null;
  const timers = [];

  const windowRange = () => {
    const to = windowEnd ?? Date.now();
    return { from: to - WINDOW_MS, to };
  };

  // --- bar: mode, clock, back to live, export
  const modeChip = h('span', { class: 'chip replay-mode', id: 'replay-mode' });
  const clock = h('span', { class: 'replay-clock', id: 'replay-clock', 'aria-live': 'polite' });
  const liveButton = h('button', { type: 'button', id: 'replay-back-to-live', class: 'replay-live-button', hidden: true, onclick: () => backToLive() }, t('replay.backToLive'));
  const exportButton = mayExport()
    ? h('button', { type: 'button', id: 'replay-export', onclick: () => openExport() }, t('replay.export'))
    : null;
  const actions = h('span', { class: 'replay-actions' }, modeChip, clock, liveButton, exportButton);

  // --- panel: window controls, the track, legend and messages
  const earlier = h('button', { type: 'button', id: 'replay-earlier', onclick: () => moveWindow(-WINDOW_MS) }, t('replay.earlier'));
  const later = h('button', { type: 'button', id: 'replay-later', onclick: () => moveWindow(WINDOW_MS) }, t('replay.later'));
  const nowButton = h('button', { type: 'button', id: 'replay-now', onclick: () => { windowEnd = null; void loadTimeline(); } }, t('replay.now'));
  const jumpInput = h('input', { type: 'datetime-local', id: 'replay-jump', step: 1, 'aria-label': t('replay.jumpLabel') });
  const jumpButton = h('button', { type: 'button', id: 'replay-jump-go', onclick: () => jump() }, t('replay.jump'));
  const windowLabel = h('span', { class: 'muted', id: 'replay-window' });
  const track = h('div', { class: 'replay-track', id: 'replay-track', role: 'group', 'aria-label': t('replay.timeline') });
  const ticks = h('div', { class: 'replay-ticks', 'aria-hidden': 'true' });
  const head = h('div', { class: 'replay-head', id: 'replay-head', hidden: true });
  const sel = h('div', { class: 'replay-sel', hidden: true });
  const selLabel = h('span', { class: 'muted', id: 'replay-selection' });
  const clearSel = h('button', { type: 'button', id: 'replay-clear-selection', hidden: true, onclick: () => setSelection(null) }, t('replay.clearSelection'));
  const note = h('p', { class: 'replay-note', id: 'replay-note', role: 'status' });
  const panel = h('div', { class: 'replay-panel', id: 'replay-panel' },
    h('div', { class: 'row' }, earlier, windowLabel, later, nowButton,
      h('label', {}, t('replay.jumpLabel'), ' ', jumpInput), jumpButton,
      h('span', { class: 'replay-legend' },
        h('span', { class: 'replay-swatch replay-swatch-span' }), ` ${t('replay.legendSpan')} `,
        h('span', { class: 'replay-swatch replay-swatch-gap' }), ` ${t('replay.legendGap')}`)),
    track, ticks,
    h('div', { class: 'row' }, h('span', { class: 'muted' }, t('replay.hint')), selLabel, clearSel),
    note);

  function setNote(text, kind = 'info') {
    note.textContent = text ?? '';
    note.className = `replay-note ${kind}`;
  }

  // --- the timeline
  async function loadTimeline() {
    const seq = ++timelineSeq;
    const range = windowRange();
    drawWindow(range);
    try {
      const answer = await api('GET', `/api/cameras/${encodeURIComponent(camera.id)}/recordings?from=${iso(range.from)}&to=${iso(range.to)}`);
      if (seq !== timelineSeq) return;
      timeline = answer;
      drawTimeline(range);
    } catch (e) {
      if (seq !== timelineSeq) return;
      timeline = { profile: undefined, spans: [], gaps: [] };
      drawTimeline(range);
      setNote(t('replay.timelineError', { error: describeError(e) }), 'error');
    }
  }

  const pct = (ms, range) => `${(Math.min(Math.max((ms - range.from) / (range.to - range.from), 0), 1) * 100).toFixed(3)}%`;
  const timeAtX = (clientX) => {
    const r = track.getBoundingClientRect();
    const range = shownRange;
    return range.from + Math.min(Math.max((clientX - r.left) / r.width, 0), 1) * (range.to - range.from);
  };
  let shownRange = windowRange();

  function drawWindow(range) {
    windowLabel.textContent = t('replay.window', { from: formatWallClock(range.from), to: formatWallClock(range.to) });
    later.disabled = windowEnd === null;
    jumpInput.max = localInputValue(Date.now());
  }

  function drawTimeline(range) {
    shownRange = range;
    const spans = timeline.spans.map((s) => {
      const from = Date.parse(s.from);
      const to = Date.parse(s.to);
      const el = h('button', {
        type: 'button',
        class: 'replay-span',
        dataset: { from: s.from, to: s.to },
        title: t('replay.span', { from: formatClock(from), to: formatClock(to) }),
        'aria-label': t('replay.span', { from: formatClock(from), to: formatClock(to) }),
        // A keyboard press (no pointer: detail 0) plays the span from its start; a pointer click is handled on the track.
        onclick: (e) => { if (e.detail === 0) void playFrom(from); },
      });
      el.style.left = pct(from, range);
      el.style.width = `max(2px, calc(${pct(to, range)} - ${pct(from, range)}))`;
      return el;
    });
    track.replaceChildren(...spans, sel, head);
    const tickEls = [];
    const step = 10 * 60_000;
    for (let at = Math.ceil(range.from / step) * step; at <= range.to; at += step) {
      const el = h('span', { class: 'replay-tick' }, formatHm(at));
      el.style.left = pct(at, range);
      tickEls.push(el);
    }
    ticks.replaceChildren(...tickEls);
    drawSelection();
    drawHead();
  }

  function drawHead() {
    const range = shownRange;
    const at = mode === 'live' ? Date.now() : playedMs;
    head.hidden = at === null || at < range.from || at > range.to;
    if (!head.hidden) head.style.left = pct(at, range);
    head.classList.toggle('replay-head-live', mode === 'live');
  }

  function drawSelection() {
    sel.hidden = !selection;
    clearSel.hidden = !selection;
    selLabel.textContent = selection ? t('replay.selection', { from: formatWallClock(selection.from), to: formatClock(selection.to) }) : '';
    if (!selection) return;
    sel.style.left = pct(selection.from, shownRange);
    sel.style.width = `calc(${pct(selection.to, shownRange)} - ${pct(selection.from, shownRange)})`;
  }

  function setSelection(value) {
    selection = value && value.to - value.from >= 1000 ? value : null;
    drawSelection();
  }

  function moveWindow(delta) {
    const end = (windowEnd ?? Date.now()) + delta;
    windowEnd = end >= Date.now() ? null : end;
    void loadTimeline();
  }

  function jump() {
    const at = parseLocalInput(jumpInput.value);
    if (!Number.isFinite(at)) { setNote(t('replay.jumpInvalid'), 'error'); return; }
    // The chosen time in the middle of the window (or the window ending now when that is later).
    const end = at + WINDOW_MS / 2;
    windowEnd = end >= Date.now() ? null : end;
    void loadTimeline();
  }

  // A click on the track plays from that time (a gap says so); a drag selects a range for the export.
  let drag = null;
  track.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    drag = { x: e.clientX, at: timeAtX(e.clientX), moved: false };
    track.setPointerCapture?.(e.pointerId);
  });
  track.addEventListener('pointermove', (e) => {
    if (!drag) return;
    if (Math.abs(e.clientX - drag.x) >= DRAG_PX) drag.moved = true;
    if (drag.moved) {
      const at = timeAtX(e.clientX);
      setSelection({ from: Math.min(drag.at, at), to: Math.max(drag.at, at) });
    }
  });
  track.addEventListener('pointerup', (e) => {
    if (!drag) return;
    const d = drag;
    drag = null;
    if (d.moved) return;
    const at = timeAtX(e.clientX);
    const recorded = timeline.spans.some((s) => Date.parse(s.from) <= at && at < Date.parse(s.to));
    if (recorded) void playFrom(at);
    else setNote(t('replay.noRecordingAt', { time: formatWallClock(at) }), 'error');
  });
  track.addEventListener('pointercancel', () => { drag = null; });

  // --- playback
  function stopPlayback() {
    playSeq++;
    hls?.destroy();
    hls = null;
    if (video) { video.removeAttribute('src'); video.load(); video.remove(); }
    video = null;
    fragments = [];
    playedMs = null;
  }

  function showMessage(text) {
    stopPlayback();
    videoBox.replaceChildren(h('div', { class: 'replay-message', id: 'replay-message', role: 'alert' }, h('p', {}, text),
      h('button', { type: 'button', onclick: () => backToLive() }, t('replay.backToLive'))));
    clock.textContent = '';
    delete clock.dataset.wallClock;
  }

  function setMode(next) {
    mode = next;
    modeChip.textContent = next === 'live' ? t('replay.modeLive') : t('replay.modeReplay');
    modeChip.dataset.mode = next;
    liveButton.hidden = next === 'live';
    if (next === 'live') clock.textContent = '';
    drawHead();
  }

  function updateClock() {
    if (!video || mode !== 'replay') return;
    const at = wallClockAt(fragments, video.currentTime);
    if (at === null) return;
    playedMs = at;
    clock.textContent = t('replay.playing', { time: formatWallClock(at) });
    clock.dataset.wallClock = iso(at);
    drawHead();
  }

  /** Plays the recording from wall-clock `fromMs` (to `toMs`, default an hour later or now). */
  async function playFrom(fromMs, toMs = Math.min(fromMs + PLAY_AHEAD_MS, Date.now())) {
    stopPlayback();
    onReplay();
    setMode('replay');
    setNote('');
    const seq = playSeq;
    videoBox.replaceChildren(h('div', { class: 'replay-message', id: 'replay-loading', role: 'status' }, h('p', {}, t('replay.loading', { time: formatWallClock(fromMs) }))));
    clock.textContent = '';
    delete clock.dataset.wallClock;
    // The window shows the time played.
    if (fromMs < shownRange.from || fromMs > shownRange.to) { const end = fromMs + WINDOW_MS / 2; windowEnd = end >= Date.now() ? null : end; void loadTimeline(); }
    let answer;
    try {
      if (toMs - fromMs < 1000) throw Object.assign(new Error('empty range'), { code: 'NOT_FOUND' });
      answer = await api('POST', `/api/cameras/${encodeURIComponent(camera.id)}/playback`, { from: iso(fromMs), to: iso(toMs), ...(timeline.profile ? { profile: timeline.profile } : {}) });
    } catch (e) {
      if (seq !== playSeq) return;
      showMessage(e?.code === 'NOT_FOUND' ? t('replay.noRecording', { from: formatWallClock(fromMs), to: formatClock(toMs) }) : describeError(e, 'replay'));
      return;
    }
    if (seq !== playSeq) return;
    if (!(window.Hls && window.Hls.isSupported())) { showMessage(t('replay.noHls')); return; }
    const v = h('video', { class: 'live-video replay-video', id: 'replay-video', muted: true, playsInline: true, autoplay: true });
    video = v;
    const player = new window.Hls(HLS_VOD_CONFIG);
    hls = player;
    let started = false;
    player.on(window.Hls.Events.LEVEL_LOADED, (_evt, data) => {
      if (seq !== playSeq) return;
      fragments = data.details.fragments;
      if (!started) {
        started = true;
        // Seek by program date time: where the chosen wall-clock second is in the playlist.
        player.startLoad(mediaTimeOf(fragments, fromMs));
      }
    });
    player.on(window.Hls.Events.LEVEL_UPDATED, (_evt, data) => { if (seq === playSeq) fragments = data.details.fragments; });
    player.on(window.Hls.Events.MANIFEST_PARSED, () => { v.play().catch(() => undefined); });
    player.on(window.Hls.Events.ERROR, (_evt, data) => {
      if (seq !== playSeq || !data.fatal) return;
      showMessage(t('replay.streamError', { details: String(data.details) }));
    });
    v.addEventListener('timeupdate', updateClock);
    v.addEventListener('playing', () => { if (seq === playSeq) videoBox.querySelector('#replay-loading')?.remove(); });
    v.addEventListener('ended', () => { if (seq === playSeq) setNote(t('replay.ended', { time: formatWallClock(playedMs ?? toMs) })); });
    player.loadSource(answer.hlsUrl);
    player.attachMedia(v);
    videoBox.append(v);
  }

  function backToLive() {
    stopPlayback();
    setNote('');
    setMode('live');
    onLive();
  }

  function openExport() {
    const range = selection ?? { from: Date.now() - DEFAULT_EXPORT_MS, to: Date.now() };
    dialog = openExportDialog({ camera, profile: timeline.profile, from: range.from, to: range.to, onClose: () => { dialog = null; } });
  }

  timers.push(setInterval(() => { if (windowEnd === null) void loadTimeline(); }, REFRESH_MS));
  timers.push(setInterval(() => { if (mode === 'live') drawHead(); }, 1000));
  setMode('live');
  void loadTimeline();

  return {
    actions,
    panel,
    playFrom: (fromMs, toMs) => playFrom(fromMs, toMs),
    dialogOpen: () => dialog !== null,
    destroy() {
      timelineSeq++;
      for (const id of timers) clearInterval(id);
      stopPlayback();
      dialog?.close();
    },
  };
}
