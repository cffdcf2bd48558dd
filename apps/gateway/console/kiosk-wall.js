// The tiles of a kiosk wall (docs/kiosk.md): the device's cameras (its saved wall's, else its jurisdiction's), one page
// per monitor, the page chosen from the server's clock (kiosk-pages.js) so a station's monitors tour in step. No
// toolbar, no tree: the tiles (tile.js, as the wall screen's), the live state from the push channel, and a corner label.
import { api, apiAll } from './api.js';
import { t } from './i18n.js';
import { monitorPage, msToNextTurn } from './kiosk-pages.js';
import { subscribeEvents } from './live-events.js';
import { WallTile } from './tile.js';
import { Disposer, h } from './util.js';

const LAYOUTS = [1, 4, 9, 16, 25];
/** The next page's streams start this long before a turn (at most half the dwell), as on the wall screen. */
const PREWARM_LEAD_MS = 3000;
/** The camera list is asked again this often while the push channel is not open. */
const REFRESH_MS = 30_000;

/**
 * Mounts the tiles into `container` for `device` (its record from POST /api/auth/device), monitor `monitor` of `of`;
 * `now()` is the server's time. Returns {destroy, stats}.
 */
export function mountKioskWall(container, { device, monitor, of, now }) {
  const d = new Disposer();
  const layout = LAYOUTS.includes(device.layout) ? device.layout : 4;
  const dwellMs = device.tourSeconds > 0 ? device.tourSeconds * 1000 : 0;
  const tiles = [];
  let cameras = [];
  /** Whether the list has been fetched once (an empty one is then said in words). */
  let loaded = false;
  let page = 0;
  const grid = h('div', { class: 'wall-grid kiosk-grid', id: 'kiosk-grid', dataset: { layout: String(layout) } });
  grid.style.gridTemplateColumns = `repeat(${Math.sqrt(layout)}, 1fr)`;
  const empty = h('p', { class: 'kiosk-empty', id: 'kiosk-empty', role: 'status', hidden: true }, t('kiosk.empty'));
  const label = h('div', { class: 'kiosk-label', id: 'kiosk-label' });
  container.replaceChildren(grid, empty, label);
  for (let i = 0; i < layout; i++) tiles.push(new WallTile());
  grid.replaceChildren(...tiles.map((tile) => tile.el));
  d.add(() => { for (const tile of tiles.splice(0)) tile.destroy(); });

  const pages = () => Math.max(1, Math.ceil(cameras.length / layout));
  const pageAt = (ms) => monitorPage({ nowMs: ms, dwellMs, monitor, of, pages: pages() });
  const slice = (p) => cameras.slice(p * layout, (p + 1) * layout);

  function render() {
    page = pageAt(now());
    const shown = slice(page);
    tiles.forEach((tile, i) => { tile.show(shown[i]); tile.update(shown[i]); });
    empty.hidden = cameras.length > 0;
    grid.hidden = cameras.length === 0;
    grid.dataset.page = String(page);
    label.textContent = t('kiosk.label', { name: device.name, monitor, of, page: page + 1, pages: pages() });
  }

  // The tour: a turn at every multiple of the dwell of the server's clock; the next page staged just before.
  let turnTimer = null;
  let prewarmTimer = null;
  function schedule() {
    clearTimeout(turnTimer);
    clearTimeout(prewarmTimer);
    const wait = msToNextTurn(now(), dwellMs);
    if (!Number.isFinite(wait)) return;
    const lead = Math.min(PREWARM_LEAD_MS, dwellMs / 2);
    if (wait > lead) prewarmTimer = setTimeout(() => { const next = slice(pageAt(now() + lead + 50)); tiles.forEach((tile, i) => { if (next[i] && !tiles.some((x) => x.camera?.id === next[i].id)) tile.stage(next[i]); }); }, wait - lead);
    // a few ms past the boundary, so the page computed is the new one even with timer jitter
    turnTimer = setTimeout(() => { render(); schedule(); }, wait + 20);
  }
  d.add(() => { clearTimeout(turnTimer); clearTimeout(prewarmTimer); });

  /** The device's cameras: its saved wall's (in the wall's order, only those it may see), else its jurisdiction's. */
  async function fetchList() {
    if (device.wallId) {
      try {
        return (await api('GET', `/api/walls/${encodeURIComponent(device.wallId)}`)).cameras ?? [];
      } catch (e) {
        if (e?.status !== 404) throw e; // a deleted wall: the jurisdiction's cameras instead
      }
    }
    return apiAll('/api/cameras');
  }

  async function refresh() {
    let list;
    try {
      list = await fetchList();
    } catch {
      return; // tried again at the next event or check; the tiles keep what they show
    }
    if (!container.isConnected) return;
    const same = loaded && list.length === cameras.length && list.every((c, i) => c.id === cameras[i]?.id);
    cameras = list;
    loaded = true;
    if (!same) return render();
    const byId = new Map(cameras.map((c) => [c.id, c]));
    for (const tile of tiles) if (tile.camera) tile.update(byId.get(tile.camera.id));
  }

  let live = false;
  d.add(subscribeEvents(({ type, data }) => {
    if (type === 'connection') live = data.state === 'open';
    else if (type === 'camera-status') {
      const i = cameras.findIndex((c) => c.id === data.cameraId);
      if (i < 0 || cameras[i].status === data.status) return;
      cameras[i] = { ...cameras[i], status: data.status };
      for (const tile of tiles) if (tile.camera?.id === data.cameraId) tile.update(cameras[i]);
    } else if (type === 'cameras-changed' || type === 'ready') void refresh();
  }));
  d.interval(() => { if (!live) void refresh(); }, REFRESH_MS);

  void refresh().then(schedule);
  return {
    destroy: () => d.dispose(),
    stats: () => ({ page, pages: pages(), layout, monitor, of, dwellMs, cameraIds: cameras.map((c) => c.id), tileCameraIds: tiles.map((tile) => tile.camera?.id ?? null), players: tiles.filter((tile) => tile.view).map((tile) => ({ ...tile.view.player.stats(), tileCamera: tile.camera?.id })) }),
  };
}
