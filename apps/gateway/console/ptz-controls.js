// Pan/tilt/zoom controls of the full-screen view (docs/ptz.md): arrow and zoom buttons, the keyboard (arrows, + / -)
// and mouse drag on the picture steer the camera; presets to go to and "save preset". Shown only when GET
// /api/cameras/{id}/ptz says the camera has PTZ and the user may steer it. A move is repeated every REPEAT_MS while
// held (each lasts MOVE_MS at the camera, so a closed page stops it), one request at a time and in order.
import { api, ApiError } from './api.js';
import { errorText, formatDate, t } from './i18n.js';
import { h } from './util.js';
import { BUTTON_SPEED, dragVelocity, isPtzKey, isStill, keysVelocity, sameVelocity } from './ptz-drag.js';

const REPEAT_MS = 400;
const MOVE_MS = 1000;
const REFRESH_MS = 3000;
const TWIN = { '+': '=', '=': '+', '-': '_', _: '-' };

const clock = (iso) => formatDate(iso, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
const fixed = (n) => (Math.round(n * 100) / 100).toFixed(2);
const typing = (el) => el instanceof HTMLElement && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));

/**
 * Mounts the controls for `camera` ({id}); `videoBox` is the overlay's picture area (drag there steers).
 * Returns {panel, destroy}; the panel stays hidden unless the camera has PTZ and the user may steer it.
 */
