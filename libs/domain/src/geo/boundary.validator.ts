import { TiergateError } from '../errors';
import { locateInRing } from './contains-point.geometry';
import type { Geometry, LinearRing, MultiPolygon, Polygon, Position } from './geojson.types';
import { findRingIntersection, RingIntersection } from './segment-sweep.geometry';

/** Default cap on the positions of one boundary (all its rings); see docs/jurisdiction-boundaries.md. */
export const DEFAULT_MAX_VERTICES_PER_FEATURE = 20_000;

export interface BoundaryLimits {
  /** Most positions (closing ones included) the geometry may have; checked before any geometry work. */
  maxVertices?: number;
  /**
   * Only read and clean the positions (O(n)), without the ring checks: for a geometry already validated
   * elsewhere (the import worker), to rebuild the same clean copy cheaply.
   */
  structureOnly?: boolean;
}

const invalid = (message: string): TiergateError => new TiergateError('INVALID_GEOMETRY', message);

function describeRing(polygonIndex: number | undefined, ringIndex: number): string {
  const ring = ringIndex === 0 ? 'outer ring' : `hole ${ringIndex}`;
  return polygonIndex === undefined ? ring : `polygon ${polygonIndex}, ${ring}`;
}

function parsePosition(value: unknown, where: string, index: number): Position {
  if (!Array.isArray(value) || value.length < 2) throw invalid(`${where}: position ${index} is not a [lon, lat] array`);
  const [lon, lat] = value as unknown[];
  if (typeof lon !== 'number' || typeof lat !== 'number' || !Number.isFinite(lon) || !Number.isFinite(lat)) {
    throw invalid(`${where}: position ${index} has a non-numeric or non-finite coordinate`);
  }
  if (lon < -180 || lon > 180) throw invalid(`${where}: position ${index} longitude ${lon} is outside [-180, 180]`);
  if (lat < -90 || lat > 90) throw invalid(`${where}: position ${index} latitude ${lat} is outside [-90, 90]`);
  return [lon, lat];
}

function signedArea(ring: LinearRing): number {
  let sum = 0;
  for (let i = 0; i < ring.length - 1; i++) sum += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return sum / 2;
}

function parseRing(value: unknown, where: string): LinearRing {
  if (!Array.isArray(value)) throw invalid(`${where}: ring is not an array of positions`);
  if (value.length < 4) throw invalid(`${where}: ring has ${value.length} positions, at least 4 are required`);
  const raw = value.map((p, i) => parsePosition(p, where, i));
  const first = raw[0];
  const last = raw[raw.length - 1];
  if (first[0] !== last[0] || first[1] !== last[1]) throw invalid(`${where}: ring is not closed (first position differs from last)`);
  // Drop consecutive repeated positions: legal in GeoJSON, but zero-length edges confuse the checks.
  const ring: LinearRing = [raw[0]];
  for (let i = 1; i < raw.length; i++) {
    const prev = ring[ring.length - 1];
    if (raw[i][0] !== prev[0] || raw[i][1] !== prev[1]) ring.push(raw[i]);
  }
  if (ring.length < 4) throw invalid(`${where}: ring has fewer than 3 distinct positions`);
  return ring;
}

function parsePolygonRings(value: unknown, polygonIndex: number | undefined): LinearRing[] {
  const label = polygonIndex === undefined ? 'polygon' : `polygon ${polygonIndex}`;
  if (!Array.isArray(value) || value.length === 0) throw invalid(`${label}: coordinates must be a non-empty array of rings`);
  return value.map((r, i) => parseRing(r, describeRing(polygonIndex, i)));
}

function describeIntersection(found: RingIntersection, multi: boolean): string {
  const ringOf = (polygon: number, ring: number) => describeRing(multi ? polygon : undefined, ring);
  const { a, b } = found;
  if (found.kind === 'self') return `${ringOf(a.polygon, a.ring)}: ring intersects itself (edges ${a.edge} and ${b.edge})`;
  const verb = found.kind === 'cross' ? 'cross' : 'overlap along an edge';
  return `${ringOf(a.polygon, a.ring)} and ${ringOf(b.polygon, b.ring)} ${verb} (edges ${a.edge} and ${b.edge})`;
}

