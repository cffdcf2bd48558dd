/** GeoJSON geometry types used for jurisdiction boundaries (RFC 7946, planar longitude/latitude). */

/** `[longitude, latitude]` in degrees. */
export type Position = [number, number];

/** A closed ring: first position equals the last, at least 4 positions. */
export type LinearRing = Position[];

export interface Polygon {
  type: 'Polygon';
  /** The outer ring first, then holes. */
  coordinates: LinearRing[];
}

export interface MultiPolygon {
  type: 'MultiPolygon';
  coordinates: LinearRing[][];
}

export type Geometry = Polygon | MultiPolygon;

/** Bounding box in degrees. */
export interface BBox {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

/** The polygons of a geometry as a list of ring lists (outer ring first). */
export function polygonsOf(geometry: Geometry): LinearRing[][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}
