// Hotspot areas on the hotspot screen (issue 15, docs/methods.md "Hotspot areas"): the actionable list (GET
// /api/hotspots/areas), the areas outlined on the map, the visible cameras as markers and a legend in plain words.
import { incidentTypeName, t } from './i18n.js';
import { areaSentence, areaTitle, areaWallHash, cameraLine } from './hotspots-areas-text.js';
import { h, plainText } from './util.js';

/** Areas listed before "show all": what fits the panel at 1366×768 without scrolling. */
export const AREAS_SHOWN = 5;
const LEVEL_COLOUR = { 99: '#b71c1c', 95: '#d84315', 90: '#ef6c00' };

/** The words of each area, once per answer: title and sentence. */
export function describeAreas(answer, { scopeName } = {}) {
  const type = answer?.type ?? '';
  const scope = scopeName ?? answer?.jurisdiction?.name ?? '';
  return (answer?.areas ?? []).map((area, i) => ({
    area,
    title: areaTitle(area, t, i),
    sentence: areaSentence(area, t, { type, typeName: type ? incidentTypeName(type) : '', scopeName: scope }),
  }));
}

/**
 * The areas list: at most AREAS_SHOWN unless `all`, each with its name, sentence, nearest cameras, zoom and open wall.
 * `described` is describeAreas' answer.
 */
export function areaList(described, { level, all, onShowAll, onZoom, navigate }) {
  const shown = all ? described : described.slice(0, AREAS_SHOWN);
  return h('section', { id: 'hs-areas', class: 'hs-areas', dataset: { level: String(level), count: String(described.length) } },
    h('h3', {}, t('hsa.listTitle', { level, count: described.length })),
    described.length ? h('ol', { class: 'hs-area-list' }, shown.map(({ area, title, sentence }) => {
      const cams = area.cameras ?? [];
      return h('li', { class: 'hs-area', dataset: { areaId: area.id, level: String(area.level), count: String(area.count) } },
        h('div', { class: 'hs-area-head' },
          h('span', { class: `chip hot-${area.level}` }, `${area.level}%`), ' ',
          h('strong', { class: 'hs-area-title' }, title)),
        h('div', { class: 'hs-area-sentence' }, sentence),
        h('div', { class: 'hs-area-cameras muted', title: cams.map((c) => c.name).join(', ') }, cameraLine(area, t)),
        h('div', { class: 'hs-area-actions' },
          h('button', { type: 'button', class: 'hs-area-zoom', onclick: () => onZoom(area) }, t('hsa.zoom')),
          cams.length ? h('button', { type: 'button', class: 'hs-area-wall', title: t('hsa.openWallHint', { title }), onclick: () => navigate(areaWallHash(area, t('hsa.wallTitle', { title }))) }, t('hsa.openWall', { count: Math.min(cams.length, 25) })) : null));
    })) : h('p', { class: 'muted', id: 'hs-areas-none' }, t('hsa.none', { level })),
    !all && described.length > AREAS_SHOWN ? h('button', { type: 'button', class: 'link', id: 'hs-areas-all', onclick: onShowAll }, t('hsa.showAll', { count: described.length })) : null);
}

/** Outlines of the areas (their cells' extent) in `layer`, with the area's words as tooltip. */
export function drawAreaOutlines(layer, described) {
  layer.clearLayers();
  for (const { area, title, sentence } of described) {
    const b = area.bounds;
    const rect = window.L.rectangle([[b.south, b.west], [b.north, b.east]], { color: LEVEL_COLOUR[area.level] ?? '#b71c1c', weight: 2, dashArray: '6 4', fill: false, className: 'hotspot-area' });
    rect.bindTooltip(plainText(t('hsa.areaTooltip', { title, sentence })));
    layer.addLayer(rect);
    const el = rect.getElement();
    if (el) el.dataset.areaId = area.id;
  }
}

/** The caller's cameras with a location as markers (garages in their own colour), named in their tooltip. */
export function drawCameraMarkers(layer, cameras) {
  layer.clearLayers();
  for (const c of cameras) {
    const lat = Number(c.location?.lat);
    const lon = Number(c.location?.lon);
    if (!Number.isFinite(lat) || !Number.isFinite(lon)) continue;
    const garage = (c.tags ?? []).includes('garage');
    const marker = window.L.circleMarker([lat, lon], { radius: 5, weight: 1.5, color: '#fff', fillColor: garage ? '#6a1b9a' : '#1565c0', fillOpacity: 0.95, className: `hs-camera${garage ? ' garage' : ''}` });
    marker.bindTooltip(plainText(t(garage ? 'hsa.garageTooltip' : 'hsa.cameraTooltip', { name: c.name })));
    layer.addLayer(marker);
    const el = marker.getElement();
    if (el) el.dataset.cameraId = c.id;
  }
}

/** The legend of the Gi* map in plain words: what the colours, outlines and dots mean. */
export function giLegend(styles) {
  const swatch = (k) => h('span', { class: 'dot', style: `background:${styles[k].fillColor}` });
  return h('div', { id: 'hs-legend', class: 'legend hs-plain-legend' },
    h('p', { class: 'muted' }, t('hsa.legend.intro')),
    h('ul', {},
      h('li', {}, swatch('hot-99'), swatch('hot-95'), swatch('hot-90'), ' ', t('hsa.legend.hot')),
      h('li', {}, swatch('cold-99'), swatch('cold-95'), swatch('cold-90'), ' ', t('hsa.legend.cold')),
      h('li', {}, swatch('none'), ' ', t('hsa.legend.none')),
      h('li', {}, h('span', { class: 'legend-outline' }), ' ', t('hsa.legend.area')),
      h('li', {}, h('span', { class: 'dot', style: 'background:#1565c0' }), ' ', t('hsa.legend.camera'), ' ', h('span', { class: 'dot', style: 'background:#6a1b9a' }), ' ', t('hsa.legend.garage'))));
}

/** A cell's tooltip in words: its incidents and what its colour means; z and p for those who want them. */
export function cellTooltip(cell, confidence, scopeName) {
  const scope = scopeName ? t('hsa.scope.node', { name: scopeName }) : t('hsa.scope.all');
  return t(`hsa.cell.${confidence}`, { count: Number(cell.count) || 0, scope, z: (Number(cell.z) || 0).toFixed(2) });
}
