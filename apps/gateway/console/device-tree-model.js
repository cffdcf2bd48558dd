// The device tree's data, without the DOM (device-tree.js draws it): sub-bureau → station → post → cameras from the
// visible jurisdictions (GET /api/jurisdictions) and cameras (GET /api/cameras), status counts per node over its whole
// subtree, and the search (substring, case-insensitive, across camera and node names; pinyin initials for Chinese
// names where the browser's collation has the data). No imports and no I/O: the unit spec evaluates this file as it is
// (apps/gateway/src/console/device-tree-model.spec.ts).

/** The camera statuses of the contract; anything else counts as unknown. */
export const TREE_STATUSES = ['online', 'offline', 'unauthorized', 'unknown'];
/** The id of the group holding cameras whose jurisdiction is none or not visible (an admin's unplaced cameras). */
export const UNASSIGNED_ID = '';

function emptyCounts() {
  return { online: 0, offline: 0, unauthorized: 0, unknown: 0, total: 0 };
}

/**
 * The tree: `roots` (nodes whose parent is not visible: a station user's station, an admin's sub-bureau, a node
 * shared by a grant), `nodes` by id, and `cameraNode` (camera id → the id of the node it hangs under). Siblings are
 * ordered by name (`compare`, a collator's compare); each node's cameras keep the order of `cameras` (the API's, by name).
 * A node: {id, name, tier, parentId, depth, children, cameras, counts}; counts cover the whole subtree.
 */
export function buildTree(jurisdictions, cameras, { unassignedName = '—', compare = (a, b) => (a < b ? -1 : a > b ? 1 : 0) } = {}) {
  const nodes = new Map();
  for (const j of jurisdictions ?? []) {
    nodes.set(j.id, { id: j.id, name: String(j.name ?? ''), tier: j.tier ?? '', parentId: j.parentId ?? null, depth: 0, children: [], cameras: [], counts: emptyCounts() });
  }
  const roots = [];
  for (const n of nodes.values()) {
    const parent = n.parentId !== null && n.parentId !== n.id ? nodes.get(n.parentId) : undefined;
    if (parent) parent.children.push(n);
    else roots.push(n);
  }
  const cameraNode = new Map();
  let unassigned = null;
  for (const c of cameras ?? []) {
    let node = c.jurisdictionId ? nodes.get(c.jurisdictionId) : undefined;
    if (!node) {
      if (!unassigned) unassigned = { id: UNASSIGNED_ID, name: unassignedName, tier: '', parentId: null, depth: 0, children: [], cameras: [], counts: emptyCounts() };
      node = unassigned;
    }
    node.cameras.push({ ...c });
    cameraNode.set(c.id, node.id);
  }
  const byName = (a, b) => compare(a.name, b.name) || (a.id < b.id ? -1 : 1);
  roots.sort(byName);
  if (unassigned) { roots.push(unassigned); nodes.set(UNASSIGNED_ID, unassigned); }
  const stack = roots.map((n) => [n, 0]);
  while (stack.length) {
    const [n, depth] = stack.pop();
    n.depth = depth;
    n.children.sort(byName);
    for (const c of n.children) stack.push([c, depth + 1]);
  }
  const tree = { roots, nodes, cameraNode };
  recount(tree);
  return tree;
}

