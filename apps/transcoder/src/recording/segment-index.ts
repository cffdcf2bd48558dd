import type { NewRecordingSegment, RecordingSegmentRecord, RecordingsRepository } from '@tiergate/persistence';

/**
 * What recording needs of the segment index (`recording_segments`): the part of libs/persistence's
 * RecordingsRepository the worker calls, as a port, so the recorder, the pruner and the crash scan are tested
 * with a fake. Rows are per (worker, root): a root id names a directory of one worker. The row shape is the
 * repository's own.
 */
export type IndexedSegment = RecordingSegmentRecord;

export type NewIndexedSegment = NewRecordingSegment;

export type SegmentIndex = Pick<RecordingsRepository, 'insertSegment' | 'segmentsOfRoot' | 'expiredSegments' | 'oldestPrunable' | 'deleteSegments' | 'rootUsage'>;
