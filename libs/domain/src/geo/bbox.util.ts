import type { BBox, Geometry } from './geojson.types';
import { polygonsOf } from './geojson.types';

/** Bounding box of a Polygon or MultiPolygon (outer rings are enough: holes lie inside them). */
export function bbox(geometry: Geometry): BBox {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (const rings of polygonsOf(geometry)) {
    for (const [lon, lat] of rings[0] ?? []) {
      if (lon < minLon) minLon = lon;
      if (lon > maxLon) maxLon = lon;
      if (lat < minLat) minLat = lat;
      if (lat > maxLat) maxLat = lat;
    }
  }
  return { minLon, minLat, maxLon, maxLat };
}

export function bboxContains(box: BBox, lon: number, lat: number): boolean {
  return lon >= box.minLon && lon <= box.maxLon && lat >= box.minLat && lat <= box.maxLat;
}

export function bboxUnion(boxes: readonly BBox[]): BBox {
  let out: BBox = { minLon: Infinity, minLat: Infinity, maxLon: -Infinity, maxLat: -Infinity };
  for (const b of boxes) {
    out = {
      minLon: Math.min(out.minLon, b.minLon),
      minLat: Math.min(out.minLat, b.minLat),
      maxLon: Math.max(out.maxLon, b.maxLon),
      maxLat: Math.max(out.maxLat, b.maxLat),
    };
  }
  return out;
}