/**
 * Rings must not intersect (one sweep over every edge, O(n log n)); then each hole must lie in its
 * outer ring. Without crossings a hole is wholly inside or wholly outside, so one of its positions that
 * is not on the outer border decides (O(outer) per hole).
 */
function checkRings(polygons: LinearRing[][], multi: boolean): void {
  const found = findRingIntersection(polygons);
  if (found) throw invalid(describeIntersection(found, multi));
  polygons.forEach((rings, p) => {
    rings.forEach((ring, r) => {
      if (signedArea(ring) === 0) throw invalid(`${describeRing(multi ? p : undefined, r)}: ring has zero area`);
    });
    const outer = rings[0];
    for (let h = 1; h < rings.length; h++) {
      let where: ReturnType<typeof locateInRing> = 'border';
      let position = 0;
      for (; position < rings[h].length - 1 && where === 'border'; position++) where = locateInRing(outer, rings[h][position][0], rings[h][position][1]);
      if (where === 'border') throw invalid(`${describeRing(multi ? p : undefined, h)}: every position lies on the outer ring`);
      if (where === 'outside') throw invalid(`${describeRing(multi ? p : undefined, h)}: position ${position - 1} lies outside the outer ring`);
    }
  });
}

/** Counts the positions of a Polygon's or MultiPolygon's coordinates without reading them, stopping past `limit`. */
export function countPositions(type: 'Polygon' | 'MultiPolygon', coordinates: unknown, limit = Infinity): number {
  let count = 0;
  const walk = (value: unknown, depth: number): void => {
    if (!Array.isArray(value) || count > limit) return;
    if (depth === 0) {
      count += value.length;
      return;
    }
    for (const item of value) walk(item, depth - 1);
  };
  walk(coordinates, type === 'MultiPolygon' ? 2 : 1); // [polygon][ring][position] or [ring][position]
  return count;
}

/**
 * Checks an untrusted GeoJSON geometry and returns a clean copy (2-D positions, no repeated
 * consecutive positions). Throws TiergateError('INVALID_GEOMETRY') naming the first problem found.
 */
export function validateBoundary(geometry: unknown, limits: BoundaryLimits = {}): Polygon | MultiPolygon {
  if (typeof geometry !== 'object' || geometry === null || Array.isArray(geometry)) {
    throw invalid('geometry must be a GeoJSON object of type Polygon or MultiPolygon');
  }
  const { type, coordinates } = geometry as { type?: unknown; coordinates?: unknown };
  if (type !== 'Polygon' && type !== 'MultiPolygon') {
    const shown = typeof type === 'string' ? `"${type.slice(0, 40)}"` : String(type);
    throw invalid(`geometry type ${shown} is not supported: expected Polygon or MultiPolygon`);
  }
  const max = limits.maxVertices ?? DEFAULT_MAX_VERTICES_PER_FEATURE;
  const count = countPositions(type, coordinates, max);
  if (count > max) throw invalid(`geometry has more than ${max} positions (the limit per boundary); simplify it or split the jurisdiction`);
  if (type === 'Polygon') {
    const rings = parsePolygonRings(coordinates, undefined);
    if (!limits.structureOnly) checkRings([rings], false);
    return { type, coordinates: rings };
  }
  if (!Array.isArray(coordinates) || coordinates.length === 0) {
    throw invalid('MultiPolygon: coordinates must be a non-empty array of polygons');
  }
  const polygons = coordinates.map((p, i) => parsePolygonRings(p, i));
  if (!limits.structureOnly) checkRings(polygons, true);
  return { type, coordinates: polygons };
}

/** Type guard for already-validated geometries (shape only; does not re-run the checks). */
export function isGeometry(value: unknown): value is Geometry {
  const t = (value as { type?: unknown } | null)?.type;
  return (t === 'Polygon' || t === 'MultiPolygon') && Array.isArray((value as { coordinates?: unknown }).coordinates);
}
