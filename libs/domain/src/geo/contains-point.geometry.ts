import type { Geometry, LinearRing } from './geojson.types';
import { polygonsOf } from './geojson.types';

/**
 * Distance (degrees) within which a point counts as lying on a border. Far below survey precision
 * (about 0.1 mm), it only absorbs floating-point rounding of points that are meant to be on an edge.
 */
export const BORDER_TOLERANCE_DEG = 1e-9;

export type RingLocation = 'inside' | 'outside' | 'border';

function onSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): boolean {
  const t = BORDER_TOLERANCE_DEG;
  if (px < (ax < bx ? ax : bx) - t || px > (ax > bx ? ax : bx) + t || py < (ay < by ? ay : by) - t || py > (ay > by ? ay : by) + t) {
    return false; // cheap bbox rejection first: most edges are far from the point
  }
  const dx = bx - ax;
  const dy = by - ay;
  const len = Math.hypot(dx, dy);
  if (len === 0) return Math.hypot(px - ax, py - ay) <= BORDER_TOLERANCE_DEG;
  const cross = dx * (py - ay) - dy * (px - ax);
  if (Math.abs(cross) > BORDER_TOLERANCE_DEG * len) return false;
  const along = (dx * (px - ax) + dy * (py - ay)) / len;
  return along >= -BORDER_TOLERANCE_DEG && along <= len + BORDER_TOLERANCE_DEG;
}

/** Where a point lies relative to one closed ring (planar, even-odd crossing rule). */
export function locateInRing(ring: LinearRing, lon: number, lat: number): RingLocation {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [ax, ay] = ring[j];
    const [bx, by] = ring[i];
    if (onSegment(lon, lat, ax, ay, bx, by)) return 'border';
    if (ay > lat !== by > lat && lon < ((bx - ax) * (lat - ay)) / (by - ay) + ax) inside = !inside;
  }
  return inside ? 'inside' : 'outside';
}

/** Polygon rings (outer first, then holes): a point on any border (outer or hole) is inside. */
export function polygonContains(rings: readonly LinearRing[], lon: number, lat: number): boolean {
  if (rings.length === 0 || locateInRing(rings[0], lon, lat) === 'outside') return false;
  for (let h = 1; h < rings.length; h++) {
    if (locateInRing(rings[h], lon, lat) === 'inside') return false;
  }
  return true;
}

/**
 * True when the point lies inside the Polygon/MultiPolygon or on any of its borders (CONTRACT: "a
 * point on a border belongs to every polygon it touches"). Planar in lon/lat, as RFC 7946 says.
 */
export function containsPoint(geometry: Geometry, lon: number, lat: number): boolean {
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) return false;
  for (const rings of polygonsOf(geometry)) {
    if (polygonContains(rings, lon, lat)) return true;
  }
  return false;
}

/** Edges of one ring kept for a horizontal line, flat as [ax, ay, bx, by, ...]. */
type RowEdges = number[];

function locateAmongEdges(edges: RowEdges, lon: number, lat: number): RingLocation {
  let inside = false;
  for (let e = 0; e < edges.length; e += 4) {
    const ax = edges[e];
    const ay = edges[e + 1];
    const bx = edges[e + 2];
    const by = edges[e + 3];
    if (onSegment(lon, lat, ax, ay, bx, by)) return 'border';
    if (ay > lat !== by > lat && lon < ((bx - ax) * (lat - ay)) / (by - ay) + ax) inside = !inside;
  }
  return inside ? 'inside' : 'outside';
}

/**
 * `containsPoint` specialised to one latitude, for testing many points along a row (grid cells):
 * only the edges that reach within the border tolerance of the row can matter (to the crossing count
 * or to the on-border test), so they are selected once. Same answers as `containsPoint`.
 */
export function rowContainment(geometry: Geometry, lat: number): (lon: number) => boolean {
  const t = BORDER_TOLERANCE_DEG;
  const polygons: RowEdges[][] = polygonsOf(geometry).map((rings) =>
    rings.map((ring) => {
      const edges: RowEdges = [];
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [ax, ay] = ring[j];
        const [bx, by] = ring[i];
        if (lat >= Math.min(ay, by) - t && lat <= Math.max(ay, by) + t) edges.push(ax, ay, bx, by);
      }
      return edges;
    }),
  );
  return (lon: number): boolean => {
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) return false;
    return polygons.some(
      (rings) =>
        rings.length > 0 &&
        locateAmongEdges(rings[0], lon, lat) !== 'outside' &&
        rings.slice(1).every((hole) => locateAmongEdges(hole, lon, lat) !== 'inside'),
    );
  };
}
