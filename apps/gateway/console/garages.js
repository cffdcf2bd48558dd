// Post PC: the neighbourhood's garage cameras (or another tag) as refreshed snapshots; click to watch live.
import { api, apiAll, describeError } from './api.js';
import { t } from './i18n.js';
import { openLive } from './overlay.js';
import { Disposer, h, query, statusBadge, statusColour } from './util.js';

const REFRESH_MS = 5000;
const NO_SNAPSHOT_RETRY_MS = 60000;
const PARALLEL = 4;
const STATUS_REFRESH_MS = 15000;

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
  container.append(h('div', { class: 'toolbar' }, h('label', {}, t('garages.tag'), ' ', tagInput), h('span', { class: 'muted' }, t('garages.emptyHint')), summary), grid);

  function card(cam) {
    const img = h('img', { class: 'snapshot', alt: '', hidden: true });
    const badge = h('span', {}, statusBadge(cam.status));
    const dot = h('span', { class: 'dot' });
    const placeholder = h('div', { class: 'snapshot-placeholder' }, h('strong', {}, cam.name), badge);
    const node = h('button', { type: 'button', class: 'garage-card', dataset: { cameraId: cam.id }, onclick: () => openLive(c.cam, 'main') },
      h('div', { class: 'snapshot-box' }, img, placeholder),
      h('div', { class: 'garage-label' }, dot, ' ', cam.name));
    const c = { cam, node, img, placeholder, noSnapshotUntil: 0, url: null, setStatus(status) {
      c.cam = { ...c.cam, status };
      node.dataset.status = status;
      node.style.borderColor = statusColour(status);
      dot.style.background = statusColour(status);
      badge.replaceChildren(statusBadge(status));
    } };
    c.setStatus(cam.status);
    return c;
  }

  /** Status at a glance: re-reads the list and recolours the cards in place. */
  async function refreshStatuses() {
    if (closed || document.hidden || !cards.length) return;
    try {
      const list = await apiAll(`/api/cameras${query({ tag: tagInput.value.trim() })}`);
      const byId = new Map(list.map((c) => [c.id, c.status]));
      for (const c of cards) if (byId.has(c.cam.id) && byId.get(c.cam.id) !== c.cam.status) c.setStatus(byId.get(c.cam.id));
      summarise(list);
    } catch {
      // the next round tries again; errors of the main load are shown there
    }
  }

  function summarise(list) {
    const online = list.filter((c) => c.status === 'online').length;
    summary.textContent = t('garages.summary', { count: list.length, online, notOnline: list.length - online });
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
      const list = await apiAll(`/api/cameras${query({ tag: tagInput.value.trim() })}`);
      if (mine !== seq || closed) return;
      cards = list.map(card);
      grid.replaceChildren(...cards.map((c) => c.node));
      summarise(list);
      void refreshAll();
    } catch (e) {
      notify(describeError(e));
    }
  }

  d.interval(() => void refreshAll(), REFRESH_MS);
  d.interval(() => void refreshStatuses(), STATUS_REFRESH_MS);
  void load();
  return () => d.dispose();
}
