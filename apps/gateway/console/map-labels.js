// Which names the map shows as permanent labels at a zoom (docs/map.md "Labels"). No imports, unit-tested in
// apps/gateway/src/console (map-labels.spec.ts). Pure.

/**
 * Zoom range per kind of label: shown when minZoom <= zoom < maxZoom. A name gives way to its children's when they
 * show (a sub-bureau's to its stations' from zoom 12, a station's to its posts' from 14), so the two never sit on one
 * spot; a jurisdiction without children keeps its name when zoomed in further (maxZoom does not apply to it). Posts
 * from zoom 14 on (a 1 km post is then about 140 px wide at 42° N).
 */
export const LABEL_RULE = {
  'sub-bureau': { minZoom: 0, maxZoom: 12 },
  station: { minZoom: 12, maxZoom: 14 },
  post: { minZoom: 14, maxZoom: Infinity },
  landmark: { minZoom: 12, maxZoom: Infinity },
  street: { minZoom: 15, maxZoom: Infinity },
};

/** Label box estimate in CSS pixels: 13 px per CJK character, 7 px per other character, 8 px padding; 18 px high. */
export function estimateLabelSize(text) {
  let w = 8;
  for (const ch of String(text)) w += /[\u2e80-\u9fff\uac00-\ud7af\uff00-\uffef]/.test(ch) ? 13 : 7;
  return { w, h: 18 };
}

/**
 * Whether a label of `kind` shows at `zoom`. For a jurisdiction, `boxPx` ({w, h}: its boundary's bounding box on
 * screen at that zoom) must also hold the label (`labelPx`), so the names of small posts do not pile up; labels
 * of landmarks and streets pass no box. `leaf`: a jurisdiction without children (with a boundary) in view.
 */
export function labelShown(kind, zoom, boxPx, labelPx, leaf = false) {
  const rule = LABEL_RULE[kind] ?? LABEL_RULE.post;
  if (!(zoom >= rule.minZoom && (leaf || zoom < rule.maxZoom))) return false;
  if (!boxPx || !labelPx) return true;
  return boxPx.w >= labelPx.w && boxPx.h >= labelPx.h;
}

/** {lat, lon} half-way along a GeoJSON LineString's [lon, lat] positions (by length in degrees); null if empty. */
export function lineMidpoint(coordinates) {
  const pts = (coordinates ?? []).filter((p) => Array.isArray(p) && Number.isFinite(p[0]) && Number.isFinite(p[1]));
  if (!pts.length) return null;
  const lengths = [];
  let total = 0;
  for (let i = 1; i < pts.length; i++) {
    const d = Math.hypot(pts[i][0] - pts[i - 1][0], pts[i][1] - pts[i - 1][1]);
    lengths.push(d);
    total += d;
  }
  let left = total / 2;
  for (let i = 1; i < pts.length; i++) {
    if (left <= lengths[i - 1] && lengths[i - 1] > 0) {
      const f = left / lengths[i - 1];
      return { lon: pts[i - 1][0] + f * (pts[i][0] - pts[i - 1][0]), lat: pts[i - 1][1] + f * (pts[i][1] - pts[i - 1][1]) };
    }
    left -= lengths[i - 1];
  }
  return { lon: pts[0][0], lat: pts[0][1] };
}
