// Map (docs/map.md): jurisdiction boundaries with their names as labels, the basemap's streets and landmarks when one
// is configured (usable without tiles), optional tiles, camera clusters with counts that spread out markers at one
// spot, a legend with per-status counts that is also the status filter, and "jump to" a camera or a jurisdiction.
import { api, apiAll, describeError } from './api.js';
import { createMap, hasLocation } from './geo.js';
import { formatNumber, statusName, t, tierName } from './i18n.js';
import { interiorPoint } from './interior-point.js';
import { subscribeEvents } from './live-events.js';
import { estimateLabelSize, labelShown, lineMidpoint } from './map-labels.js';
import { searchMap } from './map-search.js';
import { clusterTone, filterByStatus, MAP_STATUSES, mapStatus, shownCount, statusCounts } from './map-status.js';
import { openLive } from './overlay.js';
import { Disposer, h, plainText, statusBadge, statusColour } from './util.js';

const TIER_STYLE = {
  'sub-bureau': { color: '#34495e', weight: 3, fillOpacity: 0.02 },
  station: { color: '#2471a3', weight: 2, fillOpacity: 0.04 },
  post: { color: '#7d3c98', weight: 1, dashArray: '4 3', fillOpacity: 0.05 },
};

/** Cameras closer than this many screen pixels are drawn as one cluster (markercluster's maxClusterRadius). */
export const CLUSTER_RADIUS_PX = 60;
/** The map's highest zoom; markers still clustered there spread out on a click (docs/map.md "Spread out"). */
export const MAP_MAX_ZOOM = 19;
/** Where the ticked statuses of the legend are kept between visits (this browser). */
const FILTER_KEY = 'tiergate.map.statuses';
const HIGHLIGHT_MS = 2500;

/** Adds one GeoJSON layer per jurisdiction with a boundary; returns the group (for fitting the view). */
export function addBoundaries(map, jurisdictions, { interactive = true } = {}) {
  const group = window.L.featureGroup();
  for (const j of jurisdictions) {
    if (!j.boundary) continue;
    const layer = window.L.geoJSON(j.boundary, { interactive, style: () => ({ ...(TIER_STYLE[j.tier] ?? TIER_STYLE.post), className: `boundary boundary-${j.tier}` }) });
    if (interactive) layer.bindTooltip(plainText(`${j.name} (${tierName(j.tier)})`, { class: 'boundary-tooltip' }), { sticky: true });
    layer.jurisdictionId = j.id;
    group.addLayer(layer);
  }
  group.addTo(map);
  return group;
}

/** A pane of its own (below the boundaries, or above them for labels) so layers stack in a fixed order. */
function pane(map, name, zIndex, { pointerEvents = true } = {}) {
  const el = map.getPane(name) ?? map.createPane(name);
  el.style.zIndex = String(zIndex);
  if (!pointerEvents) el.style.pointerEvents = 'none';
  return name;
}

/** A permanent label (a div icon holding a text node, never markup) centred on `latlng`. */
function labelMarker(latlng, text, kind) {
  const icon = window.L.divIcon({ className: `map-label map-label-${kind}`, html: h('span', { class: 'map-label-text' }, text), iconSize: [0, 0], iconAnchor: [0, 0] });
  return window.L.marker(latlng, { icon, interactive: false, keyboard: false, pane: 'mapLabels' });
}

/**
 * Permanent labels that show and hide by the label rule (map-labels.js) on every zoom. `items`: [{latlng, text,
 * kind, bounds?, leaf?}], bounds (L.LatLngBounds) for a jurisdiction so its label needs room inside its boundary,
 * leaf for one without children (it keeps its name past its tier's maxZoom).
 * Returns {refresh, layer}.
 */
