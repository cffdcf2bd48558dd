// Hotspot map (Getis-Ord Gi*): cells coloured by confidence, filters, the "three highs", open wall on nearby cameras;
// the hotspot areas at the chosen confidence as the actionable list, the cameras as markers (hotspots-areas.js).
import { api, apiAll, ApiError, describeError } from './api.js';
import { cellBounds, createMap } from './geo.js';
import { confidenceName, formatNumber, incidentTypeName, t, weekdayNames } from './i18n.js';
import { addBoundaries } from './map.js';
import { drawEmergingCells, emergingLegend, guidanceList } from './hotspots-emerging.js';
import { areaList, cellTooltip, describeAreas, drawAreaOutlines, drawCameraMarkers, giLegend } from './hotspots-areas.js';
import { AREA_LEVELS } from './hotspots-areas-text.js';
import { Disposer, h, plainText, query } from './util.js';

const CONFIDENCE_STYLE = {
  'hot-99': { color: '#b71c1c', fillColor: '#d32f2f', fillOpacity: 0.55 },
  'hot-95': { color: '#d84315', fillColor: '#f4511e', fillOpacity: 0.45 },
  'hot-90': { color: '#ef6c00', fillColor: '#ffa726', fillOpacity: 0.4 },
  'cold-90': { color: '#1565c0', fillColor: '#90caf9', fillOpacity: 0.35 },
  'cold-95': { color: '#1565c0', fillColor: '#42a5f5', fillOpacity: 0.4 },
  'cold-99': { color: '#0d47a1', fillColor: '#1e88e5', fillOpacity: 0.5 },
  none: { color: '#9e9e9e', fillColor: '#bdbdbd', fillOpacity: 0.15 },
};

/** The confidence class of a cell: the server's when given, else from z (two-sided 90/95/99 %). */
export function confidenceOf(cell) {
  if (typeof cell.confidence === 'string') return cell.confidence;
  const z = Number(cell.z) || 0;
  const a = Math.abs(z);
  const level = a >= 2.576 ? 99 : a >= 1.96 ? 95 : a >= 1.645 ? 90 : 0;
  if (!level) return 'none';
  return `${z > 0 ? 'hot' : 'cold'}-${level}`;
}

/** A number with `digits` decimals in the console's locale. */
const fixed = (value, digits) => formatNumber(Number(value), { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false });

/** Date input value (YYYY-MM-DD) -> ISO instant at the start (or end) of that local day. */
function dayToIso(value, endOfDay) {
  if (!value) return '';
  const d = new Date(`${value}T00:00:00`);
  if (endOfDay) d.setDate(d.getDate() + 1);
  return d.toISOString();
}

