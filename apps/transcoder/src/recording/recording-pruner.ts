import type { RecordingStorage } from './recording-storage';
import type { IndexedSegment, SegmentIndex } from './segment-index';

/** Rows deleted per index round trip. */
export const PRUNE_BATCH = 500;

export interface PruneReport {
  rootId: string;
  /** Segments past their keepUntil (not under a hold). */
  expired: number;
  /** Segments deleted, oldest first, to bring the root under its quota. */
  overQuota: number;
  bytesFreed: number;
  /** Still over quota after pruning: everything left is held. */
  stillOverQuota: boolean;
  ms: number;
}

/**
 * Retention and quota for one worker's roots (docs/recording.md, "Retention and quota"): per root, first the
 * segments whose keepUntil has passed (the index skips held ones), then, while the root's used bytes exceed its
 * quota, the oldest segments the index says may go. Files are deleted before their rows: a crash in between
 * leaves rows without files, which the crash scan deletes.
 */
export class RecordingPruner {
  constructor(
    private readonly workerId: string,
    private readonly index: SegmentIndex,
    private readonly now: () => number = Date.now,
    private readonly batch = PRUNE_BATCH,
  ) {}

  async prune(storage: RecordingStorage): Promise<PruneReport> {
    const started = this.now();
    const report: PruneReport = { rootId: storage.id, expired: 0, overQuota: 0, bytesFreed: 0, stillOverQuota: false, ms: 0 };
    const now = new Date(started);
    for (;;) {
      const rows = await this.index.expiredSegments(this.workerId, storage.id, now, this.batch);
      if (rows.length === 0) break;
      report.bytesFreed += await this.drop(storage, rows);
      report.expired += rows.length;
      if (rows.length < this.batch) break;
    }
    while (storage.usedBytes > storage.root.quotaBytes) {
      const excess = storage.usedBytes - storage.root.quotaBytes;
      const rows = await this.index.oldestPrunable(this.workerId, storage.id, this.batch);
      if (rows.length === 0) {
        report.stillOverQuota = true;
        break;
      }
      // only as many of the oldest as bring the root under its quota
      let take = 0;
      for (let freed = 0; take < rows.length && freed < excess; take++) freed += rows[take]!.bytes;
      const chosen = rows.slice(0, Math.max(1, take));
      report.bytesFreed += await this.drop(storage, chosen);
      report.overQuota += chosen.length;
    }
    report.ms = this.now() - started;
    return report;
  }

  private async drop(storage: RecordingStorage, rows: readonly IndexedSegment[]): Promise<number> {
    const freed = await storage.remove(rows.map((r) => ({ path: r.path, bytes: r.bytes })));
    await this.index.deleteSegments(rows.map((r) => r.id));
    return freed;
  }
}