/** Depth first, parents before children, siblings in order. */
export function walk(tree, visit) {
  const stack = [...tree.roots].reverse();
  while (stack.length) {
    const n = stack.pop();
    visit(n);
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
}

/** Recomputes every node's counts (online, offline, unauthorized, unknown, total) over its subtree. */
export function recount(tree) {
  const order = [];
  walk(tree, (n) => order.push(n));
  for (let i = order.length - 1; i >= 0; i--) {
    const n = order[i];
    const counts = emptyCounts();
    for (const c of n.cameras) {
      counts[TREE_STATUSES.includes(c.status) ? c.status : 'unknown']++;
      counts.total++;
    }
    for (const child of n.children) for (const k of Object.keys(counts)) counts[k] += child.counts[k];
    n.counts = counts;
  }
}

/** The camera record in the tree, or undefined. */
export function findCamera(tree, cameraId) {
  const node = tree.nodes.get(tree.cameraNode.get(cameraId));
  return node?.cameras.find((c) => c.id === cameraId);
}

/**
 * A status change (the push channel's camera-status): the camera's record and the counts of its node and every
 * ancestor. Returns the ids of the nodes whose counts changed ([] when the camera is unknown or its status the same).
 */
export function setCameraStatus(tree, cameraId, status) {
  const camera = findCamera(tree, cameraId);
  if (!camera || camera.status === status) return [];
  const key = (s) => (TREE_STATUSES.includes(s) ? s : 'unknown');
  const before = key(camera.status);
  camera.status = status;
  const after = key(status);
  const changed = [];
  for (let n = tree.nodes.get(tree.cameraNode.get(cameraId)); n; n = n.parentId !== null ? tree.nodes.get(n.parentId) : undefined) {
    n.counts[before]--;
    n.counts[after]++;
    changed.push(n.id);
    if (n.id === UNASSIGNED_ID) break;
  }
  return changed;
}

/**
 * Whether a new camera list (GET /api/cameras again: after a push reconnect, a camera notice) is what the tree holds
 * already: the same records (every field, a status changed since by the push channel included) in the same order,
 * under the same nodes. The tree is then not built and drawn again (a redraw under a pointer drops a drag starting
 * on a row, and moves nothing anyway).
 */
export function holdsCameras(tree, cameras) {
  const list = cameras ?? [];
  if (list.length !== tree.cameraNode.size) return false;
  const reached = new Map(); // node id → how many of its cameras the list has given so far
  for (const c of list) {
    const nodeId = tree.cameraNode.get(c.id);
    const node = nodeId === undefined ? undefined : tree.nodes.get(nodeId);
    if (!node) return false;
    const placed = c.jurisdictionId && c.jurisdictionId !== UNASSIGNED_ID && tree.nodes.has(c.jurisdictionId) ? c.jurisdictionId : UNASSIGNED_ID;
    const i = reached.get(nodeId) ?? 0;
    if (placed !== nodeId || JSON.stringify(node.cameras[i]) !== JSON.stringify(c)) return false;
    reached.set(nodeId, i + 1);
  }
  return true;
}

/** Every camera of a node's subtree: its own first (in order), then each child's, depth first. */
export function camerasUnder(tree, nodeId) {
  const start = tree.nodes.get(nodeId);
  if (!start) return [];
  const out = [];
  walk({ roots: [start] }, (n) => out.push(...n.cameras));
  return out;
}

/** Text as the search compares it: Unicode-normalised (full-width letters and digits become ASCII), lower case, one space. */
export function normalizeText(text) {
  return String(text ?? '').normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;
const PINYIN_LETTERS = 'ABCDEFGHJKLMNOPQRSTWXYZ';

/**
 * A function giving the pinyin initials of a text ("北门岗亭 2" → "bmgt2"), or null where the collation cannot give
 * them. It asks the collation the browser already has (ICU with CLDR's zh pinyin order): CLDR marks where each
 * letter's group starts with the index characters U+FDD0 + letter, so a Han character's initial is the last marker
 * it sorts after. One reading per character (a character with several, such as 长 cháng/zhǎng, gets the one the
 * collation sorts it by: 长安 is "za"). Letters and digits stay as they are; anything else is left out.
 * `collator`: a zh-CN Intl.Collator; null is answered when it is not a Chinese one or fails the self-check.
 */
export function makePinyinInitials(collator) {
  if (!collator || !/^zh/i.test(collator.resolvedOptions().locale)) return null;
  const markers = [...PINYIN_LETTERS].map((l) => `\uFDD0${l}`);
  const initialOf = (ch) => {
    let lo = 0;
    let hi = markers.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (collator.compare(ch, markers[mid]) >= 0) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found < 0 ? '' : PINYIN_LETTERS[found].toLowerCase();
  };
  // Known readings: without the markers in the collation data (a small ICU build) these come out wrong: no pinyin then.
  const check = { 阿: 'a', 八: 'b', 村: 'c', 东: 'd', 派: 'p', 所: 's', 西: 'x', 中: 'z', 楼: 'l', 门: 'm' };
  if (!Object.entries(check).every(([ch, want]) => initialOf(ch) === want)) return null;
  const cache = new Map();
  return (text) => {
    let out = '';
    for (const ch of normalizeText(text)) {
      if (HAN.test(ch)) {
        let v = cache.get(ch);
        if (v === undefined) { v = initialOf(ch); cache.set(ch, v); }
        out += v;
      } else if (/[a-z0-9]/.test(ch)) out += ch;
    }
    return out;
  };
}

/** Whether `name` matches the (normalised) query: a substring of the name, or of its pinyin initials for a Latin query. */
export function nameMatches(name, q, initials) {
  if (!q) return true;
  if (normalizeText(name).includes(q)) return true;
  if (initials && /^[a-z0-9]+$/.test(q.replace(/ /g, '')) && HAN.test(String(name))) return initials(name).includes(q.replace(/ /g, ''));
  return false;
}

/**
 * The search: null for an empty query (everything shown), else {nodes, cameras, expand, matches}. A camera is shown when
 * its name matches or a node above it does; a node when its name matches, a node above it does, or anything below it
 * does. `expand` holds the nodes above a match (opened so the match is seen); `matches` counts the cameras shown.
 */
export function filterTree(tree, query, { initials = null } = {}) {
  const q = normalizeText(query);
  if (!q) return null;
  const nodes = new Set();
  const cameras = new Set();
  const expand = new Set();
  const visit = (n, ancestorMatched) => {
    const self = ancestorMatched || nameMatches(n.name, q, initials);
    let below = false;
    for (const c of n.cameras) {
      if (self || nameMatches(c.name, q, initials)) { cameras.add(c.id); below = true; }
    }
    for (const child of n.children) if (visit(child, self)) below = true;
    if (self || below) nodes.add(n.id);
    if (below && !ancestorMatched) expand.add(n.id);
    return self || below;
  };
  for (const r of tree.roots) visit(r, false);
  return { nodes, cameras, expand, matches: cameras.size };
}