function addLabels(map, items) {
  const layer = window.L.layerGroup().addTo(map);
  const labels = items.map((item) => ({ ...item, marker: labelMarker(item.latlng, item.text, item.kind), size: estimateLabelSize(item.text), shown: false }));
  const refresh = () => {
    const zoom = map.getZoom();
    for (const l of labels) {
      let box;
      if (l.bounds) {
        const nw = map.project(l.bounds.getNorthWest(), zoom);
        const se = map.project(l.bounds.getSouthEast(), zoom);
        box = { w: se.x - nw.x, h: se.y - nw.y };
      }
      const show = labelShown(l.kind, zoom, box, box && l.size, l.leaf);
      if (show !== l.shown) {
        l.shown = show;
        if (show) layer.addLayer(l.marker);
        else layer.removeLayer(l.marker);
      }
    }
  };
  map.on('zoomend', refresh);
  refresh();
  return { refresh, layer };
}

/** Names of the jurisdictions as labels at an interior point of their boundary (docs/map.md "Labels"). */
export function addJurisdictionLabels(map, jurisdictions, boundaries) {
  pane(map, 'mapLabels', 450, { pointerEvents: false });
  const bounds = new Map();
  boundaries?.eachLayer((l) => bounds.set(l.jurisdictionId, l.getBounds()));
  const parents = new Set(jurisdictions.filter((j) => j.boundary && j.parentId).map((j) => j.parentId));
  const items = [];
  for (const j of jurisdictions) {
    const p = j.boundary && interiorPoint(j.boundary);
    if (!p) continue;
    items.push({ latlng: [p.lat, p.lon], text: j.name, kind: TIER_STYLE[j.tier] ? j.tier : 'post', leaf: !parents.has(j.id), bounds: bounds.get(j.id) ?? window.L.geoJSON(j.boundary).getBounds() });
  }
  return addLabels(map, items);
}

const LANDMARK_DOT = { className: 'basemap-landmark', color: '#4e342e', weight: 1, opacity: 1, fillColor: '#8d6e63', fillOpacity: 1 };

/** The basemap's streets and landmarks under the boundaries, landmark and street names as labels. */
function addBasemap(map, basemap) {
  pane(map, 'basemap', 350);
  pane(map, 'mapLabels', 450, { pointerEvents: false });
  const layer = window.L.geoJSON(basemap, {
    pane: 'basemap',
    interactive: false,
    // Leaflet styles every vector layer of the collection with this, the landmarks' dots included.
    style: (f) => (f.properties?.role === 'street'
      ? { className: `basemap-street${f.properties.major ? ' basemap-street-major' : ''}`, color: f.properties.major ? '#d5c29f' : '#c9c3b6', weight: f.properties.major ? 6 : 3, opacity: 1, lineCap: 'round' }
      : /Point$/.test(f.geometry?.type) ? LANDMARK_DOT
        : { className: 'basemap-area', color: '#8bae7a', weight: 1, fillColor: '#cfe3c1', fillOpacity: 0.7 }),
    pointToLayer: (f, latlng) => window.L.circleMarker(latlng, { pane: 'basemap', interactive: false, radius: 4, ...LANDMARK_DOT }),
  }).addTo(map);
  const items = [];
  for (const f of basemap.features ?? []) {
    const name = f.properties?.name;
    const g = f.geometry;
    if (!name || !g) continue;
    let p = null;
    if (g.type === 'Point') p = { lon: g.coordinates[0], lat: g.coordinates[1] };
    else if (g.type === 'MultiPoint') p = { lon: g.coordinates[0][0], lat: g.coordinates[0][1] };
    else if (g.type === 'Polygon' || g.type === 'MultiPolygon') p = interiorPoint(g);
    else if (g.type === 'LineString') p = lineMidpoint(g.coordinates);
    else if (g.type === 'MultiLineString') p = lineMidpoint(g.coordinates[0]);
    if (p) items.push({ latlng: [p.lat, p.lon], text: name, kind: f.properties.role === 'street' ? 'street' : 'landmark' });
  }
  addLabels(map, items);
  return layer;
}

