// Full-screen overlay that plays one camera's main stream, with the recording timeline and replay under it
// (replay.js) and, for PTZ cameras, the pan/tilt/zoom controls (ptz-controls.js).
import { createLiveView } from './player.js';
import { mountReplay } from './replay.js';
import { mountPtz } from './ptz-controls.js';
import { t } from './i18n.js';
import { h, statusBadge } from './util.js';

let current = null;

export function closeOverlay() {
  if (!current) return;
  current.destroy();
  document.removeEventListener('keydown', current.onKey);
  const root = document.getElementById('overlay');
  root.replaceChildren();
  root.hidden = true;
  current = null;
}

/**
 * Opens the overlay on a camera ({id, name, status}); profile defaults to the main stream. With `replayFrom`
 * (ms) it opens playing the recording from that time instead of live.
 */
export function openLive(camera, profile = 'main', { replayFrom } = {}) {
  closeOverlay();
  const root = document.getElementById('overlay');
  const videoBox = h('div', { class: 'overlay-video', dataset: { cameraId: camera.id } });
  const stateSlot = h('span', { class: 'overlay-state' });
  let view = null;
  const stopLive = () => { view?.destroy(); view = null; stateSlot.replaceChildren(); };
  const startLive = () => {
    stopLive();
    view = createLiveView({ cameraId: camera.id, profile });
    videoBox.replaceChildren(view.video);
    stateSlot.replaceChildren(view.stateEl);
  };
  const replay = mountReplay({ camera, videoBox, onLive: startLive, onReplay: stopLive });
  const ptz = mountPtz({ camera, videoBox }); // pan/tilt/zoom controls, for PTZ cameras the user may steer
  // Esc closes the overlay, unless a dialog of it (the export) is open: then Esc closes that dialog.
  const onKey = (e) => { if (e.key === 'Escape' && !replay.dialogOpen()) closeOverlay(); };
  document.addEventListener('keydown', onKey);
  root.replaceChildren(
    h('div', { class: 'overlay-bar' },
      h('strong', {}, camera.name ?? camera.id), ' ', statusBadge(camera.status), ' ', stateSlot, replay.actions,
      h('button', { type: 'button', class: 'overlay-close', onclick: closeOverlay }, t('overlay.close'))),
    videoBox,
    ptz.panel,
    replay.panel,
  );
  root.hidden = false;
  current = { destroy: () => { stopLive(); replay.destroy(); ptz.destroy(); }, onKey };
  if (replayFrom === undefined) startLive();
  else void replay.playFrom(replayFrom, Date.now());
}

/** Opens the overlay replaying `camera`'s recording from `fromMs` up to now. */
export function openReplay(camera, fromMs) {
  openLive(camera, 'main', { replayFrom: fromMs });
}
