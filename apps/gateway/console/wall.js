// Station monitoring wall: N tiles of live sub-streams, paging, tour, presets, full-screen main stream.
// Presets are the server's walls (/api/walls): a station's presets are shared by all its PCs.
import { alertDwellSeconds, alertOrder } from './alert-order.js';
import { LAYOUTS, PREWARM_LEAD_MS, WALL_REFRESH_MS as REFRESH_MS } from './wall-constants.js';
import { api, apiAll, describeError } from './api.js';
import { t, tierName } from './i18n.js';
import { subscribeEvents } from './live-events.js';
import { mountDeviceTree } from './device-tree.js';
import { WallTile } from './tile.js';
import { Disposer, h, query } from './util.js';
import { mountTileKeys } from './wall-keys.js';

const PREFS_KEY = 'tiergate.wall';
/** The server's limit on the cameras of one wall. */
const MAX_PRESET_CAMERAS = 64;
let wallTiles = [];
/** The open wall's "put this camera on the first tile" (alarms.js, pop onto the wall); null while no wall is open. */
let popTarget = null;

/** Puts `camera` on the first tile of the page shown (a camera already on the wall swaps places); nothing without a wall. */
export function popOntoWall(camera) {
  popTarget?.(camera);
}

/** Test hook: the state of every tile showing a camera on the wall. */
export function wallStats() {
  return wallTiles.filter((t) => t.view).map((t) => ({ ...t.view.player.stats(), tileCamera: t.camera?.id, displayMs: t.displayMs }));
}

function loadPrefs() {
  try { return JSON.parse(localStorage.getItem(PREFS_KEY) ?? '{}'); } catch { return {}; }
}