/** A camera marker's icon: a dot in the status colour (a div, so the cluster plug-in can spread it out). */
function cameraIcon(status) {
  const dot = h('span', { class: 'camera-dot' });
  dot.style.background = statusColour(status);
  return window.L.divIcon({ className: `camera-marker status-${status}`, html: dot, iconSize: [16, 16], iconAnchor: [8, 8], popupAnchor: [0, -8], tooltipAnchor: [8, 0] });
}

/** A cluster's icon: how many cameras it holds, toned by how many of them are online. */
function clusterIcon(cluster) {
  const members = cluster.getAllChildMarkers();
  const counts = statusCounts(members.map((m) => ({ status: m.options.status })));
  const n = members.length;
  const inner = h('div', { class: 'camera-cluster-inner', dataset: { count: String(n), online: String(counts.online) } },
    h('span', { class: 'camera-cluster-count' }, formatNumber(n)));
  inner.title = t('map.cluster', { count: n, online: counts.online });
  return window.L.divIcon({ html: inner, className: `camera-cluster tone-${clusterTone(counts)}`, iconSize: window.L.point(38, 38) });
}

function loadShownStatuses() {
  try {
    const saved = JSON.parse(localStorage.getItem(FILTER_KEY) ?? 'null');
    if (Array.isArray(saved)) return new Set(saved.filter((s) => MAP_STATUSES.includes(s)));
  } catch { /* a broken value: all shown */ }
  return new Set(MAP_STATUSES);
}

