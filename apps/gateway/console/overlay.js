// Full-screen overlay that plays one camera's main stream, with the recording timeline and replay under it
// (replay.js) and, for PTZ cameras, the pan/tilt/zoom controls (ptz-controls.js).
// For the keyboard it is a modal dialog: opening it moves the focus onto its close button, Tab and Shift+Tab stay
// inside it, and Escape (or the close button) closes it and gives the focus back to where it came from (the wall's
// tile, the tree's camera).
import { createLiveView } from './player.js';
import { mountReplay } from './replay.js';
import { mountPtz } from './ptz-controls.js';
import { t } from './i18n.js';
import { h, statusBadge } from './util.js';

let current = null;

/** Closes the overlay; the focus goes back to the element it was opened from, when that is still on the page. */
export function closeOverlay() {
  const opener = close();
  if (opener?.isConnected && typeof opener.focus === 'function') opener.focus();
}

/** Closes without moving the focus; answers the element the overlay was opened from. */
function close() {
  if (!current) return null;
  const { opener } = current;
  current.destroy();
  document.removeEventListener('keydown', current.onKey);
  const root = document.getElementById('overlay');
  root.replaceChildren();
  root.hidden = true;
  for (const attr of ['role', 'aria-modal', 'aria-label']) root.removeAttribute(attr);
  current = null;
  return opener;
}

/** The elements Tab may reach inside `root`, in order. */
function tabbables(root) {
  return [...root.querySelectorAll('button, [href], input, select, textarea, [tabindex]')]
    .filter((el) => el.tabIndex >= 0 && !el.disabled && !el.closest('[hidden]') && el.getClientRects().length > 0);
}

/**
 * Opens the overlay on a camera ({id, name, status}); profile defaults to the main stream. With `replayFrom`
 * (ms) it opens playing the recording from that time instead of live.
 */
export function openLive(camera, profile = 'main', { replayFrom } = {}) {
  // One overlay replacing another keeps the first one's opener.
  const opener = close() ?? (document.activeElement !== document.body ? document.activeElement : null);
  const root = document.getElementById('overlay');
  const closeButton = h('button', { type: 'button', class: 'overlay-close', onclick: closeOverlay }, t('overlay.close'));
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
  const onKey = (e) => {
    if (e.key === 'Escape' && !replay.dialogOpen()) { e.preventDefault(); closeOverlay(); return; }
    if (e.key !== 'Tab' || replay.dialogOpen()) return;
    // Tab wraps round inside the overlay, and brings a focus that left it (a click on the page under it) back.
    const list = tabbables(root);
    if (!list.length) return;
    const at = list.indexOf(document.activeElement);
    if (at < 0 || (e.shiftKey && at === 0) || (!e.shiftKey && at === list.length - 1)) {
      e.preventDefault();
      (e.shiftKey ? list[list.length - 1] : list[0]).focus();
    }
  };
  document.addEventListener('keydown', onKey);
  root.replaceChildren(
    h('div', { class: 'overlay-bar' },
      h('strong', {}, camera.name ?? camera.id), ' ', statusBadge(camera.status), ' ', stateSlot, replay.actions,
      closeButton),
    videoBox,
    ptz.panel,
    replay.panel,
  );
  root.hidden = false;
  root.setAttribute('role', 'dialog');
  root.setAttribute('aria-modal', 'true');
  root.setAttribute('aria-label', t('a11y.overlay', { name: camera.name ?? camera.id }));
  closeButton.focus();
  current = { destroy: () => { stopLive(); replay.destroy(); ptz.destroy(); }, onKey, opener };
  if (replayFrom === undefined) startLive();
  else void replay.playFrom(replayFrom, Date.now());
}

/** Opens the overlay replaying `camera`'s recording from `fromMs` up to now. */
export function openReplay(camera, fromMs) {
  openLive(camera, 'main', { replayFrom: fromMs });
}