export function mountWall(container, { jurisdictions, params, notify, user }) {
  const d = new Disposer();
  const prefs = loadPrefs();
  const explicitIds = (params.get('cameras') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  /** A label for a wall of chosen cameras (`title`, e.g. the hotspot area it was opened from), shown as text. */
  const wallTitle = (params.get('title') ?? '').trim().slice(0, 200);
  let cameras = [];
  let page = 0;
  /** Camera ids (null: an empty tile) the user put on the wall from the device tree; null: the toolbar's choice. */
  let manual = null;
  /** The device tree (device-tree.js), mounted once the wall's elements exist. */
  let tree = null;
  const postName = new Map(jurisdictions.map((j) => [j.id, j.name]));
  /** A camera as its tile shows it: with the name of its post (or station) for the label. */
  const named = (c) => c && { ...c, jurisdictionName: postName.get(c.jurisdictionId) ?? '' };
  const state = {
    layout: LAYOUTS.includes(Number(params.get('layout'))) ? Number(params.get('layout')) : LAYOUTS.includes(prefs.layout) ? prefs.layout : 4,
    jurisdictionId: explicitIds.length ? '' : (prefs.jurisdictionId ?? ''),
    tag: explicitIds.length ? '' : (prefs.tag ?? ''),
    preset: '',
    tourSeconds: prefs.tourSeconds ?? 20,
  };

  const layoutSel = h('select', { id: 'wall-layout', onchange: () => { state.layout = Number(layoutSel.value); page = 0; persist(); render(); } },
    LAYOUTS.map((n) => h('option', { value: n, selected: n === state.layout }, t('wall.tiles', { count: n }))));
  const postSel = h('select', { id: 'wall-post', onchange: () => { state.jurisdictionId = postSel.value; state.preset = ''; presetSel.value = ''; void reload(); } },
    h('option', { value: '' }, t('wall.allInScope')),
    jurisdictions.map((j) => h('option', { value: j.id, selected: j.id === state.jurisdictionId }, `${j.name} (${tierName(j.tier)})`)));
  const tagInput = h('input', { id: 'wall-tag', placeholder: t('wall.tagPlaceholder'), value: state.tag, size: 10 });
  tagInput.addEventListener('change', () => { state.tag = tagInput.value.trim(); state.preset = ''; presetSel.value = ''; void reload(); });
  const presetSel = h('select', { id: 'wall-preset', onchange: () => { state.preset = presetSel.value; void reload(); } });
  /** The walls visible to this user (id, name), newest last as the server lists them. */
  let presets = [];
  async function fillPresets() {
    try {
      presets = await api('GET', '/api/walls');
    } catch (e) {
      notify(describeError(e));
    }
    if (!container.isConnected) return; // the screen was left meanwhile
    presetSel.replaceChildren(h('option', { value: '' }, t('wall.noPreset')), ...presets.map((p) => h('option', { value: p.id, selected: p.id === state.preset }, p.name)));
    presetSel.value = presets.some((p) => p.id === state.preset) ? state.preset : '';
  }
  void fillPresets();
  const savePreset = h('button', { type: 'button', id: 'wall-save-preset', onclick: async () => {
    const current = presets.find((p) => p.id === state.preset);
    const name = prompt(t('wall.presetPrompt'), current?.name ?? '');
    if (!name?.trim()) return;
    if (!cameras.some(Boolean)) { notify(t('wall.nothingToSave')); return; }
    try {
      const ids = cameras.filter(Boolean).slice(0, MAX_PRESET_CAMERAS).map((c) => c.id);
      const wall = await api('POST', '/api/walls', { name: name.trim(), cameraIds: ids, limit: ids.length });
      // Saving under the name of an existing preset replaces it.
      for (const old of presets.filter((p) => p.name === wall.name && p.id !== wall.id)) await api('DELETE', `/api/walls/${encodeURIComponent(old.id)}`).catch(() => undefined);
      state.preset = wall.id;
      await fillPresets();
    } catch (e) {
      notify(describeError(e));
    }
  } }, t('wall.savePreset'));
  const deletePreset = h('button', { type: 'button', id: 'wall-delete-preset', onclick: async () => {
    if (!state.preset) return;
    try {
      await api('DELETE', `/api/walls/${encodeURIComponent(state.preset)}`);
    } catch (e) {
      notify(describeError(e));
      return;
    }
    state.preset = '';
    await fillPresets();
    void reload();
  } }, t('wall.deletePreset'));
  const prev = h('button', { type: 'button', id: 'wall-prev', onclick: () => turn(-1), title: t('wall.prev') }, '◀');
  const next = h('button', { type: 'button', id: 'wall-next', onclick: () => turn(1), title: t('wall.next') }, '▶');
  const pageLabel = h('span', { id: 'wall-page' });
  const tourBox = h('input', { type: 'checkbox', id: 'wall-tour', onchange: () => setTour() });
  const tourSecs = h('input', { type: 'number', id: 'wall-tour-seconds', min: 3, max: 3600, value: state.tourSeconds, style: 'width:4em', onchange: () => { state.tourSeconds = Math.max(3, Number(tourSecs.value) || 20); persist(); applyAlert(alert); setTour(); } });
  const grid = h('div', { class: 'wall-grid', id: 'wall-grid' });
  // Said in words when the choice (post, tag, preset or the selected cameras) names no camera, instead of empty tiles.
  const empty = h('p', { class: 'wall-empty', id: 'wall-empty', role: 'status', hidden: true },
    t('wall.empty'));
  const info = h('span', { class: 'muted', id: 'wall-info' });
  // The alert level in force at the wall's node and what it does here (alert-order.js); hidden at level 1.
  const alertInfo = h('span', { class: 'chip', id: 'wall-alert', role: 'status', hidden: true });
  /** The alert effects answer for the wall's node (GET …/alert-effects), or null: none applies. */
  let alert = null;

  // The device tree beside the tiles (device-tree.js), in a panel that folds away.
  const treePanel = h('aside', { class: 'device-tree-panel', id: 'device-tree-panel' });
  container.classList.add('wall-with-tree');
  container.append(treePanel, h('div', { class: 'wall-main' },
    h('div', { class: 'toolbar' },
      h('label', {}, t('wall.layout'), ' ', layoutSel),
      explicitIds.length && wallTitle ? h('strong', { class: 'wall-title', id: 'wall-title' }, wallTitle) : null,
      explicitIds.length ? h('span', { class: 'chip' }, `${t('wall.selected', { count: explicitIds.length })} `, h('a', { href: '#/wall' }, t('wall.clear'))) : [h('label', {}, t('wall.post'), ' ', postSel), h('label', {}, t('wall.tag'), ' ', tagInput), h('label', {}, t('wall.preset'), ' ', presetSel), savePreset, deletePreset],
      prev, pageLabel, next,
      h('label', {}, tourBox, ` ${t('wall.tourEvery')} `, tourSecs, ` ${t('wall.seconds')}`),
      info, alertInfo),
    empty,
    grid));

  function persist() {
    localStorage.setItem(PREFS_KEY, JSON.stringify({ layout: state.layout, jurisdictionId: state.jurisdictionId, tag: state.tag, tourSeconds: state.tourSeconds }));
  }

  // The tour: each dwell ends with a page turn; PREWARM_LEAD_MS before it, the next page's streams start
  // hidden under the current tiles (their sessions start on the workers, their first frames decode), so the turn
  // shows video at once.
  let tourTimers = [];
  function setTour() {
    for (const t of tourTimers) clearTimeout(t);
    tourTimers = [];
    if (!tourBox.checked) return;
    const dwell = alertDwellSeconds(state.tourSeconds, alert?.effects) * 1000;
    const lead = Math.min(PREWARM_LEAD_MS, dwell / 2);
    tourTimers.push(setTimeout(() => prewarm(1), dwell - lead));
    tourTimers.push(setTimeout(() => { turn(1); setTour(); }, dwell));
  }
  d.add(() => { for (const t of tourTimers) clearTimeout(t); });

  const pages = () => Math.max(1, Math.ceil(cameras.length / state.layout));
  const pageSlice = (p) => cameras.slice(p * state.layout, (p + 1) * state.layout);
  function turn(delta) {
    page = (page + delta + pages()) % pages();
    render();
  }

  /** Stages the cameras of the page `delta` away in the tiles they will take (a camera that stays is left alone). */
  function prewarm(delta) {
    const next = pageSlice((page + delta + pages()) % pages());
    wallTiles.forEach((tile, i) => {
      const cam = next[i];
      if (cam && !wallTiles.some((t) => t.camera?.id === cam.id)) tile.stage(cam);
    });
  }

  function clearTiles() {
    for (const t of wallTiles) t.destroy();
    wallTiles = [];
    grid.replaceChildren();
  }
  d.add(clearTiles);
  // The tiles by keyboard (wall-keys.js): one tab stop, arrows between tiles, Enter/F full screen, PageUp/PageDown.
  const tileKeys = mountTileKeys(grid, { tiles: () => wallTiles, cols: () => Math.sqrt(state.layout), turn });
  d.add(() => tileKeys.destroy());

  /**
   * Puts the current page in the tiles. Tiles are kept across pages and layouts: a camera that stays on the
   * page keeps playing (moved to its new cell if it moves), a new one replaces the old picture only when it plays.
   */
  function render() {
    if (page >= pages()) page = 0;
    const refocus = tileKeys.focusedIndex(); // the tile with the keyboard focus keeps it across the re-render
    const cols = Math.sqrt(state.layout);
    grid.style.gridTemplateColumns = `repeat(${cols}, 1fr)`;
    grid.dataset.layout = String(state.layout);
    pageLabel.textContent = t('wall.page', { page: page + 1, pages: pages() });
    const shown = cameras.filter(Boolean).length;
    info.textContent = t('wall.cameras', { count: shown });
    empty.hidden = shown > 0;
    grid.hidden = shown === 0;
    while (wallTiles.length > state.layout) wallTiles.pop().destroy();
    while (wallTiles.length < state.layout) wallTiles.push(new WallTile());
    const slice = pageSlice(page);
    // A camera that stays on the wall but changes cell takes its running view along.
    const moving = new Map();
    wallTiles.forEach((tile, i) => {
      const cam = tile.camera;
      if (cam && slice[i]?.id !== cam.id && slice.some((c) => c?.id === cam.id)) moving.set(cam.id, tile.release());
    });
    wallTiles.forEach((tile, i) => {
      const cam = slice[i];
      const moved = cam && moving.get(cam.id);
      if (moved) { moving.delete(cam.id); tile.adopt(cam, moved); } else { tile.show(cam); tile.update(cam); }
    });
    for (const view of moving.values()) view.destroy();
    // Only when the cells changed: re-inserting the focused tile would drop its focus.
    const els = wallTiles.map((t) => t.el);
    if (els.length !== grid.children.length || els.some((el, i) => grid.children[i] !== el)) grid.replaceChildren(...els);
    tileKeys.refresh(refocus);
    tree?.tilesChanged();
  }
  /** The cameras the wall's current choice (selected ids, preset or post and tag) names, as the server has them now. */
  async function fetchList() {
    if (manual) {
      const byId = new Map((await apiAll('/api/cameras')).map((c) => [c.id, c]));
      return { list: manual.map((id) => (id && byId.get(id)) || null) };
    }
    if (explicitIds.length) {
      const all = await apiAll('/api/cameras');
      const byId = new Map(all.map((c) => [c.id, c]));
      const list = explicitIds.map((id) => byId.get(id)).filter(Boolean);
      return { list, hidden: explicitIds.length - list.length };
    }
    if (state.preset) {
      // The server gives only the cameras of the wall this user may see, in the wall's order.
      const wall = await api('GET', `/api/walls/${encodeURIComponent(state.preset)}`);
      return { list: wall.cameras ?? [], fromPreset: true };
    }
    // A jurisdiction's cameras: ordered by the alert level in force at the wall's node (its post, else the user's home).
    const node = state.jurisdictionId || user?.jurisdictionId;
    const [list, effects] = await Promise.all([
      apiAll(`/api/cameras${query({ jurisdictionId: state.jurisdictionId, tag: state.tag })}`),
      node ? api('GET', `/api/jurisdictions/${encodeURIComponent(node)}/alert-effects`).catch(() => alert) : null,
    ]);
    return { list: effects ? alertOrder(list, { ...effects.effects, hotspotCameraIds: effects.hotspotCameraIds }) : list, alert: effects };
  }

  /** Shows the level (and what it changes here) on the toolbar; a changed tour dwell restarts the tour. */
  function applyAlert(next) {
    const before = alertDwellSeconds(state.tourSeconds, alert?.effects);
    alert = next && next.level > 1 ? next : null;
    const e = alert?.effects;
    alertInfo.hidden = !alert;
    alertInfo.dataset.level = String(alert?.level ?? 1);
    alertInfo.dataset.dwellSeconds = String(alertDwellSeconds(state.tourSeconds, e));
    if (alert) {
      const parts = [];
      if (e.hotspotsFirst) parts.push(t('wall.alert.hotspotsFirst'));
      if (e.priorityTags.length) parts.push(t('wall.alert.tagsFirst', { tags: e.priorityTags.join(', ') }));
      parts.push(t('wall.alert.dwell', { seconds: alertDwellSeconds(state.tourSeconds, e) }));
      alertInfo.textContent = t('wall.alert.summary', { level: alert.level, effects: parts.join(t('wall.alert.separator')) });
    }
    if (alertDwellSeconds(state.tourSeconds, alert?.effects) !== before) setTour();
  }

  let loadSeq = 0;
  async function reload() {
    persist();
    manual = null;
    const seq = ++loadSeq;
    try {
      const { list, hidden, fromPreset, alert: level } = await fetchList();
      if (seq !== loadSeq) return;
      applyAlert(level);
      if (hidden) notify(t('wall.notVisible', { count: hidden }), 'info');
      if (fromPreset && list.length) {
        const fit = LAYOUTS.find((n) => n >= list.length) ?? LAYOUTS[LAYOUTS.length - 1];
        state.layout = fit;
        layoutSel.value = String(fit);
      }
      cameras = list.map(named);
      page = 0;
      render();
    } catch (e) {
      if (seq === loadSeq) notify(describeError(e));
    }
  }

  /**
   * The periodic check: the list asked again; a change of the cameras (added, removed, reordered) re-renders
   * the page in place (cameras that stay keep playing), a change of a name or status only relabels its tile.
   */
  async function refresh() {
    const seq = loadSeq;
    let list;
    let level;
    try {
      ({ list, alert: level } = await fetchList());
    } catch {
      return; // a failed check is tried again at the next one; the wall keeps what it shows
    }
    if (seq !== loadSeq || !container.isConnected) return;
    applyAlert(level);
    const same = list.length === cameras.length && list.every((c, i) => c?.id === cameras[i]?.id);
    cameras = list.map(named);
    if (!same) return render();
    const byId = new Map(cameras.filter(Boolean).map((c) => [c.id, c]));
    for (const tile of wallTiles) if (tile.camera) tile.update(byId.get(tile.camera.id));
  }
  // Live: a status change relabels its tile at once; a change of the camera list asks for the list again; after a
  // reconnect ('ready': the current statuses sent) the list is asked again for what was missed. The periodic check
  // runs only while the channel is not open.
  let live = false;
  d.add(subscribeEvents(({ type, data }) => {
    if (type === 'connection') live = data.state === 'open';
    else if (type === 'camera-status') setStatus(data.cameraId, data.status);
    else if (type === 'cameras-changed' || type === 'ready') void refresh();
    else if (type === 'alert-level') refreshSoon(); // the level in force may have changed: order and dwell again
    tree?.onEvent({ type, data });
  }));
  d.interval(() => { if (!live) void refresh(); }, REFRESH_MS);
  /** One refresh for a burst of events (a late subscriber is told every node's level at once). */
  let refreshQueued = false;
  function refreshSoon() {
    if (refreshQueued) return;
    refreshQueued = true;
    setTimeout(() => { refreshQueued = false; if (container.isConnected) void refresh(); }, 50);
  }

  function setStatus(cameraId, status) {
    const i = cameras.findIndex((c) => c?.id === cameraId);
    if (i < 0 || cameras[i].status === status) return;
    cameras[i] = { ...cameras[i], status };
    for (const tile of wallTiles) if (tile.camera?.id === cameraId) tile.update(cameras[i]);
  }

  /** The user's own arrangement from the tree: `list` (cameras, null for an empty tile) shown from page `p`. */
  function arrange(list, p) {
    loadSeq++; // a list still being fetched for the toolbar's choice is not wanted any more
    applyAlert(null); // the user's own arrangement: no alert order, the plain dwell
    while (list.length && !list[list.length - 1]) list.pop();
    manual = list.map((c) => c?.id ?? null);
    cameras = list.map(named);
    page = p;
    render();
  }
  let wallApi;
  tree = mountDeviceTree(treePanel, {
    jurisdictions,
    notify,
    wall: (wallApi = {
      grid,
      cols: () => Math.sqrt(state.layout),
      tiles: () => wallTiles,
      /** `camera` on tile `index` of this page; a camera already on the wall swaps places with the tile's one. */
      showAt(index, camera) {
        const at = page * state.layout + index;
        const list = [...cameras];
        while (list.length <= at) list.push(null);
        const from = list.findIndex((c) => c?.id === camera.id);
        if (from === at) return;
        if (from >= 0) list[from] = list[at];
        list[at] = camera;
        arrange(list, page);
      },
      /** `list` on the wall from the first tile (a post dragged onto it). */
      fill(list) { arrange([...list], 0); },
    }),
  });
  d.add(() => tree.destroy());
  popTarget = (camera) => wallApi.showAt(0, camera);
  d.add(() => { popTarget = null; });

  void reload();
  return () => { loadSeq++; d.dispose(); };
}
