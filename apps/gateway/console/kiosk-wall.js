// The tiles of a kiosk wall (docs/kiosk.md): the device's cameras (its saved wall's, else its jurisdiction's), one page
// per monitor, the page chosen from the server's clock (kiosk-pages.js) so a station's monitors tour in step. No
// toolbar, no tree: the tiles (tile.js, as the wall screen's), the live state from the push channel, and a corner label.
// A jurisdiction's kiosk orders its cameras and tours with the dwell of the alert level in force at its node exactly as
// the station wall does (alert-order.js; a saved wall keeps its own order there as here), and marks the tile of a
// camera whose alarm is active (the device cannot acknowledge: the mark goes when the motion ends or a person acks).
import { alertDwellSeconds, alertOrder } from './alert-order.js';
import { api, apiAll } from './api.js';
import { t } from './i18n.js';
import { monitorPage, msToNextTurn } from './kiosk-pages.js';
import { subscribeEvents } from './live-events.js';
import { WallTile } from './tile.js';
import { Disposer, h } from './util.js';
import { LAYOUTS, PREWARM_LEAD_MS, WALL_REFRESH_MS } from './wall-constants.js';

/**
 * Mounts the tiles into `container` for `device` (its record from POST /api/auth/device), monitor `monitor` of `of`;
 * `now()` is the server's time. Returns {destroy, stats}.
 */
export function mountKioskWall(container, { device, monitor, of, now }) {
  const d = new Disposer();
  const layout = LAYOUTS.includes(device.layout) ? device.layout : 4;
  /** The alert effects answer for the device's jurisdiction (GET …/alert-effects) when its level is above 1, else null. */
  let alert = null;
  /** The tour dwell: the device's, shortened by the level in force as on the station wall; 0 without a tour. */
  const dwellOf = (a) => (device.tourSeconds > 0 ? alertDwellSeconds(device.tourSeconds, a?.effects) * 1000 : 0);
  let dwellMs = dwellOf(null);
  /** Alarm id -> camera id, for the alarms that are new and active (their cameras' tiles are marked). */
  const alarming = new Map();
  /** Alarm events received (created or changed), and tiles marked by them, for the soak and tests. */
  let alarmEvents = 0;
  let alarmMarks = 0;
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
    grid.dataset.alertLevel = String(alert?.level ?? 1);
    grid.dataset.dwellSeconds = String(dwellMs / 1000);
    markTiles();
  }

  /** The CSS class `alarming` on the tiles of cameras with an active new alarm (tile.js resets classes on a change). */
  function markTiles() {
    const cams = new Set(alarming.values());
    for (const tile of tiles) {
      const id = tile.el.dataset.cameraId;
      const on = !!id && cams.has(id);
      if (tile.el.classList.contains('alarming') === on) continue;
      tile.el.classList.toggle('alarming', on);
      if (on) alarmMarks++;
    }
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

  /**
   * The device's cameras: its saved wall's (in the wall's order, only those it may see; no alert order, as a preset on
   * the station wall), else its jurisdiction's, ordered by the alert level in force at its node (alert-order.js).
   */
  async function fetchList() {
    if (device.wallId) {
      try {
        return { list: (await api('GET', `/api/walls/${encodeURIComponent(device.wallId)}`)).cameras ?? [], alert: null };
      } catch (e) {
        if (e?.status !== 404) throw e; // a deleted wall: the jurisdiction's cameras instead
      }
    }
    const [list, effects] = await Promise.all([
      apiAll('/api/cameras'),
      api('GET', `/api/jurisdictions/${encodeURIComponent(device.jurisdictionId)}/alert-effects`).catch(() => alert),
    ]);
    return { list: effects ? alertOrder(list, { ...effects.effects, hotspotCameraIds: effects.hotspotCameraIds }) : list, alert: effects };
  }

  /** The level in force (null at level 1); a changed dwell re-times the tour (every monitor computes the same one). */
  function applyAlert(next) {
    alert = next && next.level > 1 ? next : null;
    const dwell = dwellOf(alert);
    if (dwell === dwellMs) return false;
    dwellMs = dwell;
    return true;
  }

  let fetchSeq = 0;
  async function refresh() {
    const seq = ++fetchSeq;
    let list;
    let level;
    try {
      ({ list, alert: level } = await fetchList());
    } catch {
      return; // tried again at the next event or check; the tiles keep what they show
    }
    if (!container.isConnected || seq !== fetchSeq) return;
    const retimed = applyAlert(level);
    if (retimed) { cameras = list; loaded = true; render(); return schedule(); }
    const same = loaded && list.length === cameras.length && list.every((c, i) => c.id === cameras[i]?.id);
    cameras = list;
    loaded = true;
    if (!same) return render();
    const byId = new Map(cameras.map((c) => [c.id, c]));
    for (const tile of tiles) if (tile.camera) tile.update(byId.get(tile.camera.id));
    markTiles();
  }

  /** One refresh for a burst of events (a late subscriber is told every node's level at once). */
  let refreshTimer = null;
  function refreshSoon() {
    if (refreshTimer) return;
    refreshTimer = setTimeout(() => { refreshTimer = null; if (container.isConnected) void refresh(); }, 50);
  }
  d.add(() => clearTimeout(refreshTimer));

  /** The alarms new and active now (at mount and after a reconnect: what the push channel did not say). */
  async function loadAlarms() {
    let recent;
    try {
      recent = await api('GET', '/api/alarms?state=new&limit=100');
    } catch {
      return; // the live events still come
    }
    if (!container.isConnected) return;
    alarming.clear();
    for (const a of recent) if (a.active) alarming.set(a.id, a.cameraId);
    markTiles();
  }

  function onAlarm(a) {
    alarmEvents++;
    if (a.state === 'new' && a.active) alarming.set(a.id, a.cameraId);
    else alarming.delete(a.id);
    markTiles();
  }

  let live = false;
  d.add(subscribeEvents(({ type, data }) => {
    if (type === 'connection') live = data.state === 'open';
    else if (type === 'camera-status') {
      const i = cameras.findIndex((c) => c.id === data.cameraId);
      if (i < 0 || cameras[i].status === data.status) return;
      cameras[i] = { ...cameras[i], status: data.status };
      for (const tile of tiles) if (tile.camera?.id === data.cameraId) tile.update(cameras[i]);
      markTiles();
    } else if (type === 'cameras-changed') void refresh();
    else if (type === 'ready') { void refresh(); void loadAlarms(); }
    else if (type === 'alert-level') refreshSoon(); // the level in force may have changed: order and dwell again
    else if (type === 'alarm') onAlarm(data);
  }));
  d.interval(() => { if (!live) void refresh(); }, WALL_REFRESH_MS);

  void refresh().then(schedule);
  return {
    destroy: () => d.dispose(),
    stats: () => ({ page, pages: pages(), layout, monitor, of, dwellMs, alertLevel: alert?.level ?? 1, alarmEvents, alarmMarks, alarming: [...new Set(alarming.values())], cameraIds: cameras.map((c) => c.id), tileCameraIds: tiles.map((tile) => tile.camera?.id ?? null), players: tiles.filter((tile) => tile.view).map((tile) => ({ ...tile.view.player.stats(), tileCamera: tile.camera?.id })) }),
  };
}
