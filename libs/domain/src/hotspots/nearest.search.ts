export interface IdentifiedPoint<I = string> {
  id: I;
  /** EPSG:3857 metres. */
  x: number;
  y: number;
}

function compareIds(a: unknown, b: unknown): number {
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Ids of the points within `radius` (inclusive) of `centre`, nearest first, ties by id. */
export function nearestWithin<I>(centre: { x: number; y: number }, points: ReadonlyArray<IdentifiedPoint<I>>, radius: number): I[] {
  const r2 = radius * radius;
  const hits: Array<{ id: I; d2: number }> = [];
  for (const p of points) {
    const dx = p.x - centre.x;
    const dy = p.y - centre.y;
    const d2 = dx * dx + dy * dy;
    if (d2 <= r2) hits.push({ id: p.id, d2 });
  }
  return hits.sort((a, b) => a.d2 - b.d2 || compareIds(a.id, b.id)).map((h) => h.id);
}

/**
 * A bucket grid over points for many `within` queries with radii near `bucketSize` (cameras near each
 * hot cell): each query only looks at the buckets its circle overlaps.
 */
export class PointGridIndex<I = string> {
  private readonly buckets = new Map<string, IdentifiedPoint<I>[]>();

  constructor(points: ReadonlyArray<IdentifiedPoint<I>>, private readonly bucketSize: number) {
    if (!(bucketSize > 0) || !Number.isFinite(bucketSize)) throw new RangeError('bucketSize must be a positive number');
    for (const p of points) {
      if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) continue;
      const key = `${Math.floor(p.x / bucketSize)},${Math.floor(p.y / bucketSize)}`;
      const list = this.buckets.get(key);
      if (list) list.push(p);
      else this.buckets.set(key, [p]);
    }
  }

  within(centre: { x: number; y: number }, radius: number): I[] {
    const s = this.bucketSize;
    const candidates: IdentifiedPoint<I>[] = [];
    const span = (Math.floor((centre.x + radius) / s) - Math.floor((centre.x - radius) / s) + 1) ** 2;
    if (!Number.isFinite(span) || span > this.buckets.size) {
      for (const list of this.buckets.values()) candidates.push(...list); // a huge circle: scan everything
      return nearestWithin(centre, candidates, radius);
    }
    for (let bx = Math.floor((centre.x - radius) / s); bx <= Math.floor((centre.x + radius) / s); bx++) {
      for (let by = Math.floor((centre.y - radius) / s); by <= Math.floor((centre.y + radius) / s); by++) {
        const list = this.buckets.get(`${bx},${by}`);
        if (list) candidates.push(...list);
      }
    }
    return nearestWithin(centre, candidates, radius);
  }
}