export function mountMap(container, { config, notify }) {
  const d = new Disposer();
  const shown = loadShownStatuses();
  const counts = Object.fromEntries(MAP_STATUSES.map((s) => [s, 0]));
  const legendItems = new Map();
  const legend = h('div', { class: 'legend map-legend', id: 'map-legend', role: 'group', 'aria-label': t('map.legend') }, MAP_STATUSES.map((s) => {
    const box = h('input', { type: 'checkbox', checked: shown.has(s), dataset: { status: s }, onchange: () => toggleStatus(s, box.checked) });
    const count = h('span', { class: 'legend-count' }, '0');
    const dot = h('span', { class: 'dot' });
    dot.style.background = statusColour(s);
    const item = h('label', { class: 'legend-item', dataset: { status: s }, title: t('map.legendToggle') }, box, dot, h('span', { class: 'legend-name' }, statusName(s)), count);
    legendItems.set(s, { item, box, count });
    return item;
  }));
  const shownEl = h('span', { class: 'muted', id: 'map-shown' });
  const searchInput = h('input', { type: 'search', id: 'map-search', placeholder: t('map.search.placeholder'), 'aria-label': t('map.search.label'), autocomplete: 'off', role: 'combobox', 'aria-expanded': 'false', 'aria-controls': 'map-search-results' });
  const results = h('ul', { class: 'map-search-results', id: 'map-search-results', role: 'listbox', hidden: true });
  const search = h('div', { class: 'map-search' }, searchInput, results);
  const info = h('span', { class: 'muted', id: 'map-info' });
  const unlocated = h('span', { class: 'muted', id: 'map-unlocated' });
  const mapEl = h('div', { class: 'map', id: 'main-map' });
  container.append(h('div', { class: 'toolbar map-toolbar' }, legend, shownEl, search, info, unlocated), mapEl);
  const map = createMap(mapEl, config, { maxZoom: MAP_MAX_ZOOM });
  d.add(() => map.remove());

  let jurisdictions = [];
  let cameras = [];
  let boundaries = null;
  const markers = new Map(); // camera id -> marker
  const clusters = window.L.markerClusterGroup({
    maxClusterRadius: CLUSTER_RADIUS_PX,
    showCoverageOnHover: false,
    spiderfyOnMaxZoom: true,
    zoomToBoundsOnClick: true,
    chunkedLoading: true,
    iconCreateFunction: clusterIcon,
  });
  map.addLayer(clusters);

  function updateLegend() {
    Object.assign(counts, statusCounts(cameras.filter(hasLocation)));
    for (const [s, { item, box, count }] of legendItems) {
      count.textContent = formatNumber(counts[s]);
      item.dataset.count = String(counts[s]);
      box.checked = shown.has(s);
      item.classList.toggle('off', !shown.has(s));
    }
    const total = MAP_STATUSES.reduce((n, s) => n + counts[s], 0);
    const visible = shownCount(counts, shown);
    shownEl.textContent = t('map.shown', { shown: visible, total });
    shownEl.dataset.shown = String(visible);
  }

  /** Puts exactly the markers of the ticked statuses into the clusters (they count again). */
  function applyFilter() {
    const keep = filterByStatus(cameras.filter(hasLocation), shown).map((c) => markers.get(c.id)).filter(Boolean);
    clusters.clearLayers();
    clusters.addLayers(keep);
    updateLegend();
  }

  function toggleStatus(status, on) {
    if (on) shown.add(status);
    else shown.delete(status);
    try { localStorage.setItem(FILTER_KEY, JSON.stringify([...shown])); } catch { /* private mode: not kept */ }
    applyFilter();
  }

  const jurisdictionName = (id) => jurisdictions.find((j) => j.id === id)?.name ?? '';

  function popupFor(cam) {
    return () => h('div', { class: 'camera-popup', dataset: { cameraId: cam.id } },
      h('strong', { class: 'camera-popup-name' }, cam.name),
      h('div', {}, statusBadge(cam.status)),
      h('div', { class: 'muted' }, jurisdictionName(cam.jurisdictionId)),
      h('button', { type: 'button', class: 'camera-popup-live', onclick: () => openLive(cam, 'main') }, t('map.popup.live')));
  }

  function markerFor(cam) {
    const status = mapStatus(cam);
    const m = window.L.marker([cam.location.lat, cam.location.lon], { icon: cameraIcon(status), status, cameraId: cam.id, keyboard: true });
    m.bindTooltip(plainText(`${cam.name} · ${statusName(status)}`, { class: 'camera-tooltip' }), { direction: 'right' });
    m.bindPopup(popupFor(cam), { className: 'camera-popup-wrap' });
    m.on('add', () => {
      const el = m.getElement();
      if (el) { el.dataset.cameraId = cam.id; el.setAttribute('aria-label', `${cam.name} · ${statusName(status)}`); }
    });
    return m;
  }

  function setCameras(list) {
    cameras = list;
    markers.clear();
    for (const cam of cameras.filter(hasLocation)) markers.set(cam.id, markerFor(cam));
    applyFilter();
    const located = markers.size;
    info.textContent = t('map.info', { jurisdictions: jurisdictions.length, cameras: located });
    unlocated.textContent = cameras.length > located ? t('map.unlocated', { count: cameras.length - located }) : '';
  }

  function onStatus(cameraId, status) {
    const cam = cameras.find((c) => c.id === cameraId);
    const m = markers.get(cameraId);
    if (!cam || !m || mapStatus(cam) === mapStatus({ status })) return;
    cam.status = status;
    const next = markerFor(cam);
    markers.set(cameraId, next);
    if (clusters.hasLayer(m)) clusters.removeLayer(m);
    if (shown.has(mapStatus(cam))) clusters.addLayer(next);
    updateLegend();
  }

  let reloadTimer = null;
  async function reloadCameras() {
    try {
      const list = await apiAll('/api/cameras');
      if (mapEl.isConnected) setCameras(list);
    } catch (e) {
      notify(describeError(e));
    }
  }

  // ---- search: jump to a camera (its popup) or a jurisdiction (its boundary) ----
  let hits = [];
  let active = -1;
  const collator = new Intl.Collator(undefined, { sensitivity: 'base' });
  function renderResults() {
    results.replaceChildren(...hits.map((hit, i) => h('li', {
      role: 'option', class: `map-search-hit${i === active ? ' active' : ''}`, id: `map-hit-${i}`, 'aria-selected': String(i === active),
      dataset: { kind: hit.kind, id: hit.id },
      onmousedown: (e) => { e.preventDefault(); pick(hit); },
    }, h('span', { class: 'map-search-name' }, hit.name), h('span', { class: 'muted' }, hit.kind === 'camera' ? ` ${statusName(mapStatus(hit.item))} · ${jurisdictionName(hit.item.jurisdictionId)}` : ` ${tierName(hit.item.tier)}`))));
    if (searchInput.value.trim() && !hits.length) results.replaceChildren(h('li', { class: 'muted map-search-none' }, t('map.search.none')));
    results.hidden = !searchInput.value.trim();
    searchInput.setAttribute('aria-expanded', String(!results.hidden));
    if (active >= 0) searchInput.setAttribute('aria-activedescendant', `map-hit-${active}`);
    else searchInput.removeAttribute('aria-activedescendant');
  }
  function runSearch() {
    hits = searchMap(searchInput.value, { cameras, jurisdictions }, { compare: collator.compare });
    active = hits.length ? 0 : -1;
    renderResults();
  }
  function closeResults() {
    results.hidden = true;
    searchInput.setAttribute('aria-expanded', 'false');
  }
  function pick(hit) {
    closeResults();
    searchInput.value = hit.name;
    if (hit.kind === 'camera') {
      const status = mapStatus(hit.item);
      if (!shown.has(status)) toggleStatus(status, true); // asked for by name: show it even if its status was hidden
      const m = markers.get(hit.id);
      if (m) clusters.zoomToShowLayer(m, () => m.openPopup());
    } else {
      let target = null;
      boundaries?.eachLayer((l) => { if (l.jurisdictionId === hit.id) target = l; });
      if (!target) return;
      map.fitBounds(target.getBounds(), { padding: [20, 20] });
      target.setStyle({ color: '#e67e22', weight: 4 });
      const el = [];
      target.eachLayer((p) => { const e = p.getElement?.(); if (e) { e.classList.add('boundary-found'); el.push(e); } });
      d.timeout(() => { target.resetStyle(); for (const e of el) e.classList.remove('boundary-found'); }, HIGHLIGHT_MS);
    }
  }
  d.listen(searchInput, 'input', runSearch);
  d.listen(searchInput, 'focus', () => { if (searchInput.value.trim()) runSearch(); });
  d.listen(searchInput, 'blur', closeResults);
  d.listen(searchInput, 'keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (!hits.length) return;
      e.preventDefault();
      active = (active + (e.key === 'ArrowDown' ? 1 : hits.length - 1)) % hits.length;
      renderResults();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (results.hidden) runSearch();
      if (hits[active]) pick(hits[active]);
    } else if (e.key === 'Escape') {
      closeResults();
    }
  });

  (async () => {
    try {
      const [js, list, basemap] = await Promise.all([
        api('GET', '/api/jurisdictions?withBoundary=1'),
        apiAll('/api/cameras'),
        config?.basemapUrl ? api('GET', config.basemapUrl).catch((e) => { notify(describeError(e)); return null; }) : null,
      ]);
      if (!mapEl.isConnected) return;
      jurisdictions = js;
      const base = basemap?.features ? addBasemap(map, basemap) : null;
      boundaries = addBoundaries(map, jurisdictions);
      setCameras(list);
      const bounds = [boundaries, clusters, base].map((l) => l?.getLayers().length && l.getBounds()).find((b) => b && b.isValid());
      if (bounds) map.fitBounds(bounds, { padding: [10, 10] });
      addJurisdictionLabels(map, jurisdictions, boundaries);
      mapEl.dataset.ready = 'true';
      // Live statuses move markers between legend entries; added or removed cameras reload the list.
      d.add(subscribeEvents(({ type, data }) => {
        if (type === 'camera-status') onStatus(data.cameraId, data.status);
        else if (type === 'cameras-changed') {
          clearTimeout(reloadTimer);
          reloadTimer = setTimeout(() => void reloadCameras(), 1000);
        }
      }));
      d.add(() => clearTimeout(reloadTimer));
    } catch (e) {
      notify(describeError(e));
    }
  })();
  return () => d.dispose();
}
