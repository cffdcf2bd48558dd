/**
 * What recording needs of the segment index (`recording_segments`): the subset of libs/persistence's
 * RecordingsRepository the worker calls, as a port, so the recorder, the pruner and the crash scan are tested
 * with a fake. Rows are per (worker, root): a root id names a directory of one worker.
 */
export interface IndexedSegment {
  id: string;
  cameraId: string;
  profile: 'main' | 'sub';
  workerId: string;
  rootId: string;
  /** Relative to the storage root. */
  path: string;
  initPath: string;
  startAt: Date;
  endAt: Date;
  bytes: number;
  keepUntil: Date;
}

export type NewIndexedSegment = Omit<IndexedSegment, 'id'>;

export interface SegmentIndex {
  insertSegment(s: NewIndexedSegment): Promise<string>;
  segmentsOfRoot(workerId: string, rootId: string, options: { after?: Date; afterId?: string; limit: number }): Promise<IndexedSegment[]>;
  /** keepUntil < now, not under a hold; soonest expired first. */
  expiredSegments(workerId: string, rootId: string, now: Date, limit: number): Promise<IndexedSegment[]>;
  /** Oldest by start that a quota may delete (holds and a held camera's newest hour skipped). */
  oldestPrunable(workerId: string, rootId: string, limit: number): Promise<IndexedSegment[]>;
  deleteSegments(ids: readonly string[]): Promise<void>;
  rootUsage(workerId: string, rootId: string): Promise<{ bytes: number; segments: number }>;
}
