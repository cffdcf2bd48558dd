import type { StreamKey } from '@tiergate/contracts';
import { Fmp4Reader } from '@tiergate/media';
import type { RecordingFs } from './recording-fs';
import { RecordingLayout, type RecordingStorage } from './recording-storage';
import type { SegmentIndex } from './segment-index';

/** keepUntil of a file found without a row, when no row of its stream says how long that stream is kept. */
export const ORPHAN_DEFAULT_KEEP_MS = 86_400_000;
const PAGE = 2000;

export interface CrashScanReport {
  rootId: string;
  tmpDeleted: number;
  /** Rows whose file was missing (deleted). */
  rowsWithoutFile: number;
  /** Files without a row, read and indexed. */
  filesIndexed: number;
  /** Files without a row that could not be read (no init, not fMP4, no keyframe first): deleted. */
  filesBroken: number;
  usedBytes: number;
  ms: number;
}

/** Pure: start and duration of a segment file from its init and its bytes (tfdt and trun); undefined when unreadable. */
export function segmentTimesOf(init: Buffer, segment: Buffer): { durationMs: number; bytes: number } | undefined {
  try {
    const reader = new Fmp4Reader();
    const events = [...reader.push(init), ...reader.push(segment)];
    const fragments = events.flatMap((e) => (e.kind === 'fragment' ? [e.fragment] : []));
    if (fragments.length === 0 || !fragments[0]!.keyframe) return undefined;
    const durationMs = Math.round(fragments.reduce((n, f) => n + f.durationSec, 0) * 1000);
    return { durationMs, bytes: segment.length };
  } catch {
    return undefined;
  }
}

/**
 * Makes a root's index agree with its disk after a crash (docs/recording.md): deletes `*.tmp` files (a write
 * cut short), deletes rows whose file is gone, and indexes segment files without a row, their times read from
 * the file (start from its name, duration from its fragments); unreadable ones are deleted. Sets the root's
 * used bytes from what is left.
 */
/** A root's folder of evidence exports (export-job.ts), outside the recording layout. */
export const EXPORTS_DIR = 'exports';

export async function crashScan(storage: RecordingStorage, fs: RecordingFs, index: SegmentIndex, workerId: string, now: () => number = Date.now): Promise<CrashScanReport> {
  const started = now();
  const report: CrashScanReport = { rootId: storage.id, tmpDeleted: 0, rowsWithoutFile: 0, filesIndexed: 0, filesBroken: 0, usedBytes: 0, ms: 0 };
  // `exports/` is the export jobs' (ExportJobs.recover cleans it up before any job runs; a job may already be
  // writing its temp files there while this scan runs): never touched here
  const files = new Set((await fs.walk(storage.root.path)).filter((f) => !f.startsWith(`${EXPORTS_DIR}/`)));
  for (const f of [...files]) {
    if (!f.endsWith('.tmp')) continue;
    await fs.unlink(storage.abs(f));
    files.delete(f);
    report.tmpDeleted += 1;
  }
  const indexed = new Set<string>();
  /** keepUntil − endAt of each stream's newest row, for files found without a row. */
  const keepOffset = new Map<string, number>();
  const missing: string[] = [];
  let usedBytes = 0;
  for (let after: { at: Date; id: string } | undefined; ;) {
    const rows = await index.segmentsOfRoot(workerId, storage.id, { limit: PAGE, ...(after ? { after: after.at, afterId: after.id } : {}) });
    for (const row of rows) {
      if (!files.has(row.path)) {
        missing.push(row.id);
        continue;
      }
      indexed.add(row.path);
      usedBytes += row.bytes;
      keepOffset.set(`${row.cameraId}/${row.profile}`, row.keepUntil.getTime() - row.endAt.getTime());
    }
    if (rows.length < PAGE) break;
    const last = rows[rows.length - 1]!;
    after = { at: last.startAt, id: last.id };
  }
  for (let i = 0; i < missing.length; i += PAGE) await index.deleteSegments(missing.slice(i, i + PAGE));
  report.rowsWithoutFile = missing.length;
  const initCache = new Map<string, Buffer | undefined>();
  for (const f of files) {
    if (indexed.has(f)) continue;
    const seg = RecordingLayout.parseSegmentPath(f);
    if (!seg) {
      if (/\/init\/[0-9a-f]{16}\.mp4$/.test(f)) usedBytes += (await fs.sizeOf(storage.abs(f))) ?? 0;
      continue;
    }
    if (!initCache.has(seg.initPath)) initCache.set(seg.initPath, files.has(seg.initPath) ? await fs.readFile(storage.abs(seg.initPath)).catch(() => undefined) : undefined);
    const init = initCache.get(seg.initPath);
    const times = init && segmentTimesOf(init, await fs.readFile(storage.abs(f)));
    if (!times) {
      await fs.unlink(storage.abs(f));
      report.filesBroken += 1;
      continue;
    }
    const key: StreamKey = { cameraId: seg.cameraId, profile: seg.profile };
    const endAt = seg.startMs + times.durationMs;
    await index.insertSegment({
      ...key,
      workerId,
      rootId: storage.id,
      path: f,
      initPath: seg.initPath,
      startAt: new Date(seg.startMs),
      endAt: new Date(endAt),
      bytes: times.bytes,
      keepUntil: new Date(endAt + (keepOffset.get(`${key.cameraId}/${key.profile}`) ?? ORPHAN_DEFAULT_KEEP_MS)),
    });
    usedBytes += times.bytes;
    report.filesIndexed += 1;
  }
  storage.setUsed(usedBytes);
  report.usedBytes = usedBytes;
  report.ms = now() - started;
  return report;
}
