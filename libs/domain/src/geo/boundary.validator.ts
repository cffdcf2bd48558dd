import { TiergateError } from '../errors';
import { locateInRing } from './contains-point.geometry';
import type { Geometry, LinearRing, MultiPolygon, Polygon, Position } from './geojson.types';
import { findRingSelfIntersection } from './segment-intersection.geometry';

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
  const crossing = findRingSelfIntersection(ring);
  if (crossing) throw invalid(`${where}: ring intersects itself (edges ${crossing[0]} and ${crossing[1]})`);
  if (signedArea(ring) === 0) throw invalid(`${where}: ring has zero area`);
  return ring;
}

function parsePolygonRings(value: unknown, polygonIndex: number | undefined): LinearRing[] {
  const label = polygonIndex === undefined ? 'polygon' : `polygon ${polygonIndex}`;
  if (!Array.isArray(value) || value.length === 0) throw invalid(`${label}: coordinates must be a non-empty array of rings`);
  const rings = value.map((r, i) => parseRing(r, describeRing(polygonIndex, i)));
  const outer = rings[0];
  for (let h = 1; h < rings.length; h++) {
    const outside = rings[h].findIndex(([lon, lat]) => locateInRing(outer, lon, lat) === 'outside');
    if (outside >= 0) throw invalid(`${describeRing(polygonIndex, h)}: position ${outside} lies outside the outer ring`);
  }
  return rings;
}

/**
 * Checks an untrusted GeoJSON geometry and returns a clean copy (2-D positions, no repeated
 * consecutive positions). Throws TiergateError('INVALID_GEOMETRY') naming the first problem found.
 */
export function validateBoundary(geometry: unknown): Polygon | MultiPolygon {
  if (typeof geometry !== 'object' || geometry === null || Array.isArray(geometry)) {
    throw invalid('geometry must be a GeoJSON object of type Polygon or MultiPolygon');
  }
  const { type, coordinates } = geometry as { type?: unknown; coordinates?: unknown };
  if (type === 'Polygon') return { type, coordinates: parsePolygonRings(coordinates, undefined) };
  if (type === 'MultiPolygon') {
    if (!Array.isArray(coordinates) || coordinates.length === 0) {
      throw invalid('MultiPolygon: coordinates must be a non-empty array of polygons');
    }
    return { type, coordinates: coordinates.map((p, i) => parsePolygonRings(p, i)) };
  }
  const shown = typeof type === 'string' ? `"${type.slice(0, 40)}"` : String(type);
  throw invalid(`geometry type ${shown} is not supported: expected Polygon or MultiPolygon`);
}

/** Type guard for already-validated geometries (shape only; does not re-run the checks). */
export function isGeometry(value: unknown): value is Geometry {
  const t = (value as { type?: unknown } | null)?.type;
  return (t === 'Polygon' || t === 'MultiPolygon') && Array.isArray((value as { coordinates?: unknown }).coordinates);
}