export function mountPtz({ camera, videoBox }) {
  const base = `/api/cameras/${encodeURIComponent(camera.id)}/ptz`;
  const message = h('span', { class: 'ptz-message', id: 'ptz-message', role: 'status' });
  const lease = h('span', { class: 'ptz-lease', id: 'ptz-lease' });
  const position = h('span', { class: 'ptz-position', id: 'ptz-position' });
  const presets = h('span', { class: 'ptz-presets', id: 'ptz-presets' });
  const nameInput = h('input', { type: 'text', name: 'ptz-preset-name', maxLength: 64, placeholder: t('ptz.presetName'), 'aria-label': t('ptz.presetName') });
  let info = null;
  let destroyed = false;
  let desired = null; // the velocity wanted now (null: still)
  let sent = null; // the last velocity the camera was told
  let stopOwed = false;
  let inFlight = false;
  let repeat = null;
  let heldByMe = false;
  let refused = false; // the gesture under way was refused: nothing more is asked until it ends
  const keys = new Set();

  const say = (text) => { message.textContent = text; };
  const explain = (e) => {
    const held = e instanceof ApiError && e.status === 409 ? e.body?.lease : null;
    say(held ? t('ptz.leaseHeld', { user: held.username, until: clock(held.until) }) : errorText(e?.code, e?.message, 'ptz'));
  };

  function showLease(l) {
    heldByMe = !!l?.mine;
    lease.textContent = !l ? '' : l.mine ? t('ptz.leaseMine', { until: clock(l.until) }) : t('ptz.leaseHeld', { user: l.username, until: clock(l.until) });
    lease.dataset.holder = l ? (l.mine ? 'me' : 'other') : 'none';
  }

  function showPresets(list) {
    presets.replaceChildren(
      ...(list.length === 0
        ? [h('span', { class: 'ptz-none' }, t('ptz.noPresets'))]
        : list.map((p) => h('button', { type: 'button', class: 'ptz-preset', dataset: { token: p.token }, onclick: () => void gotoPreset(p) }, p.name))),
    );
  }

  async function refresh() {
    let next;
    try { next = await api('GET', base); } catch { return; }
    if (destroyed) return;
    info = next;
    panel.hidden = !(info.available && info.canSteer);
    if (panel.hidden) return;
    if (info.status) position.textContent = t('ptz.position', { pan: fixed(info.status.pan), tilt: fixed(info.status.tilt), zoom: fixed(info.status.zoom) });
    position.dataset.pan = String(info.status?.pan ?? '');
    showPresets(info.presets);
    if (!inFlight && !desired) showLease(info.lease);
  }

  /** One command after another: the newest velocity (repeated while held), then a stop once still. */
  async function pump(again = false) {
    if (inFlight || destroyed) return;
    const v = desired;
    let path;
    let body;
    if (v && (again || !sameVelocity(v, sent))) { path = '/move'; body = { ...v, durationMs: MOVE_MS }; stopOwed = true; }
    else if (!v && stopOwed) path = '/stop';
    else return;
    inFlight = true;
    try {
      const answer = await api('POST', base + path, body);
      sent = v;
      if (!v) stopOwed = false;
      say('');
      showLease(answer.lease);
    } catch (e) {
      // refused (another user steers, no right) or failed: nothing more is sent until the next gesture
      explain(e);
      refused = desired !== null;
      desired = null;
      sent = null;
      stopOwed = false;
      clearInterval(repeat);
      repeat = null;
    } finally {
      inFlight = false;
    }
    if (!v && !destroyed) void refresh();
    void pump();
  }

  function steer(v) {
    if (isStill(v)) refused = false;
    else if (refused) return;
    desired = isStill(v) ? null : v;
    if (desired && !repeat) repeat = setInterval(() => void pump(true), REPEAT_MS);
    if (!desired) {
      clearInterval(repeat);
      repeat = null;
    }
    void pump();
  }

  async function command(path, body, done) {
    try {
      const answer = await api('POST', base + path, body);
      showLease(answer.lease);
      say(done(answer));
      await refresh();
    } catch (e) {
      explain(e);
    }
  }

  const gotoPreset = (p) => command(`/presets/${encodeURIComponent(p.token)}/goto`, undefined, () => t('ptz.gone', { name: p.name }));
  const savePreset = () => {
    const name = nameInput.value.trim();
    if (!name) { say(t('ptz.nameRequired')); nameInput.focus(); return; }
    void command('/presets', { name }, (a) => { nameInput.value = ''; return t('ptz.saved', { name: a.preset.name }); });
  };

  // a button steers while pressed
  const hold = (cls, label, v, text) => {
    const b = h('button', { type: 'button', class: `ptz-btn ${cls}`, title: label, 'aria-label': label }, text);
    let pressed = false;
    b.addEventListener('pointerdown', (e) => { if (e.button === 0) { pressed = true; b.setPointerCapture?.(e.pointerId); steer(v); } });
    for (const end of ['pointerup', 'pointercancel', 'lostpointercapture']) b.addEventListener(end, () => { if (pressed) { pressed = false; steer(null); } });
    return b;
  };
  const s = BUTTON_SPEED;
  const panel = h('div', { class: 'ptz-panel', id: 'ptz-panel', hidden: true },
    h('strong', {}, t('ptz.title')),
    h('span', { class: 'ptz-pad' },
      hold('ptz-left', t('ptz.left'), { pan: -s, tilt: 0, zoom: 0 }, '◀'),
      hold('ptz-up', t('ptz.up'), { pan: 0, tilt: s, zoom: 0 }, '▲'),
      hold('ptz-down', t('ptz.down'), { pan: 0, tilt: -s, zoom: 0 }, '▼'),
      hold('ptz-right', t('ptz.right'), { pan: s, tilt: 0, zoom: 0 }, '▶'),
      hold('ptz-zoom-in', t('ptz.zoomIn'), { pan: 0, tilt: 0, zoom: s }, '+'),
      hold('ptz-zoom-out', t('ptz.zoomOut'), { pan: 0, tilt: 0, zoom: -s }, '−')),
    position,
    h('span', { class: 'ptz-label' }, t('ptz.presets')), presets,
    nameInput,
    h('button', { type: 'button', id: 'ptz-save', onclick: savePreset }, t('ptz.savePreset')),
    lease, message,
    h('span', { class: 'ptz-hint' }, t('ptz.hint')));

  // mouse drag on the picture: the vector from the press point is the velocity; release stops
  let dragFrom = null;
  const onDown = (e) => {
    if (panel.hidden || e.button !== 0) return;
    dragFrom = { x: e.clientX, y: e.clientY };
    videoBox.setPointerCapture?.(e.pointerId);
    videoBox.classList.add('ptz-dragging');
    e.preventDefault();
  };
  const onMove = (e) => {
    if (!dragFrom) return;
    const r = videoBox.getBoundingClientRect();
    steer(dragVelocity(e.clientX - dragFrom.x, e.clientY - dragFrom.y, r.width, r.height));
  };
  const onUp = () => {
    if (!dragFrom) return;
    dragFrom = null;
    videoBox.classList.remove('ptz-dragging');
    steer(null);
  };
  videoBox.addEventListener('pointerdown', onDown);
  videoBox.addEventListener('pointermove', onMove);
  videoBox.addEventListener('pointerup', onUp);
  videoBox.addEventListener('pointercancel', onUp);

  // keyboard: arrows pan and tilt, + / - zoom, while held
  const onKey = (e) => {
    if (panel.hidden || !isPtzKey(e.key) || typing(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
    e.preventDefault();
    if (e.type === 'keydown') keys.add(e.key);
    else for (const k of [e.key, TWIN[e.key]]) keys.delete(k); // Shift let go first: the "+" comes up as "="
    steer(keysVelocity([...keys]));
  };
  const onBlur = () => { keys.clear(); if (!dragFrom) steer(null); };
  document.addEventListener('keydown', onKey);
  document.addEventListener('keyup', onKey);
  window.addEventListener('blur', onBlur);

  void refresh();
  const poll = setInterval(() => { if (!panel.hidden && !desired) void refresh(); }, REFRESH_MS);

  return {
    panel,
    destroy() {
      destroyed = true;
      clearInterval(poll);
      clearInterval(repeat);
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('keyup', onKey);
      window.removeEventListener('blur', onBlur);
      videoBox.removeEventListener('pointerdown', onDown);
      videoBox.removeEventListener('pointermove', onMove);
      videoBox.removeEventListener('pointerup', onUp);
      videoBox.removeEventListener('pointercancel', onUp);
      const moving = stopOwed || inFlight;
      if (!moving && !heldByMe) return;
      // closing the view stops the camera and gives the lease up, so another operator need not wait for it
      void (async () => {
        if (moving) await api('POST', `${base}/stop`).catch(() => undefined);
        await api('POST', `${base}/release`).catch(() => undefined);
      })();
    },
  };
}
