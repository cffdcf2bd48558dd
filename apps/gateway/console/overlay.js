// Full-screen overlay that plays one camera's main stream.
import { createLiveView } from './player.js';
import { t } from './i18n.js';
import { h, statusBadge } from './util.js';

let current = null;

export function closeOverlay() {
  if (!current) return;
  current.view.destroy();
  document.removeEventListener('keydown', current.onKey);
  const root = document.getElementById('overlay');
  root.replaceChildren();
  root.hidden = true;
  current = null;
}

/** Opens the overlay on a camera ({id, name, status}); profile defaults to the main stream. */
export function openLive(camera, profile = 'main') {
  closeOverlay();
  const root = document.getElementById('overlay');
  const view = createLiveView({ cameraId: camera.id, profile });
  const onKey = (e) => { if (e.key === 'Escape') closeOverlay(); };
  document.addEventListener('keydown', onKey);
  root.replaceChildren(
    h('div', { class: 'overlay-bar' },
      h('strong', {}, camera.name ?? camera.id), ' ', statusBadge(camera.status), ' ', view.stateEl,
      h('button', { type: 'button', class: 'overlay-close', onclick: closeOverlay }, t('overlay.close'))),
    h('div', { class: 'overlay-video', dataset: { cameraId: camera.id } }, view.video),
  );
  root.hidden = false;
  current = { view, onKey };
}
