import { fromWebMercator } from '../geo';
import { compareCodes } from '../jurisdiction-tree/jurisdiction-node.types';
import type { HotspotCell, HotspotConfidence } from './gi-star.calculator';

/**
 * Hotspot areas (docs/methods.md "Hotspot areas"): the significant hot cells of a Gi* answer merged into
 * connected areas, each with its incidents, confidence, centroid, post and nearby cameras. Pure.
 */

/** Confidence levels an area list can be asked for (two-sided, per cell). */
export const AREA_LEVELS = [90, 95, 99] as const;
export type AreaLevel = (typeof AREA_LEVELS)[number];
/** The z a cell needs to be a hot cell at each level (as `confidenceOf`). */
export const AREA_LEVEL_Z: Readonly<Record<AreaLevel, number>> = { 90: 1.645, 95: 1.96, 99: 2.576 };
/** Cameras listed per area at most (the largest wall layout). */
export const MAX_AREA_CAMERAS = 25;
/** The tag that marks a garage (bike shed, underground garage) camera. */
export const GARAGE_TAG = 'garage';

export type AreaCell = Pick<HotspotCell, 'x' | 'y' | 'count' | 'z' | 'p' | 'confidence'>;

export interface AreaCamera {
  id: string;
  name: string;
  /** Tagged `garage`. */
  garage: boolean;
  /** EPSG:3857 metres from the camera to the nearest point of the area's cells (0 inside). */
  distance: number;
  /** `distance` on the ground: times cos(latitude of the area's centroid), whole metres. */
  groundDistance: number;
}

export interface AreaPost {
  id: string;
  code: string;
  name: string;
  tier: string;
}

export interface HotspotArea {
  /** `x,y` of the area's peak cell: stable while the same cell peaks. */
  id: string;
  /** The area's cells, by z descending, then x, then y. */
  cells: AreaCell[];
  /** Incidents in the area's cells. */
  count: number;
  /** The highest confidence among its cells (that of the peak cell). */
  confidence: HotspotConfidence;
  level: AreaLevel;
  /** The cell with the highest z. */
  peak: { x: number; y: number; z: number; p: number };
  /** Mean of the cell centres in EPSG:3857 (the centroid of the union of its squares), as lon/lat. */
  centroid: { lat: number; lon: number };
  /** Lon/lat extent of the area's squares. */
  bounds: { south: number; west: number; north: number; east: number };
  /** The jurisdiction holding most of its cells' centres; null when none does. */
  post: AreaPost | null;
  /** Visible cameras within `radius` of the area, nearest first, at most MAX_AREA_CAMERAS. */
  cameras: AreaCamera[];
  /** What the area is named after: its nearest garage, else its nearest camera; null without any. */
  landmark: { cameraId: string; name: string; kind: 'garage' | 'camera'; groundDistance: number } | null;
}

export interface AreaCameraInput {
  id: string;
  name: string;
  tags: readonly string[];
  /** EPSG:3857 metres. */
  x: number;
  y: number;
}

export interface HotspotAreasInput {
  /** The Gi* cells (any order; with their EPSG:3857 centres). */
  cells: readonly HotspotCell[];
  cellSize: number;
  radius: number;
  /** The least confidence a cell needs. */
  level: AreaLevel;
  /** The jurisdiction a point belongs to, within the caller's scope (deepest containing, CONTRACT.md). */
  locate: (lon: number, lat: number) => AreaPost | undefined;
  /** The caller-visible cameras with a position. */
  cameras: readonly AreaCameraInput[];
  maxCameras?: number;
}

const levelOf = (z: number): AreaLevel => (z >= AREA_LEVEL_Z[99] ? 99 : z >= AREA_LEVEL_Z[95] ? 95 : 90);
const byZ = (a: AreaCell, b: AreaCell) => b.z - a.z || a.x - b.x || a.y - b.y;

/**
 * The hot cells with z >= the level's threshold, in groups of 8-connected cells (sharing an edge or a
 * corner, i.e. |dx| <= 1 and |dy| <= 1). Cold cells never join. Each group by z descending, then x, y;
 * groups in the order of their peak cells.
 */
