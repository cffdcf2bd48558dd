// Station monitoring wall: N tiles of live sub-streams, paging, tour, presets, full-screen main stream.
import { api, apiAll, describeError } from './api.js';
import { openLive } from './overlay.js';
import { createLiveView } from './player.js';
import { Disposer, h, query, statusBadge } from './util.js';

export const LAYOUTS = [1, 4, 9, 16, 25];
const PREFS_KEY = 'tiergate.wall';
let wallTiles = [];

/** Test hook: the state of every tile playing on the wall. */
export function wallStats() {
  return wallTiles.map((t) => t.view.player.stats());
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

  let tourTimer = null;
  function setTour() {
    if (tourTimer) clearInterval(tourTimer);
    tourTimer = tourBox.checked ? setInterval(() => turn(1), state.tourSeconds * 1000) : null;
  }
  d.add(() => tourTimer && clearInterval(tourTimer));

  const pages = () => Math.max(1, Math.ceil(cameras.length / state.layout));
  function turn(delta) {
    page = (page + delta + pages()) % pages();
    render();
  }

  function clearTiles() {
    for (const t of wallTiles) t.view.destroy();
    wallTiles = [];
    grid.replaceChildren();
  }
  d.add(clearTiles);

  function render() {
    clearTiles();
    if (page >= pages()) page = 0;
    const cols = Math.sqrt(state.layout);
    grid.style.gridTemplateColumns = `repeat(${cols}, 1fr)`;
    grid.dataset.layout = String(state.layout);
    pageLabel.textContent = `page ${page + 1} / ${pages()}`;
    info.textContent = `${cameras.length} camera${cameras.length === 1 ? '' : 's'}`;
    const slice = cameras.slice(page * state.layout, (page + 1) * state.layout);
    for (let i = 0; i < state.layout; i++) {
      const cam = slice[i];
      if (!cam) { grid.append(h('div', { class: 'tile tile-empty' })); continue; }
      const view = createLiveView({ cameraId: cam.id, profile: 'sub' });
      const tile = h('div', { class: 'tile', dataset: { cameraId: cam.id }, title: 'Double-click: main stream full screen', ondblclick: () => openLive(cam, 'main') },
        view.video,
        h('div', { class: 'tile-label' }, h('span', { class: 'tile-name' }, cam.name), ' ', statusBadge(cam.status), ' ', view.stateEl));
      grid.append(tile);
      wallTiles.push({ camera: cam, view });
    }
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
