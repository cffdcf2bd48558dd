// A point inside a jurisdiction's boundary (no imports, unit-tested in apps/gateway/src/console), for "place on the
// map by a jurisdiction's name": the camera's location is set there and the server places it by its own rule, so
// the point must lie inside the polygon (a concave post's centroid may not). Pure.

/** [lon, lat] rings of a GeoJSON Polygon or MultiPolygon geometry (or Feature); [] for anything else. */
function polygonsOf(geo) {
  const g = geo?.type === 'Feature' ? geo.geometry : geo;
  if (g?.type === 'Polygon') return [g.coordinates];
  if (g?.type === 'MultiPolygon') return g.coordinates;
  return [];
}

const area = (ring) => {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += (ring[j][0] + ring[i][0]) * (ring[j][1] - ring[i][1]);
  return Math.abs(a / 2);
};

/**
 * {lat, lon} inside the largest polygon of `geometry`, or null without one: on the horizontal line through the
 * middle of its bounding box, the middle of the widest stretch that lies inside (holes left out).
 */
export function interiorPoint(geometry) {
  const polygons = polygonsOf(geometry).filter((p) => Array.isArray(p?.[0]) && p[0].length >= 4);
  if (!polygons.length) return null;
  const polygon = polygons.reduce((a, b) => (area(b[0]) > area(a[0]) ? b : a));
  const lats = polygon[0].map((c) => c[1]);
  const lat = (Math.min(...lats) + Math.max(...lats)) / 2;
  // Crossings of every ring (outer and holes) with the line: between pairs of them the line is inside.
  const xs = [];
  for (const ring of polygon) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [x1, y1] = ring[j];
      const [x2, y2] = ring[i];
      if ((y1 > lat) !== (y2 > lat)) xs.push(x1 + ((lat - y1) * (x2 - x1)) / (y2 - y1));
    }
  }
  xs.sort((a, b) => a - b);
  let best = null;
  for (let i = 0; i + 1 < xs.length; i += 2) if (!best || xs[i + 1] - xs[i] > best[1] - best[0]) best = [xs[i], xs[i + 1]];
  return best ? { lat, lon: (best[0] + best[1]) / 2 } : null;
}
