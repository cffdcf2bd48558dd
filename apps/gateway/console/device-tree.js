// The device tree beside the wall: sub-bureau → station → post → cameras of the user's scope (GET /api/jurisdictions,
// GET /api/cameras), online/offline counts per node kept current from the push channel (the wall forwards its
// live-events.js events: one stream per page), a search box, and the ways onto the wall: drag a camera onto a tile (it
// shows there), drag a post (its cameras fill the wall from the first tile), Enter on a camera (the chosen tile, then
// the next), double-click or Shift+Enter (full screen). Keyboard: the tree is a WAI-ARIA tree (role tree / treeitem /
// group, aria-level, aria-expanded; roving tabindex; Up/Down, Left/Right, Home/End, type-ahead: keyboard-nav.js), the
// keyboard's "drag onto a tile" is Enter (onto the tile last focused on the wall, then the next); the tiles' own keys
// are wall-keys.js. Every key: docs/accessibility.md. The data and the search are device-tree-model.js.
import { apiAll, describeError } from './api.js';
import {
  buildTree, camerasUnder, filterTree, findCamera, holdsCameras, makePinyinInitials, setCameraStatus,
} from './device-tree-model.js';
import { locale, t, tierName } from './i18n.js';
import { isTypeAheadKey, typeAheadIndex } from './keyboard-nav.js';
import { openLive } from './overlay.js';
import { h, statusBadge } from './util.js';

const PREFS_KEY = 'tiergate.deviceTree';
const DRAG_CAMERA = 'application/x-tiergate-camera';
const DRAG_NODE = 'application/x-tiergate-node';
const SEARCH_DELAY_MS = 120;
/** Camera-list notices come in bursts (an import): the list is asked again once per quiet moment. */
const RELOAD_DELAY_MS = 400;
/** Letters typed within this time make one type-ahead prefix. */
const TYPE_AHEAD_MS = 700;

function loadPrefs() {
  try { return JSON.parse(localStorage.getItem(PREFS_KEY) ?? '{}'); } catch { return {}; }
}

/**
 * Mounts the tree into `panel`. `wall`: {grid, cols(), tiles(), showAt(index, camera), fill(cameras)} from wall.js.
 * Returns {onEvent({type, data}), tilesChanged(), destroy()}.
 */