export function connectedHotCells<C extends AreaCell>(cells: readonly C[], level: AreaLevel): C[][] {
  const threshold = AREA_LEVEL_Z[level];
  const hot = cells.filter((c) => c.z >= threshold && Number.isFinite(c.z));
  const byKey = new Map(hot.map((c) => [`${c.x},${c.y}`, c]));
  const seen = new Set<string>();
  const groups: C[][] = [];
  for (const start of [...hot].sort(byZ)) {
    const key = `${start.x},${start.y}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const group: C[] = [];
    const stack = [start];
    while (stack.length) {
      const c = stack.pop()!;
      group.push(c);
      for (let dx = -1; dx <= 1; dx++) {
        for (let dy = -1; dy <= 1; dy++) {
          const k = `${c.x + dx},${c.y + dy}`;
          const next = byKey.get(k);
          if (next && !seen.has(k)) {
            seen.add(k);
            stack.push(next);
          }
        }
      }
    }
    groups.push(group.sort(byZ));
  }
  return groups;
}

/** EPSG:3857 distance from a point to the square of cell (cx, cy). */
function distanceToCell(px: number, py: number, cx: number, cy: number, size: number): number {
  const dx = Math.max(cx * size - px, 0, px - (cx + 1) * size);
  const dy = Math.max(cy * size - py, 0, py - (cy + 1) * size);
  return Math.hypot(dx, dy);
}

/** The post of an area: the jurisdiction holding most cell centres; ties by more incidents, then smaller code. */
function postOf(cells: readonly HotspotCell[], locate: HotspotAreasInput['locate']): AreaPost | null {
  const tally = new Map<string, { post: AreaPost; cells: number; count: number }>();
  for (const c of cells) {
    const post = locate(c.centre.lon, c.centre.lat);
    if (!post) continue;
    const t = tally.get(post.id) ?? { post, cells: 0, count: 0 };
    t.cells++;
    t.count += c.count;
    tally.set(post.id, t);
  }
  const best = [...tally.values()].sort((a, b) => b.cells - a.cells || b.count - a.count || compareCodes(a.post.code, b.post.code))[0];
  return best ? { id: best.post.id, code: best.post.code, name: best.post.name, tier: best.post.tier } : null;
}

/**
 * The hotspot areas at `level`: connected hot cells (connectedHotCells), each described; ordered by level
 * descending, then incidents descending, then peak z descending, then peak x, y.
 */
export function hotspotAreas(input: HotspotAreasInput): HotspotArea[] {
  const { cellSize: size, radius } = input;
  const maxCameras = input.maxCameras ?? MAX_AREA_CAMERAS;
  const areas = connectedHotCells(input.cells, input.level).map((group): HotspotArea => {
    const peak = group[0];
    const mx = group.reduce((a, c) => a + c.centreMercator.x, 0) / group.length;
    const my = group.reduce((a, c) => a + c.centreMercator.y, 0) / group.length;
    const centroid = fromWebMercator(mx, my);
    const scale = Math.cos((centroid.lat * Math.PI) / 180);
    const xs = group.map((c) => c.x);
    const ys = group.map((c) => c.y);
    const sw = fromWebMercator(Math.min(...xs) * size, Math.min(...ys) * size);
    const ne = fromWebMercator((Math.max(...xs) + 1) * size, (Math.max(...ys) + 1) * size);
    const cameras = input.cameras
      .flatMap((cam) => {
        if (!Number.isFinite(cam.x) || !Number.isFinite(cam.y)) return [];
        const distance = Math.min(...group.map((c) => distanceToCell(cam.x, cam.y, c.x, c.y, size)));
        if (distance > radius * (1 + 1e-9)) return [];
        return [{ cam, distance, toCentroid: Math.hypot(cam.x - mx, cam.y - my) }];
      })
      .sort((a, b) => a.distance - b.distance || a.toCentroid - b.toCentroid || compareCodes(a.cam.id, b.cam.id))
      .map(({ cam, distance }): AreaCamera => ({ id: cam.id, name: cam.name, garage: cam.tags.includes(GARAGE_TAG), distance, groundDistance: Math.round(distance * scale) }));
    const mark = cameras.find((c) => c.garage) ?? cameras[0];
    return {
      id: `${peak.x},${peak.y}`,
      cells: group.map((c) => ({ x: c.x, y: c.y, count: c.count, z: c.z, p: c.p, confidence: c.confidence })),
      count: group.reduce((a, c) => a + c.count, 0),
      confidence: peak.confidence,
      level: levelOf(peak.z),
      peak: { x: peak.x, y: peak.y, z: peak.z, p: peak.p },
      centroid: { lat: centroid.lat, lon: centroid.lon },
      bounds: { south: sw.lat, west: sw.lon, north: ne.lat, east: ne.lon },
      post: postOf(group, input.locate),
      cameras: cameras.slice(0, maxCameras),
      landmark: mark ? { cameraId: mark.id, name: mark.name, kind: mark.garage ? 'garage' : 'camera', groundDistance: mark.groundDistance } : null,
    };
  });
  return areas.sort((a, b) => b.level - a.level || b.count - a.count || b.peak.z - a.peak.z || a.peak.x - b.peak.x || a.peak.y - b.peak.y);
}
