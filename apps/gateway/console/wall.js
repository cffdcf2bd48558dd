// Station monitoring wall: N tiles of live sub-streams, paging, tour, presets, full-screen main stream.
import { apiAll, describeError } from './api.js';
import { WallTile } from './tile.js';
import { Disposer, h, query } from './util.js';

export const LAYOUTS = [1, 4, 9, 16, 25];
const PREFS_KEY = 'tiergate.wall';
/** A tour opens the next page's streams this long before it turns (at most half the dwell). */
export const PREWARM_LEAD_MS = 3000;
let wallTiles = [];

/** Test hook: the state of every tile showing a camera on the wall. */
export function wallStats() {
  return wallTiles.filter((t) => t.view).map((t) => ({ ...t.view.player.stats(), tileCamera: t.camera?.id, displayMs: t.displayMs }));
}

const presetKey = (user) => `tiergate.presets.${user.jurisdictionId ?? 'all'}`;
function loadPresets(user) {
  try { return JSON.parse(localStorage.getItem(presetKey(user)) ?? '[]'); } catch { return []; }
}
function savePresets(user, presets) { localStorage.setItem(presetKey(user), JSON.stringify(presets)); }
function loadPrefs() {
  try { return JSON.parse(localStorage.getItem(PREFS_KEY) ?? '{}'); } catch { return {}; }
}

