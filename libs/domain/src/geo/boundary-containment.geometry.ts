import polygonClipping from 'polygon-clipping';
import type { Geometry, LinearRing, Position } from './geojson.types';
import { polygonsOf } from './geojson.types';

/**
 * How far (degrees, planar longitude/latitude as RFC 7946 says) a boundary may leave the one it must lie
 * in: 1e-6° is about 11 cm north–south (8 cm east–west at 42° N), the precision of a file written with the
 * 6 decimals RFC 7946 recommends. Shared borders drawn from the same data are exact and need none of it.
 * The rule and a way to recompute it: docs/jurisdiction-boundaries.md.
 */
export const CONTAINMENT_TOLERANCE_DEG = 1e-6;

export interface ContainmentReport {
  /** True when `inner` lies within `outer` by both rules below. */
  within: boolean;
  /** Area of inner minus outer (degrees²). Rule 1: at most `allowedArea`. */
  outsideArea: number;
  /** tolerance × the outer boundary's length (degrees²): a band of the tolerance's width along all of it. */
  allowedArea: number;
  /** Rule 2: every position of inner minus outer lies within the tolerance of the outer border; the farthest found (degrees). */
  farthest: { position: Position; distance: number } | undefined;
}

function ringLength(ring: LinearRing): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) sum += Math.hypot(ring[i + 1][0] - ring[i][0], ring[i + 1][1] - ring[i][1]);
  return sum;
}

function ringArea(ring: readonly Position[]): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) sum += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return Math.abs(sum) / 2;
}

/** Length of every ring of a geometry (outer rings and holes: all of its border), degrees. */
export function borderLength(geometry: Geometry): number {
  return polygonsOf(geometry).reduce((sum, rings) => sum + rings.reduce((s, r) => s + ringLength(r), 0), 0);
}

function distanceToSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/**
 * The edges of a border in a uniform grid, to ask "is this position within `reach` of the border?"
 * without testing every edge. Each edge is registered in the cells of points sampled along it at most
 * one cell apart, so an edge within `reach` (at most a quarter cell) of a position is registered within
 * two cells of the position's cell in each direction.
 */
class BorderIndex {
  private readonly edges: Float64Array;
  private readonly cells = new Map<number, number[]>();
  private readonly cell: number;
  private readonly minX: number;
  private readonly minY: number;
  private readonly seen: Uint32Array;
  private stamp = 0;

  constructor(geometry: Geometry, private readonly reach: number) {
    const flat: number[] = [];
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (const rings of polygonsOf(geometry)) {
      for (const ring of rings) {
        for (let i = 0; i + 1 < ring.length; i++) {
          flat.push(ring[i][0], ring[i][1], ring[i + 1][0], ring[i + 1][1]);
          minX = Math.min(minX, ring[i][0]);
          minY = Math.min(minY, ring[i][1]);
          maxX = Math.max(maxX, ring[i][0]);
          maxY = Math.max(maxY, ring[i][1]);
        }
      }
    }
    this.edges = Float64Array.from(flat);
    const n = this.edges.length / 4;
    const span = Math.max(maxX - minX, maxY - minY, reach);
    // About one edge per cell, no finer than 4 × reach, at most 4096 cells a side.
    this.cell = Math.max(4 * reach, span / Math.max(1, Math.sqrt(n)), span / 4096);
    this.minX = minX;
    this.minY = minY;
    this.seen = new Uint32Array(n);
    for (let e = 0; e < n; e++) {
      const [ax, ay, bx, by] = this.edges.subarray(e * 4, e * 4 + 4);
      const steps = Math.ceil(Math.hypot(bx - ax, by - ay) / this.cell) + 1;
      let last = NaN;
      for (let s = 0; s <= steps; s++) {
        const key = this.keyOf(ax + ((bx - ax) * s) / steps, ay + ((by - ay) * s) / steps);
        if (key === last) continue;
        last = key;
        const list = this.cells.get(key);
        if (list === undefined) this.cells.set(key, [e]);
        else if (list[list.length - 1] !== e) list.push(e);
      }
    }
  }

  private cx(x: number): number {
    return Math.floor((x - this.minX) / this.cell);
  }

  private cy(y: number): number {
    return Math.floor((y - this.minY) / this.cell);
  }

  private keyOf(x: number, y: number): number {
    return (this.cx(x) + 8) * 8192 + (this.cy(y) + 8);
  }

  /** Distance from the position to the border when it is at most `reach`, else Infinity. */
  distanceWithinReach(x: number, y: number): number {
    this.stamp++;
    const cx = this.cx(x);
    const cy = this.cy(y);
    let best = Infinity;
    for (let i = cx - 2; i <= cx + 2; i++) {
      for (let j = cy - 2; j <= cy + 2; j++) {
        const list = this.cells.get((i + 8) * 8192 + (j + 8));
        if (!list) continue;
        for (const e of list) {
          if (this.seen[e] === this.stamp) continue;
          this.seen[e] = this.stamp;
          const o = e * 4;
          const d = distanceToSegment(x, y, this.edges[o], this.edges[o + 1], this.edges[o + 2], this.edges[o + 3]);
          if (d < best) best = d;
        }
      }
    }
    return best <= this.reach ? best : Infinity;
  }
}

/**
 * Whether the boundary `inner` lies within `outer`, up to `tolerance` degrees for borders they share.
 * `D = inner − outer` is computed with polygon-clipping (a robust sweep-line boolean operation, O((n + k)
 * log n)); then (1) area(D) ≤ tolerance × length of outer's border, and (2) every position of D is within
 * `tolerance` of outer's border. (1) refuses any real overlap of a neighbour; (2) refuses spikes and
 * needles, which have almost no area. Both geometries must be valid (validateBoundary).
 */
export function checkContainment(inner: Geometry, outer: Geometry, tolerance = CONTAINMENT_TOLERANCE_DEG): ContainmentReport {
  const allowedArea = tolerance * borderLength(outer);
  const outside = polygonClipping.difference(polygonsOf(inner), polygonsOf(outer));
  let outsideArea = 0;
  for (const rings of outside) rings.forEach((ring, i) => (outsideArea += i === 0 ? ringArea(ring) : -ringArea(ring)));
  if (outside.length === 0) return { within: true, outsideArea: 0, allowedArea, farthest: undefined };
  if (outsideArea > allowedArea) return { within: false, outsideArea, allowedArea, farthest: undefined };
  const index = new BorderIndex(outer, tolerance);
  let farthest: ContainmentReport['farthest'];
  for (const rings of outside) {
    for (const ring of rings) {
      for (const position of ring) {
        const distance = index.distanceWithinReach(position[0], position[1]);
        if (distance === Infinity) return { within: false, outsideArea, allowedArea, farthest: { position: [position[0], position[1]], distance } };
        if (!farthest || distance > farthest.distance) farthest = { position: [position[0], position[1]], distance };
      }
    }
  }
  return { within: true, outsideArea, allowedArea, farthest };
}