export function mountHotspots(container, { config, jurisdictions, notify, navigate, params }) {
  const d = new Disposer();
  const type = h('input', { id: 'hs-type', placeholder: t('hs.allTypes'), list: 'hs-types', size: 12 });
  const types = h('datalist', { id: 'hs-types' });
  const from = h('input', { id: 'hs-from', type: 'date' });
  const to = h('input', { id: 'hs-to', type: 'date' });
  const run = h('button', { type: 'submit' }, t('hs.show'));
  // Gi* of the period, or the emerging hot spots of the slices ending at "To" (docs/methods.md).
  const mode = h('select', { id: 'hs-mode' }, ['gi', 'emerging'].map((m) => h('option', { value: m }, t(`em.mode.${m}`))));
  // The least confidence of an area's cells (GET /api/hotspots/areas); also fades the hot cells below it on the map.
  const confidence = h('select', { id: 'hs-confidence', title: t('hsa.confidenceHint') }, AREA_LEVELS.map((l) => h('option', { value: String(l) }, t('hsa.level', { level: l }))));
  const confidenceLabel = h('label', {}, t('hsa.confidenceLabel'), ' ', confidence);
  const info = h('span', { class: 'muted', id: 'hs-info' });
  const dateError = h('span', { class: 'error', id: 'hs-date-error', role: 'alert' });
  const form = h('form', { class: 'toolbar', id: 'hs-form' }, h('label', {}, t('em.modeLabel'), ' ', mode), h('label', {}, t('hs.type'), ' ', type, types), h('label', {}, t('hs.from'), ' ', from), h('label', {}, t('hs.to'), ' ', to), confidenceLabel, run, dateError, info);
  const mapEl = h('div', { class: 'map', id: 'hotspot-map' });
  const side = h('aside', { class: 'hs-side', id: 'hs-side' });
  const list = h('div', { id: 'hs-list' });
  const legend = giLegend(CONFIDENCE_STYLE);
  const legendSlot = h('div', {}, legend);
  // The areas stay at the top of the panel, outside its scrolling part, so the actionable list is always in view.
  const areasSlot = h('div', { class: 'hs-areas-slot' });
  container.append(form, h('div', { class: 'hs-layout' }, mapEl, h('div', { class: 'hs-panel hs-panel-split' }, areasSlot, h('div', { class: 'hs-panel-rest' }, legendSlot, side, list))));

  const map = createMap(mapEl, config);
  d.add(() => map.remove());
  const cellLayer = window.L.featureGroup().addTo(map);
  const areaLayer = window.L.featureGroup().addTo(map);
  const cameraLayer = window.L.featureGroup().addTo(map);
  let boundaries = null;
  let withBoundaries = [];
  api('GET', '/api/jurisdictions?withBoundary=1').then((js) => {
    if (!mapEl.isConnected) return;
    withBoundaries = Array.isArray(js) ? js : [];
    boundaries = addBoundaries(map, js).bringToBack();
    if (!cellLayer.getLayers().length && boundaries.getBounds().isValid()) map.fitBounds(boundaries.getBounds());
  }).catch(() => undefined);

  let cameraNames = new Map();
  apiAll('/api/cameras').then((cams) => {
    cameraNames = new Map(cams.map((c) => [c.id, c.name]));
    if (mapEl.isConnected) drawCameraMarkers(cameraLayer, cams);
  }).catch(() => undefined);

  /** Both days given and the first after the last (the server refuses that too): the reason, else ''. */
  const dateProblem = () => (from.value && to.value && from.value > to.value ? t('hs.datesInverted', { from: from.value, to: to.value }) : '');

  let seq = 0;
  async function load() {
    const problem = dateProblem();
    dateError.textContent = problem;
    for (const input of [from, to]) input.setAttribute('aria-invalid', String(Boolean(problem)));
    if (problem) return;
    const mine = ++seq;
    confidenceLabel.hidden = mode.value === 'emerging';
    areasSlot.hidden = mode.value === 'emerging';
    if (mode.value === 'emerging') { areaLayer.clearLayers(); return loadEmerging(mine); }
    legendSlot.replaceChildren(legend);
    const params = { type: type.value.trim(), from: dayToIso(from.value, false), to: dayToIso(to.value, true) };
    info.textContent = t('hs.loading');
    const [hs, summary] = await Promise.allSettled([
      api('GET', `/api/hotspots${query(params)}`),
      api('GET', `/api/hotspots/summary${query(params)}`),
      loadAreas(params),
    ]);
    if (mine !== seq || !mapEl.isConnected) return;
    if (hs.status === 'fulfilled') drawCells(hs.value);
    else { info.textContent = ''; notify(describeError(hs.reason)); }
    if (summary.status === 'fulfilled') drawSummary(summary.value);
    else side.replaceChildren(h('p', { class: 'muted' }, summary.reason instanceof ApiError && summary.reason.status === 404 ? t('hs.summaryMissing') : describeError(summary.reason)));
  }

  let areaSeq = 0;
  /** The name of the node analysed (the areas answer's), '' for the whole district: "above {scope}'s pattern". */
  let scopeName = '';
  /** The areas at the chosen confidence for the filters of the last "Show" (`params`), listed and outlined. */
  let areaParams = {};
  async function loadAreas(params = areaParams) {
    areaParams = params;
    const mine = ++areaSeq;
    const level = Number(confidence.value);
    areasSlot.replaceChildren(h('section', { id: 'hs-areas', class: 'hs-areas', dataset: { loading: 'true' } }, h('h3', {}, t('hsa.listTitle', { level, count: 0 })), h('p', { class: 'muted' }, t('hs.loading'))));
    restyleCells(level);
    try {
      const answer = await api('GET', `/api/hotspots/areas${query({ ...params, confidence: level })}`);
      if (mine !== areaSeq || !mapEl.isConnected) return;
      scopeName = answer.jurisdiction?.name ?? '';
      const described = describeAreas(answer);
      let all = false;
      const render = () => areasSlot.replaceChildren(areaList(described, {
        level: answer.confidence ?? level,
        all,
        onShowAll: () => { all = true; render(); },
        onZoom: (area) => zoomTo(area),
        navigate,
      }));
      render();
      drawAreaOutlines(areaLayer, described);
      cameraLayer.bringToFront();
    } catch (e) {
      if (mine !== areaSeq) return;
      areasSlot.replaceChildren(h('section', { id: 'hs-areas', class: 'hs-areas' }, h('p', { class: 'muted' }, describeError(e))));
    }
  }

  function zoomTo(area) {
    const b = area.bounds;
    map.fitBounds([[b.south, b.west], [b.north, b.east]], { maxZoom: 17, padding: [40, 40] });
    for (const li of areasSlot.querySelectorAll('.hs-area')) li.classList.toggle('selected', li.dataset.areaId === area.id);
    for (const layer of areaLayer.getLayers()) layer.getElement()?.classList.toggle('selected', layer.getElement()?.dataset.areaId === area.id);
  }

  /** Hot cells below the chosen confidence are drawn faded: they are not part of any listed area. */
  function restyleCells(level) {
    for (const layer of cellLayer.getLayers()) {
      const el = layer.getElement?.();
      const conf = el?.dataset.confidence ?? '';
      const below = conf.startsWith('hot-') && Number(conf.slice(4)) < level;
      const style = CONFIDENCE_STYLE[conf] ?? CONFIDENCE_STYLE.none;
      layer.setStyle?.({ fillOpacity: below ? 0.12 : style.fillOpacity, opacity: below ? 0.4 : 1 });
      el?.classList.toggle('below-level', below);
    }
  }

  /** Emerging mode: the slices end at the day after "To" (default: the start of this week), type as chosen. */
  async function loadEmerging(mine) {
    info.textContent = t('hs.loading');
    try {
      const answer = await api('GET', `/api/hotspots/emerging${query({ type: type.value.trim(), to: dayToIso(to.value, true) })}`);
      if (mine !== seq || !mapEl.isConnected) return;
      const drawn = drawEmergingCells(cellLayer, answer);
      info.textContent = t('em.info', { cells: drawn, n: (answer.slices ?? []).length, size: answer.cellSize ?? '?', radius: answer.radius ?? '?' });
      if (drawn) map.fitBounds(cellLayer.getBounds(), { maxZoom: 16, padding: [20, 20] });
      legendSlot.replaceChildren(emergingLegend(answer));
      side.replaceChildren();
      list.replaceChildren(guidanceList(answer, {
        jurisdictions: withBoundaries,
        cameraNames,
        zoom: (c) => map.setView([c.lat, c.lon], 17),
        openWall: (ids) => navigate(`#/wall?cameras=${ids.map(encodeURIComponent).join(',')}&layout=${[1, 4, 9, 16, 25].find((n) => n >= ids.length)}`),
      }));
    } catch (e) {
      if (mine !== seq) return;
      info.textContent = '';
      notify(describeError(e));
    }
  }

  function drawCells(answer) {
    cellLayer.clearLayers();
    const cells = answer.cells ?? [];
    const size = answer.cellSize ?? 250;
    for (const cell of cells) {
      const conf = confidenceOf(cell);
      const rect = window.L.rectangle(cellBounds(cell.centre, size), { ...CONFIDENCE_STYLE[conf] ?? CONFIDENCE_STYLE.none, weight: 1, className: `hotspot-cell ${conf}` });
      rect.bindTooltip(plainText(cellTooltip(cell, conf, scopeName)));
      cellLayer.addLayer(rect);
      const el = rect.getElement();
      if (el) Object.assign(el.dataset, { x: cell.x, y: cell.y, z: cell.z, count: cell.count, confidence: conf });
    }
    restyleCells(Number(confidence.value));
    // Outlines and camera markers above the cells just drawn, so their tooltips are reachable.
    areaLayer.bringToFront();
    cameraLayer.bringToFront();
    const hot = cells.filter((c) => confidenceOf(c).startsWith('hot'));
    info.textContent = t('hs.info', { cells: cells.length, n: answer.n ?? '?', size, radius: answer.radius ?? '?', hot: hot.length });
    if (cells.length) map.fitBounds(cellLayer.getBounds(), { maxZoom: 16, padding: [20, 20] });
    list.replaceChildren(h('h3', {}, t('hs.listTitle')),
      hot.length ? h('ol', { class: 'hs-cells' }, hot.slice(0, 20).map((c) => {
        const ids = (c.cameras ?? []).slice(0, 25);
        return h('li', { dataset: { x: c.x, y: c.y } },
          h('span', { class: `chip ${confidenceOf(c)}` }, confidenceName(confidenceOf(c))), ` ${t('hs.cellLine', { count: Number(c.count), z: fixed(c.z, 2) })} `,
          h('a', { href: '#', onclick: (e) => { e.preventDefault(); map.setView([c.centre.lat, c.centre.lon], 17); } }, t('hs.zoom')),
          h('div', { class: 'muted' }, ids.length ? ids.map((id) => cameraNames.get(id) ?? id).join(', ') : t('hs.noCamera')),
          ids.length ? h('button', { type: 'button', class: 'open-wall', onclick: () => navigate(`#/wall?cameras=${ids.map(encodeURIComponent).join(',')}&layout=${[1, 4, 9, 16, 25].find((n) => n >= ids.length)}`) }, t('hs.openWall', { count: ids.length })) : null);
      })) : h('p', { class: 'muted' }, t('hs.noHotspot')));
  }

  function drawSummary(s) {
    const top = Array.isArray(s.topAreas) ? s.topAreas : [];
    const mix = Array.isArray(s.typeMix) ? s.typeMix : [];
    types.replaceChildren(...mix.map((m) => h('option', { value: m.type })));
    const grid = Array.isArray(s.hourWeekday) ? s.hourWeekday : [];
    const max = Math.max(1, ...grid.flat().map(Number).filter(Number.isFinite));
    const jName = new Map(jurisdictions.map((j) => [j.id, j.name]));
    side.replaceChildren(
      h('h3', {}, t('hs.topAreas')),
      top.length ? h('ol', { id: 'hs-top-areas' }, top.slice(0, 10).map((a) => h('li', {}, `${a.name ?? jName.get(a.jurisdictionId) ?? a.code ?? a.id ?? '?'}: ${a.count === undefined ? '' : formatNumber(Number(a.count))}`))) : h('p', { class: 'muted' }, t('hs.none')),
      h('h3', {}, t('hs.hourWeekday')),
      heatmap(grid, max),
      h('h3', {}, t('hs.typeMix')),
      h('div', { id: 'hs-type-mix' }, mix.map((m) => h('div', { class: 'bar-row' },
        h('span', { class: 'bar-label', dataset: { type: m.type } }, incidentTypeName(m.type)),
        h('span', { class: 'bar', style: `width:${Math.round((Number(m.share) || 0) * 100)}%` }),
        h('span', { class: 'bar-value' }, t('hs.share', { count: Number(m.count), percent: Math.round((Number(m.share) || 0) * 100) }))))),
    );
  }

  function heatmap(grid, max) {
    const DAYS = weekdayNames();
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    const cw = 11, ch = 13, left = 30, topPad = 12;
    svg.setAttribute('viewBox', `0 0 ${left + 24 * cw} ${topPad + 7 * ch}`);
    svg.setAttribute('class', 'heatmap');
    svg.id = 'hs-heatmap';
    for (let h24 = 0; h24 < 24; h24 += 6) {
      const label = document.createElementNS(ns, 'text');
      label.setAttribute('x', String(left + h24 * cw)); label.setAttribute('y', '9'); label.textContent = String(h24);
      svg.append(label);
    }
    for (let day = 0; day < 7; day++) {
      const label = document.createElementNS(ns, 'text');
      label.setAttribute('x', '0'); label.setAttribute('y', String(topPad + day * ch + 10)); label.textContent = DAYS[day];
      svg.append(label);
      for (let hour = 0; hour < 24; hour++) {
        const v = Number(grid[day]?.[hour]) || 0;
        const r = document.createElementNS(ns, 'rect');
        r.setAttribute('x', String(left + hour * cw)); r.setAttribute('y', String(topPad + day * ch));
        r.setAttribute('width', String(cw - 1)); r.setAttribute('height', String(ch - 1));
        r.setAttribute('fill', `rgba(211,47,47,${(0.06 + 0.94 * (v / max)).toFixed(3)})`);
        const title = document.createElementNS(ns, 'title');
        title.textContent = t('hs.heatTitle', { day: DAYS[day], hour: String(hour), count: v });
        r.append(title);
        svg.append(r);
      }
    }
    return svg;
  }

  form.addEventListener('submit', (e) => { e.preventDefault(); void load(); });
  if (params?.get('mode') === 'emerging') mode.value = 'emerging';
  if (AREA_LEVELS.includes(Number(params?.get('confidence')))) confidence.value = params.get('confidence');
  confidence.addEventListener('change', () => void loadAreas());
  mode.addEventListener('change', () => void load());
  void load();
  return () => { seq++; d.dispose(); };
}
