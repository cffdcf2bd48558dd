import type { FragmentFeed, FragmentListener, Fmp4Fragment, Fmp4Init } from '@tiergate/media';
import type { IndexedSegment, NewIndexedSegment, SegmentIndex } from '../segment-index';

/** A fragment feed driven by the test: init(), frag() and end() reach every listener at once. */
export class FakeFeed implements FragmentFeed {
  init: Fmp4Init | undefined;
  private readonly listeners = new Set<FragmentListener>();
  private seq = 0;
  private decode = 0;
  constructor(private readonly now: () => number) {}

  gop(): readonly Fmp4Fragment[] {
    return [];
  }

  subscribe(listener: FragmentListener): () => void {
    if (this.init) listener.init(this.init);
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  newInit(generation: number, data = Buffer.from(`init-${generation}`)): Fmp4Init {
    this.init = { data, codec: 'avc1.64001f', timescale: 90_000, generation };
    this.decode = 0;
    for (const l of this.listeners) l.init(this.init);
    return this.init;
  }

  /** One fragment of durationSec arriving now (its decode time follows the previous one of this run). */
  frag(keyframe: boolean, durationSec = 0.5, bytes = 1000): Fmp4Fragment {
    const f: Fmp4Fragment = {
      data: Buffer.alloc(bytes, this.seq & 0xff), seq: this.seq++, keyframe, decodeTime: this.decode, durationSec,
      receivedAt: this.now(), generation: this.init!.generation,
    };
    this.decode += durationSec * 90_000;
    for (const l of this.listeners) l.fragment(f);
    return f;
  }

  end(reason = 'closed'): void {
    for (const l of [...this.listeners]) l.end?.(reason);
    this.listeners.clear();
  }
}

/** The segment index in memory, with the pruning rules of libs/persistence (holds as [from, to) per camera). */
export class FakeIndex implements SegmentIndex {
  rows: IndexedSegment[] = [];
  holds: { cameraId: string; from: number; to: number }[] = [];
  private next = 1;

  async insertSegment(s: NewIndexedSegment): Promise<string> {
    const id = String(this.next++);
    this.rows.push({ ...s, id });
    return id;
  }

  async segmentsOfRoot(workerId: string, rootId: string, o: { after?: Date; afterId?: string; limit: number }): Promise<IndexedSegment[]> {
    const key = (r: IndexedSegment) => [r.startAt.getTime(), Number(r.id)] as const;
    const after = o.after ? [o.after.getTime(), Number(o.afterId ?? Infinity)] as const : undefined;
    return this.of(workerId, rootId)
      .sort((a, b) => a.startAt.getTime() - b.startAt.getTime() || Number(a.id) - Number(b.id))
      .filter((r) => !after || key(r)[0] > after[0] || (key(r)[0] === after[0] && key(r)[1] > after[1]))
      .slice(0, o.limit);
  }

  async expiredSegments(workerId: string, rootId: string, now: Date, limit: number): Promise<IndexedSegment[]> {
    return this.of(workerId, rootId).filter((r) => r.keepUntil < now && !this.held(r)).sort((a, b) => a.keepUntil.getTime() - b.keepUntil.getTime()).slice(0, limit);
  }

  async oldestPrunable(workerId: string, rootId: string, limit: number): Promise<IndexedSegment[]> {
    return this.of(workerId, rootId).filter((r) => !this.held(r)).sort((a, b) => a.startAt.getTime() - b.startAt.getTime()).slice(0, limit);
  }

  async deleteSegments(ids: readonly string[]): Promise<void> {
    const gone = new Set(ids);
    this.rows = this.rows.filter((r) => !gone.has(r.id));
  }

  async rootUsage(workerId: string, rootId: string): Promise<{ bytes: number; segments: number }> {
    const rows = this.of(workerId, rootId);
    return { bytes: rows.reduce((n, r) => n + r.bytes, 0), segments: rows.length };
  }

  private of(workerId: string, rootId: string): IndexedSegment[] {
    return this.rows.filter((r) => r.workerId === workerId && r.rootId === rootId);
  }

  private held(r: IndexedSegment): boolean {
    return this.holds.some((h) => h.cameraId === r.cameraId && h.from < r.endAt.getTime() && h.to > r.startAt.getTime());
  }
}
