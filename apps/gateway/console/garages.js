// Post PC: the neighbourhood's garage cameras (or another tag) as refreshed snapshots with their age, grey when stale,
// an offline card saying since when; click to watch live, a replay button where there are recordings
// (garage-card.js; docs/operators.md "Garage thumbnails").
import { api, apiAll, describeError } from './api.js';
import { garageCard } from './garage-card.js';
import { t } from './i18n.js';
import { subscribeEvents } from './live-events.js';
import { Disposer, h, query } from './util.js';

/** A new snapshot of every card this often; a thumbnail is stale after STALE_FACTOR (thumbnail-age.js) of these. */
export const REFRESH_MS = 5000;
const NO_SNAPSHOT_RETRY_MS = 60000;
const PARALLEL = 4;
const STATUS_REFRESH_MS = 15000;
/** The ages are redrawn this often. */
const TICK_MS = 1000;
/** Which cameras have recordings (the last RECORDED_WINDOW_MS) is asked again this often. */
const RECORDINGS_CHECK_MS = 60_000;
const RECORDED_WINDOW_MS = 3600_000;

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

  /** Status at a glance: re-reads the list and recolours the cards in place (the push channel is faster; this is the net). */
  async function refreshStatuses() {
    if (closed || document.hidden || !cards.length) return;
    try {
      const list = await apiAll(`/api/cameras${query({ tag: tagInput.value.trim() })}`);
      const byId = new Map(list.map((c) => [c.id, c]));
      for (const c of cards) {
        const now = byId.get(c.cam.id);
        if (now && now.status !== c.cam.status) { c.cam = { ...c.cam, lastSeenAt: now.lastSeenAt }; c.setStatus(now.status); }
      }
      summarise(list);
    } catch {
      // the next round tries again; errors of the main load are shown there
    }
  }

  // camera-status {cameraId, status, at}: `at` is when the status changed, the "since" of an offline card.
  // Kept per camera too: the current statuses come at once on connect, maybe before the cards exist.
  const pushed = new Map();
  d.add(subscribeEvents(({ type, data }) => {
    if (type !== 'camera-status' || !data?.cameraId) return;
    const change = { status: data.status, at: Date.parse(data.at) || undefined };
    pushed.set(data.cameraId, change);
    const c = cards.find((x) => x.cam.id === data.cameraId);
    if (c) c.setStatus(change.status, change.at);
  }));

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
      const old = c.url;
      c.showSnapshot(url);
      if (old) { URL.revokeObjectURL(old); urls.delete(old); }
    } catch {
      // 404 (no snapshot support) or a camera that does not answer: the last picture ages (grey once stale).
      c.noSnapshotUntil = Date.now() + NO_SNAPSHOT_RETRY_MS;
      c.noSnapshot();
    }
  }

  /** Runs `job` over every card, PARALLEL at a time. */
  async function eachCard(job) {
    const queue = [...cards];
    await Promise.all(Array.from({ length: PARALLEL }, async () => {
      while (queue.length && !closed) await job(queue.shift());
    }));
  }

  let refreshing = false;
  async function refreshAll() {
    if (refreshing || closed || document.hidden) return;
    refreshing = true;
    try { await eachCard(refreshOne); } finally { refreshing = false; }
  }

  /** The newest recorded span of the last hour, per card: a replay button where there is one. */
  async function checkRecordings() {
    if (closed || document.hidden || !cards.length) return;
    const to = Date.now();
    const range = query({ from: new Date(to - RECORDED_WINDOW_MS).toISOString(), to: new Date(to).toISOString() });
    await eachCard(async (c) => {
      try {
        const timeline = await api('GET', `/api/cameras/${encodeURIComponent(c.cam.id)}/recordings${range}`);
        const newest = (timeline?.spans ?? []).reduce((a, b) => (!a || Date.parse(b.to) > Date.parse(a.to) ? b : a), null);
        c.setRecording(newest);
      } catch {
        c.setRecording(null); // no recordings API here, or none of this camera
      }
    });
  }

  let seq = 0;
  async function load() {
    const mine = ++seq;
    try {
      const list = await apiAll(`/api/cameras${query({ tag: tagInput.value.trim() })}`);
      if (mine !== seq || closed) return;
      cards = list.map((cam) => {
        const card = garageCard(cam, { refreshMs: REFRESH_MS });
        const change = pushed.get(cam.id);
        if (change) card.setStatus(change.status, change.at);
        return card;
      });
      grid.replaceChildren(...cards.map((c) => c.node));
      summarise(list);
      void refreshAll();
      void checkRecordings();
    } catch (e) {
      notify(describeError(e));
    }
  }

  d.interval(() => { const now = Date.now(); for (const c of cards) c.tick(now); }, TICK_MS);
  d.interval(() => void refreshAll(), REFRESH_MS);
  d.interval(() => void refreshStatuses(), STATUS_REFRESH_MS);
  d.interval(() => void checkRecordings(), RECORDINGS_CHECK_MS);
  void load();
  return () => d.dispose();
}