export function mountWall(container, { user, jurisdictions, params, notify }) {
  const d = new Disposer();
  const prefs = loadPrefs();
  const explicitIds = (params.get('cameras') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  let cameras = [];
  let page = 0;
  const state = {
    layout: LAYOUTS.includes(Number(params.get('layout'))) ? Number(params.get('layout')) : LAYOUTS.includes(prefs.layout) ? prefs.layout : 4,
    jurisdictionId: explicitIds.length ? '' : (prefs.jurisdictionId ?? ''),
    tag: explicitIds.length ? '' : (prefs.tag ?? ''),
    preset: '',
    tourSeconds: prefs.tourSeconds ?? 20,
  };

  const layoutSel = h('select', { id: 'wall-layout', onchange: () => { state.layout = Number(layoutSel.value); page = 0; persist(); render(); } },
    LAYOUTS.map((n) => h('option', { value: n, selected: n === state.layout }, `${n} tile${n > 1 ? 's' : ''}`)));
  const postSel = h('select', { id: 'wall-post', onchange: () => { state.jurisdictionId = postSel.value; state.preset = ''; presetSel.value = ''; void reload(); } },
    h('option', { value: '' }, 'All in my scope'),
    jurisdictions.map((j) => h('option', { value: j.id, selected: j.id === state.jurisdictionId }, `${j.name} (${j.tier})`)));
  const tagInput = h('input', { id: 'wall-tag', placeholder: 'tag', value: state.tag, size: 10 });
  tagInput.addEventListener('change', () => { state.tag = tagInput.value.trim(); state.preset = ''; presetSel.value = ''; void reload(); });
  const presetSel = h('select', { id: 'wall-preset', onchange: () => { state.preset = presetSel.value; void reload(); } });
  const fillPresets = () => {
    presetSel.replaceChildren(h('option', { value: '' }, 'No preset'), ...loadPresets(user).map((p) => h('option', { value: p.name, selected: p.name === state.preset }, p.name)));
  };
  fillPresets();
  const savePreset = h('button', { type: 'button', onclick: () => {
    const name = prompt('Preset name for this station', state.preset || '');
    if (!name) return;
    const presets = loadPresets(user).filter((p) => p.name !== name);
    presets.push({ name, cameraIds: cameras.map((c) => c.id), layout: state.layout });
    savePresets(user, presets);
    state.preset = name;
    fillPresets();
  } }, 'Save preset');
  const deletePreset = h('button', { type: 'button', onclick: () => {
    if (!state.preset) return;
    savePresets(user, loadPresets(user).filter((p) => p.name !== state.preset));
    state.preset = '';
    fillPresets();
    void reload();
  } }, 'Delete preset');
  const prev = h('button', { type: 'button', id: 'wall-prev', onclick: () => turn(-1) }, '◀');
  const next = h('button', { type: 'button', id: 'wall-next', onclick: () => turn(1) }, '▶');
  const pageLabel = h('span', { id: 'wall-page' });
  const tourBox = h('input', { type: 'checkbox', id: 'wall-tour', onchange: () => setTour() });
  const tourSecs = h('input', { type: 'number', id: 'wall-tour-seconds', min: 3, max: 3600, value: state.tourSeconds, style: 'width:4em', onchange: () => { state.tourSeconds = Math.max(3, Number(tourSecs.value) || 20); persist(); setTour(); } });
  const grid = h('div', { class: 'wall-grid', id: 'wall-grid' });
  const info = h('span', { class: 'muted', id: 'wall-info' });

  container.append(
    h('div', { class: 'toolbar' },
      h('label', {}, 'Layout ', layoutSel),
      explicitIds.length ? h('span', { class: 'chip' }, `${explicitIds.length} selected cameras `, h('a', { href: '#/wall' }, 'clear')) : [h('label', {}, 'Post ', postSel), h('label', {}, 'Tag ', tagInput), h('label', {}, 'Preset ', presetSel), savePreset, deletePreset],
      prev, pageLabel, next,
      h('label', {}, tourBox, ' Tour every ', tourSecs, ' s'),
      info),
    grid);

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
    const dwell = state.tourSeconds * 1000;
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

  /**
   * Puts the current page in the tiles. Tiles are kept across pages and layouts: a camera that stays on the
   * page keeps playing (moved to its new cell if it moves), a new one replaces the old picture only when it plays.
   */
  function render() {
    if (page >= pages()) page = 0;
    const cols = Math.sqrt(state.layout);
    grid.style.gridTemplateColumns = `repeat(${cols}, 1fr)`;
    grid.dataset.layout = String(state.layout);
    pageLabel.textContent = `page ${page + 1} / ${pages()}`;
    info.textContent = `${cameras.length} camera${cameras.length === 1 ? '' : 's'}`;
    while (wallTiles.length > state.layout) wallTiles.pop().destroy();
    while (wallTiles.length < state.layout) wallTiles.push(new WallTile());
    const slice = pageSlice(page);
    // A camera that stays on the wall but changes cell takes its running view along.
    const moving = new Map();
    wallTiles.forEach((tile, i) => {
      const cam = tile.camera;
      if (cam && slice[i]?.id !== cam.id && slice.some((c) => c.id === cam.id)) moving.set(cam.id, tile.release());
    });
    wallTiles.forEach((tile, i) => {
      const cam = slice[i];
      const moved = cam && moving.get(cam.id);
      if (moved) { moving.delete(cam.id); tile.adopt(cam, moved); } else tile.show(cam);
    });
    for (const view of moving.values()) view.destroy();
    grid.replaceChildren(...wallTiles.map((t) => t.el));
  }
  let loadSeq = 0;
  async function reload() {
    persist();
    const seq = ++loadSeq;
    try {
      let list;
      if (explicitIds.length) {
        const all = await apiAll('/api/cameras');
        const byId = new Map(all.map((c) => [c.id, c]));
        list = explicitIds.map((id) => byId.get(id)).filter(Boolean);
        if (list.length < explicitIds.length) notify(`${explicitIds.length - list.length} of the selected cameras are not visible to you`, 'info');
      } else if (state.preset) {
        const preset = loadPresets(user).find((p) => p.name === state.preset);
        const all = await apiAll('/api/cameras');
        const byId = new Map(all.map((c) => [c.id, c]));
        list = (preset?.cameraIds ?? []).map((id) => byId.get(id)).filter(Boolean);
        if (preset?.layout && LAYOUTS.includes(preset.layout)) { state.layout = preset.layout; layoutSel.value = String(preset.layout); }
      } else {
        list = await apiAll(`/api/cameras${query({ jurisdictionId: state.jurisdictionId, tag: state.tag })}`);
      }
      if (seq !== loadSeq) return;
      cameras = list;
      page = 0;
      render();
    } catch (e) {
      if (seq === loadSeq) notify(describeError(e));
    }
  }

  void reload();
  return () => { loadSeq++; d.dispose(); };
}