export function mountDeviceTree(panel, { jurisdictions, wall, notify }) {
  const prefs = loadPrefs();
  const collator = new Intl.Collator(locale(), { numeric: true });
  // Pinyin initials where the browser has the Chinese collation data (device-tree-model.js); else Latin search only.
  const initials = makePinyinInitials(new Intl.Collator('zh-CN'));
  let tree = buildTree(jurisdictions, [], { unassignedName: t('tree.unassigned'), compare: collator.compare });
  let query = '';
  let filter = null;
  let expanded = new Set();
  let expandedBeforeSearch = null;
  let focusKey = null;
  let loaded = false;
  /** The tile (index on the page) Enter puts the next camera on; null: the first empty one. */
  let target = null;
  const nodeEls = new Map();
  const cameraEls = new Map();
  const timers = new Set();
  const later = (fn, ms) => { const id = setTimeout(() => { timers.delete(id); fn(); }, ms); timers.add(id); return id; };

  const treeEl = h('ul', { role: 'tree', id: 'device-tree', class: 'device-tree', 'aria-label': t('tree.title') });
  const search = h('input', { type: 'search', id: 'device-tree-search', placeholder: t('tree.searchPlaceholder'), 'aria-label': t('tree.search'), 'aria-controls': 'device-tree', autocomplete: 'off' });
  const resultLine = h('p', { class: 'tree-result muted', id: 'device-tree-result', role: 'status' }, t('tree.loading'));
  const body = h('div', { class: 'device-tree-body', id: 'device-tree-body' },
    search, resultLine, treeEl, h('p', { class: 'tree-keys muted' }, t('tree.keys')));
  const toggle = h('button', { type: 'button', id: 'device-tree-toggle', class: 'device-tree-toggle', 'aria-controls': 'device-tree-body', onclick: () => setCollapsed(!panel.classList.contains('collapsed')) });
  panel.replaceChildren(h('div', { class: 'device-tree-head' }, h('strong', { class: 'device-tree-title' }, t('tree.title')), toggle), body);

  function setCollapsed(collapsed) {
    panel.classList.toggle('collapsed', collapsed);
    body.hidden = collapsed;
    toggle.setAttribute('aria-expanded', String(!collapsed));
    toggle.textContent = collapsed ? '»' : '«';
    toggle.title = t(collapsed ? 'tree.show' : 'tree.hide');
    toggle.setAttribute('aria-label', toggle.title);
    try { localStorage.setItem(PREFS_KEY, JSON.stringify({ collapsed })); } catch { /* private mode */ }
  }
  setCollapsed(prefs.collapsed === true);

  // ---- drawing ----
  const shownNode = (n) => !filter || filter.nodes.has(n.id);
  const shownCamera = (c) => !filter || filter.cameras.has(c.id);
  const hasContent = (n) => n.children.some(shownNode) || n.cameras.some(shownCamera);

  function countsEl(n) {
    const { online, offline, total } = n.counts;
    const label = t('tree.counts', { online, offline, total });
    // The three figures are for the eye; a screen reader hears the sentence (a span may not carry an aria-label).
    return h('span', { class: 'tree-counts', title: label, dataset: { online: String(online), offline: String(offline), total: String(total) } },
      h('span', { class: 'tree-online', 'aria-hidden': 'true' }, String(online)), h('span', { class: 'tree-offline', 'aria-hidden': 'true' }, String(offline)), h('span', { class: 'tree-total', 'aria-hidden': 'true' }, String(total)),
      h('span', { class: 'visually-hidden' }, label));
  }

  // An item's name comes from its content, as in the WAI-ARIA tree pattern's own example (an aria-label or
  // aria-labelledby would differ from the visible text, which axe's label-content-name-mismatch refuses).
  function nodeItem(n) {
    const open = expanded.has(n.id) && hasContent(n);
    const li = h('li', {
      role: 'treeitem', tabindex: -1, class: 'tree-node', draggable: 'true', 'aria-level': n.depth + 1,
      'aria-expanded': hasContent(n) ? String(open) : undefined, dataset: { nodeId: n.id, key: `n:${n.id}`, tier: n.tier },
    }, h('div', { class: 'tree-row' },
      h('span', { class: 'tree-twisty', 'aria-hidden': 'true' }, hasContent(n) ? (open ? '▾' : '▸') : ''),
      h('span', { class: 'tree-name' }, n.name),
      n.tier ? h('span', { class: 'tree-tier' }, tierName(n.tier)) : null,
      countsEl(n)));
    nodeEls.set(n.id, li);
    if (open) {
      li.append(h('ul', { role: 'group' },
        n.cameras.filter(shownCamera).map((c) => cameraItem(c, n.depth + 2)),
        n.children.filter(shownNode).map(nodeItem)));
    }
    return li;
  }

  function cameraItem(c, level) {
    const li = h('li', {
      role: 'treeitem', tabindex: -1, class: 'tree-camera', draggable: 'true', 'aria-level': level, title: t('tree.cameraHint'),
      dataset: { cameraId: c.id, key: `c:${c.id}`, status: c.status },
    }, h('div', { class: 'tree-row' }, h('span', { class: 'tree-twisty', 'aria-hidden': 'true' }), h('span', { class: 'tree-name' }, c.name), ' ', statusBadge(c.status)));
    cameraEls.set(c.id, li);
    return li;
  }

  function render() {
    const hadFocus = treeEl.contains(document.activeElement);
    nodeEls.clear();
    cameraEls.clear();
    treeEl.replaceChildren(...tree.roots.filter(shownNode).map(nodeItem));
    treeEl.dataset.query = query;
    if (filter) resultLine.textContent = filter.matches || filter.nodes.size ? t('tree.matches', { count: filter.matches }) : t('tree.noMatch');
    else resultLine.textContent = loaded ? t('tree.total', { count: tree.cameraNode.size }) : t('tree.loading');
    const items = visibleItems();
    const current = items.find((el) => el.dataset.key === focusKey) ?? items[0];
    if (current) setFocus(current, hadFocus);
  }

  // ---- focus (roving tabindex) and keys ----
  const visibleItems = () => [...treeEl.querySelectorAll('[role=treeitem]')];
  function setFocus(el, move = true) {
    for (const other of treeEl.querySelectorAll('[role=treeitem][tabindex="0"]')) if (other !== el) other.tabIndex = -1;
    for (const other of treeEl.querySelectorAll('[aria-selected=true]')) if (other !== el) other.removeAttribute('aria-selected');
    el.tabIndex = 0;
    el.setAttribute('aria-selected', 'true');
    focusKey = el.dataset.key;
    if (move) el.focus();
  }
  const itemOf = (target) => target?.closest?.('[role=treeitem]');
  const cameraOf = (el) => (el?.dataset.cameraId ? findCamera(tree, el.dataset.cameraId) : undefined);

  function setExpanded(nodeId, open) {
    if (open) expanded.add(nodeId); else expanded.delete(nodeId);
    focusKey = `n:${nodeId}`;
    render();
    const el = nodeEls.get(nodeId);
    if (el) setFocus(el);
  }

  function onKey(e) {
    const el = itemOf(e.target);
    if (!el) return;
    const items = visibleItems();
    const i = items.indexOf(el);
    const nodeId = el.dataset.nodeId;
    const isOpen = el.getAttribute('aria-expanded') === 'true';
    const move = (to) => { if (to) { e.preventDefault(); setFocus(to); } };
    switch (e.key) {
      case 'ArrowDown': return move(items[i + 1]);
      case 'ArrowUp': return move(items[i - 1]);
      case 'Home': return move(items[0]);
      case 'End': return move(items[items.length - 1]);
      case 'ArrowRight':
        e.preventDefault();
        if (nodeId !== undefined && el.hasAttribute('aria-expanded')) { if (!isOpen) setExpanded(nodeId, true); else move(items[i + 1]); }
        return undefined;
      case 'ArrowLeft':
        e.preventDefault();
        if (nodeId !== undefined && isOpen) return setExpanded(nodeId, false);
        return move(itemOf(el.parentElement));
      case 'Enter': {
        e.preventDefault();
        const camera = cameraOf(el);
        if (camera) return e.shiftKey ? openLive(camera, 'main') : putOnTarget(camera);
        if (e.shiftKey) return fillWith(nodeId);
        if (el.hasAttribute('aria-expanded')) return setExpanded(nodeId, !isOpen);
        return undefined;
      }
      default:
        if (isTypeAheadKey(e, typed)) return typeAhead(e, items, i);
        return undefined;
    }
  }
  // Type-ahead: letters typed in quick succession go to the next visible item whose name starts with them.
  let typed = '';
  let typedAt = 0;
  function typeAhead(e, items, i) {
    const now = performance.now();
    typed = (now - typedAt > TYPE_AHEAD_MS ? '' : typed) + e.key;
    typedAt = now;
    const names = items.map((el) => el.querySelector(':scope > .tree-row > .tree-name')?.textContent ?? '');
    const to = typeAheadIndex(names, i, typed, initials);
    e.preventDefault();
    if (to >= 0) setFocus(items[to]);
  }
  treeEl.addEventListener('keydown', onKey);
  // A click chooses an item; on a place's own row it also opens or closes it.
  treeEl.addEventListener('click', (e) => {
    const el = itemOf(e.target);
    if (!el) return;
    if (el.dataset.nodeId !== undefined && el.hasAttribute('aria-expanded')) setExpanded(el.dataset.nodeId, el.getAttribute('aria-expanded') !== 'true');
    else setFocus(el);
  });
  treeEl.addEventListener('dblclick', (e) => {
    const camera = cameraOf(itemOf(e.target));
    if (camera) openLive(camera, 'main');
  });
  search.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') { const first = visibleItems()[0]; if (first) { e.preventDefault(); setFocus(first); } }
  });

  // ---- search ----
  let searchTimer = null;
  search.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = later(() => applySearch(search.value), SEARCH_DELAY_MS);
  });
  function applySearch(text) {
    const before = query;
    query = text;
    filter = filterTree(tree, query, { initials });
    if (filter && !before.trim()) expandedBeforeSearch = expanded;
    if (filter) expanded = new Set([...filter.expand]);
    else if (expandedBeforeSearch) { expanded = expandedBeforeSearch; expandedBeforeSearch = null; }
    render();
  }

  // ---- onto the wall ----
  function putOnTarget(camera) {
    const tiles = wall.tiles();
    if (!tiles.length) return;
    let index = target;
    if (index === null || index >= tiles.length) {
      index = tiles.findIndex((tile) => !tile.camera);
      if (index < 0) index = 0;
    }
    wall.showAt(index, camera);
    setTarget((index + 1) % tiles.length);
  }
  function fillWith(nodeId) {
    const list = camerasUnder(tree, nodeId);
    if (list.length) { wall.fill(list); setTarget(null); }
  }
  function setTarget(index) {
    target = index;
    markTiles();
  }

  treeEl.addEventListener('dragstart', (e) => {
    const el = itemOf(e.target);
    if (!el || !e.dataTransfer) return;
    const camera = cameraOf(el);
    if (camera) e.dataTransfer.setData(DRAG_CAMERA, camera.id);
    else if (el.dataset.nodeId !== undefined) e.dataTransfer.setData(DRAG_NODE, el.dataset.nodeId);
    e.dataTransfer.setData('text/plain', el.querySelector('.tree-name')?.textContent ?? '');
    e.dataTransfer.effectAllowed = 'copy';
  });
  const ours = (e) => [...(e.dataTransfer?.types ?? [])].some((ty) => ty === DRAG_CAMERA || ty === DRAG_NODE);
  const tileAt = (e) => e.target?.closest?.('.tile');
  const clearDrop = () => { for (const el of wall.grid.querySelectorAll('.tile-drop')) el.classList.remove('tile-drop'); };
  const gridListeners = {
    dragover: (e) => {
      if (!ours(e) || !tileAt(e)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
      const tile = tileAt(e);
      if (!tile.classList.contains('tile-drop')) { clearDrop(); tile.classList.add('tile-drop'); }
    },
    dragleave: (e) => { if (!wall.grid.contains(e.relatedTarget)) clearDrop(); },
    drop: (e) => {
      clearDrop();
      const tile = tileAt(e);
      if (!ours(e) || !tile) return;
      e.preventDefault();
      const types = [...e.dataTransfer.types];
      const camera = types.includes(DRAG_CAMERA) ? findCamera(tree, e.dataTransfer.getData(DRAG_CAMERA)) : undefined;
      if (camera) return wall.showAt(Number(tile.dataset.index), camera);
      if (types.includes(DRAG_NODE)) fillWith(e.dataTransfer.getData(DRAG_NODE));
      return undefined;
    },
    // The tiles' own keys are wall-keys.js; the tile focused last is where Enter in the tree puts a camera.
    focusin: (e) => {
      const tile = tileAt(e);
      if (tile) setTarget(Number(tile.dataset.index));
    },
  };
  for (const [type, fn] of Object.entries(gridListeners)) wall.grid.addEventListener(type, fn);

  /** The Enter target on the tiles of the page (called by the wall after each render; tab stops and names: wall-keys.js). */
  function markTiles() {
    wall.tiles().forEach((tile, i) => {
      tile.el.dataset.index = String(i);
      tile.el.classList.toggle('tile-target', i === target);
    });
  }

  // ---- data ----
  let loadSeq = 0;
  async function load() {
    const seq = ++loadSeq;
    let cameras;
    try {
      cameras = await apiAll('/api/cameras');
    } catch (e) {
      if (seq === loadSeq) notify(describeError(e));
      return;
    }
    if (seq !== loadSeq || !panel.isConnected) return;
    const first = !loaded;
    if (!first && holdsCameras(tree, cameras)) return; // nothing changed: the rows under the pointer stay
    tree = buildTree(jurisdictions, cameras, { unassignedName: t('tree.unassigned'), compare: collator.compare });
    loaded = true;
    if (first) {
      // Opened at the start: each root, and the level under it when there is one root (a station user's posts).
      for (const r of tree.roots) expanded.add(r.id);
      if (tree.roots.length === 1) for (const c of tree.roots[0].children) if (c.children.length) expanded.add(c.id);
    }
    filter = filterTree(tree, query, { initials });
    render();
  }
  let reloadTimer = null;
  function reloadSoon() {
    clearTimeout(reloadTimer);
    reloadTimer = later(() => void load(), RELOAD_DELAY_MS);
  }

  function onStatus(cameraId, status) {
    for (const id of setCameraStatus(tree, cameraId, status)) {
      const el = nodeEls.get(id);
      const old = el?.querySelector(':scope > .tree-row > .tree-counts');
      if (old) old.replaceWith(countsEl(tree.nodes.get(id)));
    }
    const li = cameraEls.get(cameraId);
    if (li) {
      li.dataset.status = status;
      li.querySelector(':scope > .tree-row > .status')?.replaceWith(statusBadge(status));
    }
  }

  void load();
  return {
    onEvent({ type, data }) {
      if (type === 'camera-status') onStatus(data.cameraId, data.status);
      else if (type === 'cameras-changed' || type === 'ready') reloadSoon();
    },
    tilesChanged: markTiles,
    destroy() {
      loadSeq++;
      for (const id of timers) clearTimeout(id);
      for (const [type, fn] of Object.entries(gridListeners)) wall.grid.removeEventListener(type, fn);
    },
  };
}
