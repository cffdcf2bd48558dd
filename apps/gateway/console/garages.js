// Post PC: the neighbourhood's garage cameras (or another tag) as refreshed snapshots; click to watch live.
import { api, describeError } from './api.js';
import { openLive } from './overlay.js';
import { Disposer, h, query, statusBadge, statusColour } from './util.js';

const REFRESH_MS = 5000;
const NO_SNAPSHOT_RETRY_MS = 60000;
const PARALLEL = 4;

export function mountGarages(container, { notify }) {
  const d = new Disposer();
  const urls = new Set();
  d.add(() => { for (const u of urls) URL.revokeObjectURL(u); urls.clear(); });
  let cards = [];
  let closed = false;
  d.add(() => { closed = true; });

  const tagInput = h('input', { id: 'garages-tag', value: 'garage', size: 10 });
  tagInput.addEventListener('change', () => void load());
  const grid = h('div', { class: 'garage-grid', id: 'garage-grid' });
  const summary = h('span', { class: 'muted', id: 'garage-summary' });
  container.append(h('div', { class: 'toolbar' }, h('label', {}, 'Tag ', tagInput), h('span', { class: 'muted' }, '(empty: every camera in my scope)'), summary), grid);

  function card(cam) {
    const img = h('img', { class: 'snapshot', alt: '', hidden: true });
    const placeholder = h('div', { class: 'snapshot-placeholder' }, h('strong', {}, cam.name), statusBadge(cam.status));
    const node = h('button', { type: 'button', class: `garage-card status-border-${cam.status}`, dataset: { cameraId: cam.id, status: cam.status }, style: `border-color:${statusColour(cam.status)}`, onclick: () => openLive(cam, 'main') },
      h('div', { class: 'snapshot-box' }, img, placeholder),
      h('div', { class: 'garage-label' }, h('span', { class: 'dot', style: `background:${statusColour(cam.status)}` }), ' ', cam.name));
    return { cam, node, img, placeholder, noSnapshotUntil: 0, url: null };
  }

  async function refreshOne(c) {
    if (Date.now() < c.noSnapshotUntil) return;
    try {
      const res = await api('GET', `/api/cameras/${encodeURIComponent(c.cam.id)}/snapshot`, undefined, { raw: true });
      const blob = await res.blob();
      if (closed) return;
      const url = URL.createObjectURL(blob);
      urls.add(url);
      c.img.src = url;
      c.img.hidden = false;
      c.placeholder.hidden = true;
      if (c.url) { URL.revokeObjectURL(c.url); urls.delete(c.url); }
      c.url = url;
    } catch {
      // 404 (no snapshot support yet) or a camera that does not answer: show name and status instead.
      c.noSnapshotUntil = Date.now() + NO_SNAPSHOT_RETRY_MS;
      c.img.hidden = true;
      c.placeholder.hidden = false;
    }
  }

  let refreshing = false;
  async function refreshAll() {
    if (refreshing || closed || document.hidden) return;
    refreshing = true;
    try {
      const queue = [...cards];
      await Promise.all(Array.from({ length: PARALLEL }, async () => {
        while (queue.length && !closed) await refreshOne(queue.shift());
      }));
    } finally {
      refreshing = false;
    }
  }

  let seq = 0;
  async function load() {
    const mine = ++seq;
    try {
      const list = await api('GET', `/api/cameras${query({ tag: tagInput.value.trim() })}`);
      if (mine !== seq || closed) return;
      cards = list.map(card);
      grid.replaceChildren(...cards.map((c) => c.node));
      const online = list.filter((c) => c.status === 'online').length;
      summary.textContent = `${list.length} cameras, ${online} online, ${list.length - online} not online`;
      void refreshAll();
    } catch (e) {
      notify(describeError(e));
    }
  }

  d.interval(() => void refreshAll(), REFRESH_MS);
  void load();
  return () => d.dispose();
}
