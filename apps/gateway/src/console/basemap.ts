/**
 * The console's GeoJSON basemap (docs/map.md "Basemap"): what a configured file may hold and what the browser gets.
 * Pure: text in, a trimmed FeatureCollection (or the list of problems) out.
 *
 * Read per feature: the geometry (LineString/MultiLineString: a street; Point/MultiPoint/Polygon/MultiPolygon: a
 * landmark), `name` (a label), and for streets `highway` (OSM's road class: motorway, trunk, primary, secondary
 * are drawn as major streets) or `major: true`. Every other property is dropped; other geometry types are skipped.
 */

export type BasemapRole = 'street' | 'landmark';

export interface BasemapFeature {
  type: 'Feature';
  properties: { role: BasemapRole; name?: string; major?: true };
  geometry: { type: string; coordinates: unknown };
}

export interface Basemap {
  type: 'FeatureCollection';
  features: BasemapFeature[];
}

/** What a file gave: the basemap and how many features were skipped, or every problem found (at most 10 named). */
export type BasemapParse = { ok: true; basemap: Basemap; skipped: number } | { ok: false; problems: string[] };

const STREETS = new Set(['LineString', 'MultiLineString']);
const LANDMARKS = new Set(['Point', 'MultiPoint', 'Polygon', 'MultiPolygon']);
const MAJOR_HIGHWAYS = new Set(['motorway', 'trunk', 'primary', 'secondary', 'motorway_link', 'trunk_link', 'primary_link']);
/** Positions nesting depth per geometry type (Point 0: one position). */
const DEPTH: Record<string, number> = { Point: 0, MultiPoint: 1, LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3 };
const MAX_PROBLEMS = 10;

function isPosition(p: unknown): boolean {
  return Array.isArray(p) && p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1])
    && (p[0] as number) >= -180 && (p[0] as number) <= 180 && (p[1] as number) >= -90 && (p[1] as number) <= 90;
}

/** Whether `c` is a non-empty array nested `depth` levels of positions ([lon, lat] in degrees). */
function validCoordinates(c: unknown, depth: number): boolean {
  if (depth === 0) return isPosition(c);
  return Array.isArray(c) && c.length > 0 && c.every((x) => validCoordinates(x, depth - 1));
}

/** Parses and trims a basemap file's text. */
export function parseBasemap(text: string): BasemapParse {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { ok: false, problems: [`not JSON: ${(e as Error).message}`] };
  }
  const fc = doc as { type?: unknown; features?: unknown };
  if (!fc || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) return { ok: false, problems: ['not a GeoJSON FeatureCollection'] };
  const problems: string[] = [];
  const features: BasemapFeature[] = [];
  let skipped = 0;
  fc.features.forEach((f: any, i: number) => {
    const type = f?.geometry?.type;
    const role: BasemapRole | undefined = STREETS.has(type) ? 'street' : LANDMARKS.has(type) ? 'landmark' : undefined;
    if (f?.type !== 'Feature' || !role) {
      skipped++;
      return;
    }
    if (!validCoordinates(f.geometry.coordinates, DEPTH[type]!)) {
      problems.push(`features[${i}]: ${type} coordinates are not [lon, lat] positions in degrees`);
      return;
    }
    const props = f.properties && typeof f.properties === 'object' ? f.properties : {};
    const name = typeof props.name === 'string' && props.name.trim() ? props.name.trim().slice(0, 80) : undefined;
    if (role === 'landmark' && !name && type.endsWith('Point')) {
      skipped++; // a point without a name shows nothing
      return;
    }
    const major = role === 'street' && (props.major === true || MAJOR_HIGHWAYS.has(props.highway));
    features.push({
      type: 'Feature',
      properties: { role, ...(name ? { name } : {}), ...(major ? { major: true as const } : {}) },
      geometry: { type, coordinates: f.geometry.coordinates },
    });
  });
  if (problems.length) {
    const more = problems.length - MAX_PROBLEMS;
    return { ok: false, problems: [...problems.slice(0, MAX_PROBLEMS), ...(more > 0 ? [`and ${more} more`] : [])] };
  }
  return { ok: true, basemap: { type: 'FeatureCollection', features }, skipped };
}
