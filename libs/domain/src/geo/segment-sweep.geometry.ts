import BTree from 'sorted-btree';
import type { LinearRing, Position } from './geojson.types';
import { orientation, segmentsIntersect, segmentsOverlap } from './segment-intersection.geometry';

/** One edge of a geometry: edge `edge` of ring `ring` (0 = outer) of polygon `polygon` (0 for a Polygon). */
export interface EdgeRef {
  polygon: number;
  ring: number;
  /** Edge i runs from position i to position i + 1 of the ring. */
  edge: number;
}

/**
 * What makes a set of rings invalid:
 * - `self`: two edges of one ring share a point other than the vertex joining neighbours, or neighbours fold back;
 * - `cross`: edges of two different rings cross (each passes through the other's interior);
 * - `overlap`: edges of two different rings run along each other (share a segment, not just a point).
 * Rings of one polygon (outer and holes) and polygons of a MultiPolygon may touch at single points.
 */
export interface RingIntersection {
  kind: 'self' | 'cross' | 'overlap';
  a: EdgeRef;
  b: EdgeRef;
}

interface Segment {
  id: number;
  /** Left endpoint: the smaller by (x, y). */
  l: Position;
  r: Position;
  ref: EdgeRef;
  /** Number of edges of the segment's ring (to tell neighbours across the closing vertex). */
  ringEdges: number;
}

const before = (p: Position, q: Position): boolean => p[0] < q[0] || (p[0] === q[0] && p[1] < q[1]);

/** Where `s` lies relative to `t`, for `s` starting at or after `t` in (x, y) order: 1 above, -1 below. */
function sideOf(s: Segment, t: Segment): number {
  let o = orientation(t.l, t.r, s.l);
  if (o === 0) o = orientation(t.l, t.r, s.r);
  if (o === 0) return s.id < t.id ? -1 : 1; // collinear: any fixed order; the neighbour check reports the overlap
  return o;
}

/**
 * Order of the sweep's status: bottom to top along the sweep line. Static (it does not depend on the
 * sweep position), which is valid for segments that do not cross: the sweep stops at the first crossing.
 */
function compareSegments(s: Segment, t: Segment): number {
  if (s === t) return 0;
  return before(s.l, t.l) ? -sideOf(t, s) : sideOf(s, t);
}

function properlyCross(s: Segment, t: Segment): boolean {
  const o1 = orientation(s.l, s.r, t.l);
  const o2 = orientation(s.l, s.r, t.r);
  const o3 = orientation(t.l, t.r, s.l);
  const o4 = orientation(t.l, t.r, s.r);
  return o1 * o2 < 0 && o3 * o4 < 0;
}

/** The problem two segments make together, or undefined when they are disjoint or may touch. */
function problemOf(s: Segment, t: Segment): RingIntersection | undefined {
  if (!segmentsIntersect(s.l, s.r, t.l, t.r)) return undefined;
  const [a, b] = s.id < t.id ? [s, t] : [t, s];
  if (a.ref.polygon === b.ref.polygon && a.ref.ring === b.ref.ring) {
    const gap = Math.abs(a.ref.edge - b.ref.edge);
    const neighbours = gap === 1 || gap === a.ringEdges - 1;
    if (neighbours && !segmentsOverlap(a.l, a.r, b.l, b.r)) return undefined;
    return { kind: 'self', a: a.ref, b: b.ref };
  }
  if (segmentsOverlap(a.l, a.r, b.l, b.r)) return { kind: 'overlap', a: a.ref, b: b.ref };
  if (properlyCross(a, b)) return { kind: 'cross', a: a.ref, b: b.ref };
  return undefined;
}

/** A ring that passes twice through one position touches itself there (the closing position aside). */
function repeatedVertex(ring: LinearRing, polygon: number, ringIndex: number): RingIntersection | undefined {
  const seen = new Map<string, number>();
  for (let i = 0; i < ring.length - 1; i++) {
    const key = `${ring[i][0]},${ring[i][1]}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) return { kind: 'self', a: { polygon, ring: ringIndex, edge: earlier }, b: { polygon, ring: ringIndex, edge: i } };
    seen.set(key, i);
  }
  return undefined;
}

/**
 * Finds the first invalid intersection among the edges of closed rings (a Polygon's rings, or all rings
 * of a MultiPolygon's polygons), or undefined when there is none. Shamos–Hoey sweep line: the edges are
 * swept left to right, the status (a B+ tree ordered bottom to top) holds the edges the sweep line
 * crosses, and only edges that become neighbours in it are tested, so the whole check is O(n log n)
 * for n edges, whatever the shape (combs, spirals). Consecutive repeated positions must already be gone.
 */
export function findRingIntersection(polygons: readonly (readonly LinearRing[])[]): RingIntersection | undefined {
  const segments: Segment[] = [];
  for (let p = 0; p < polygons.length; p++) {
    for (let r = 0; r < polygons[p].length; r++) {
      const ring = polygons[p][r];
      const repeated = repeatedVertex(ring, p, r);
      if (repeated) return repeated;
      const edges = ring.length - 1;
      for (let e = 0; e < edges; e++) {
        const a = ring[e];
        const b = ring[e + 1];
        const [l, rr] = before(a, b) ? [a, b] : [b, a];
        segments.push({ id: segments.length, l, r: rr, ref: { polygon: p, ring: r, edge: e }, ringEdges: edges });
      }
    }
  }
  // Events: 2k = segment k starts, 2k + 1 = segment k ends; by point, then starts before ends.
  const events = new Uint32Array(segments.length * 2);
  for (let i = 0; i < events.length; i++) events[i] = i;
  const pointOf = (ev: number): Position => (ev & 1 ? segments[ev >> 1].r : segments[ev >> 1].l);
  events.sort((e1, e2) => {
    const p = pointOf(e1);
    const q = pointOf(e2);
    return p[0] - q[0] || p[1] - q[1] || (e1 & 1) - (e2 & 1) || e1 - e2;
  });
  const status = new BTree<Segment, undefined>(undefined, compareSegments);
  const check = (s: Segment | undefined, t: Segment | undefined): RingIntersection | undefined => (s && t ? problemOf(s, t) : undefined);
  for (const ev of events) {
    const seg = segments[ev >> 1];
    if ((ev & 1) === 0) {
      status.set(seg, undefined);
      const found = check(seg, status.nextHigherKey(seg)) ?? check(seg, status.nextLowerKey(seg));
      if (found) return found;
    } else {
      const above = status.nextHigherKey(seg);
      const below = status.nextLowerKey(seg);
      status.delete(seg);
      const found = check(above, below);
      if (found) return found;
    }
  }
  return undefined;
}

/** True when the closed ring does not touch or cross itself (the check `findRingIntersection` makes, for one ring). */
export function isSimpleRing(ring: LinearRing): boolean {
  return findRingIntersection([[ring]]) === undefined;
}
