// Emerging hot spots on the hotspot screen (issue 16): cells coloured by their category (GET /api/hotspots/emerging,
// docs/methods.md "Emerging hot spots"), a legend in plain words and the patrol guidance for the next slice.
import { formatDate, formatNumber, t, weekdayNames } from './i18n.js';
import { cellBounds } from './geo.js';
import { h, plainText } from './util.js';

/** Every category in the answer's order, with its colour. */
export const EMERGING_STYLE = {
  'intensifying-hot': '#8e0000', 'new-hot': '#ff1744', 'consecutive-hot': '#f4511e', 'persistent-hot': '#c62828',
  'sporadic-hot': '#ff8a65', 'oscillating-hot': '#ffb74d', 'diminishing-hot': '#e57373', 'historical-hot': '#bcaaa4',
  'intensifying-cold': '#0d47a1', 'new-cold': '#2979ff', 'consecutive-cold': '#42a5f5', 'persistent-cold': '#1565c0',
  'sporadic-cold': '#90caf9', 'oscillating-cold': '#80deea', 'diminishing-cold': '#64b5f6', 'historical-cold': '#b0bec5',
  none: '#bdbdbd',
};
/** The categories the legend always explains (those the patrol guidance comes from). */
const ALWAYS = ['new-hot', 'consecutive-hot', 'intensifying-hot', 'persistent-hot'];

export const categoryName = (c) => t(`em.cat.${c}`);

/** The deepest jurisdiction (post before station before sub-bureau) whose boundary holds the point; '' if none. */
export function placeName(jurisdictions, lat, lon) {
  const rank = { post: 3, station: 2, 'sub-bureau': 1 };
  let best = null;
  for (const j of jurisdictions ?? []) {
    if (!j.boundary || !contains(j.boundary, lon, lat)) continue;
    if (!best || (rank[j.tier] ?? 0) > (rank[best.tier] ?? 0)) best = j;
  }
  return best?.name ?? '';
}

function contains(geometry, x, y) {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? geometry.coordinates : [];
  const inRing = (ring) => {
    let inside = false;
    for (let i = 0, k = ring.length - 1; i < ring.length; k = i++) {
      const [xi, yi] = ring[i];
      const [xk, yk] = ring[k];
      if (yi > y !== yk > y && x < ((xk - xi) * (y - yi)) / (yk - yi) + xi) inside = !inside;
    }
    return inside;
  };
  return polygons.some((rings) => inRing(rings[0]) && !rings.slice(1).some(inRing));
}

/** Draws the categorised cells into `layer`; returns the number drawn. */
export function drawEmergingCells(layer, answer) {
  layer.clearLayers();
  const size = answer.cellSize ?? 250;
  let drawn = 0;
  for (const cell of answer.cells ?? []) {
    if (cell.category === 'none') continue;
    const colour = EMERGING_STYLE[cell.category] ?? EMERGING_STYLE.none;
    const rect = window.L.rectangle(cellBounds(cell.centre, size), { color: colour, fillColor: colour, fillOpacity: 0.5, weight: 1, className: `emerging-cell ${cell.category}` });
    rect.bindTooltip(plainText(t('em.cellTooltip', { category: categoryName(cell.category), count: Number(cell.count), help: t(`em.help.${cell.category}`) })));
    layer.addLayer(rect);
    const el = rect.getElement();
    if (el) Object.assign(el.dataset, { x: cell.x, y: cell.y, category: cell.category, count: cell.count });
    drawn++;
  }
  return drawn;
}

/** The legend: the categories found (with how many cells) and the four the guidance uses, each in plain words. */
export function emergingLegend(answer) {
  const found = new Map();
  for (const c of answer.cells ?? []) if (c.category !== 'none') found.set(c.category, (found.get(c.category) ?? 0) + 1);
  const shown = Object.keys(EMERGING_STYLE).filter((c) => c !== 'none' && (found.has(c) || ALWAYS.includes(c)));
  return h('div', { id: 'hs-emerging-legend', class: 'legend emerging-legend', dataset: { to: answer.next?.from ?? '' } },
    h('p', { class: 'muted' }, t('em.legendIntro', { n: (answer.slices ?? []).length, slice: t(`em.slice.${answer.slice ?? 'week'}`) })),
    h('ul', {}, shown.map((c) => h('li', { dataset: { category: c, cells: String(found.get(c) ?? 0) } },
      h('span', { class: 'dot', style: `background:${EMERGING_STYLE[c]}` }), ' ',
      h('strong', {}, categoryName(c)), found.has(c) ? ` (${formatNumber(found.get(c))})` : '', ' — ', t(`em.help.${c}`)))));
}

/** "周二 20:00–21:00（5 起）": a peak weekday-hour slot. */
function slotText(p) {
  const days = weekdayNames('long');
  return t('em.peak', { day: days[p.weekday] ?? '?', from: `${String(p.hour).padStart(2, '0')}:00`, to: `${String((p.hour + 1) % 24).padStart(2, '0')}:00`, count: Number(p.count) });
}

/** The patrol guidance: where and when in the next slice, one entry per spot. */
export function guidanceList(answer, { jurisdictions, cameraNames, zoom, openWall }) {
  const items = answer.guidance ?? [];
  const next = answer.next ? t('em.nextRange', { from: formatDate(answer.next.from, { dateStyle: 'medium' }), to: formatDate(new Date(Date.parse(answer.next.to) - 1), { dateStyle: 'medium' }) }) : '';
  return h('div', { id: 'hs-guidance' },
    h('h3', {}, t(`em.guidanceTitle.${answer.slice ?? 'week'}`), ' ', h('span', { class: 'muted' }, next)),
    items.length ? h('ol', { class: 'hs-guidance' }, items.map((g) => {
      const ids = (g.cameras ?? []).slice(0, 25);
      const place = placeName(jurisdictions, g.centre.lat, g.centre.lon);
      return h('li', { dataset: { category: g.category, x: g.x, y: g.y } },
        h('span', { class: 'chip', style: `background:${EMERGING_STYLE[g.category] ?? '#999'};color:#fff` }, categoryName(g.category)), ' ',
        h('strong', { class: 'guidance-place' }, place || t('em.cell', { x: g.x, y: g.y })), ' ',
        h('span', { class: 'muted' }, t('em.guidanceCount', { count: Number(g.count) })), ' ',
        h('a', { href: '#', onclick: (e) => { e.preventDefault(); zoom(g.centre); } }, t('hs.zoom')),
        h('div', { class: 'guidance-when' }, t('em.when'), ' ', (g.peaks ?? []).length ? (g.peaks ?? []).map(slotText).join('；') : t('hs.none')),
        h('div', { class: 'muted' }, ids.length ? ids.map((id) => cameraNames.get(id) ?? id).join(', ') : t('hs.noCamera')),
        ids.length ? h('button', { type: 'button', class: 'open-wall', onclick: () => openWall(ids) }, t('hs.openWall', { count: ids.length })) : null);
    })) : h('p', { class: 'muted' }, t('em.noGuidance')));
}
