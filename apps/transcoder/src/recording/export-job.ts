import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { RecordingTopics, type ExportState, type RecordingExportProgressMessage } from '@tiergate/contracts';
import type { FfmpegSpawner } from '@tiergate/media';
import { concatListOf, exportFfmpegArgs, exportRunsOf, progressTimeMsOf, type ExportRun, type ExportSegment } from './export-plan';
import { insideRoot } from './vod-server';

/** What the export runner reads and writes of the index (a subset of libs/persistence's RecordingsRepository). */
export interface ExportRow {
  id: string;
  cameraId: string;
  profile: string;
  from: Date;
  to: Date;
  state: ExportState;
}

export interface ExportPatch {
  state?: ExportState;
  progress?: number;
  workerId?: string;
  path?: string;
  sha256?: string;
  bytes?: number;
  failure?: string;
  finishedAt?: Date;
}

export interface ExportIndex {
  getExport(id: string): Promise<ExportRow | undefined>;
  updateExport(id: string, patch: ExportPatch): Promise<void>;
  segmentsOf(cameraId: string, profile: string, from: Date, to: Date): Promise<Array<ExportSegment & { workerId: string }>>;
}

export interface ExportJobsDeps {
  workerId: string;
  roots: ReadonlyMap<string, string>;
  index: ExportIndex;
  spawner: FfmpegSpawner;
  publish(topic: string, payload: RecordingExportProgressMessage): Promise<void>;
  now?: () => number;
  /** Jobs run at once on this worker; the others wait (queued). Default 2. */
  maxConcurrent?: number;
  log?: (message: string) => void;
}

/** Progress is written to the row and published at most this often (and at every state change). */
const PROGRESS_EVERY_MS = 250;
/** Share of the progress bar for assembling the runs, then for ffmpeg; hashing takes the rest. */
const ASSEMBLE_SHARE = 0.3;
const FFMPEG_SHARE = 0.6;

export interface ExportAnswer {
  accepted: boolean;
  workerId: string;
  reason?: string;
}

/**
 * Evidence exports on the worker holding the segments (docs/recording.md, "Evidence export"): the runs of the
 * range (init + segments, exportRunsOf) are concatenated into temp files in `<root>/exports/`, ffmpeg
 * stream-copies them into `<exportId>.mp4` (`-c copy -movflags +faststart`), then the SHA-256 of the file is
 * taken. State and progress go to the row and to RecordingTopics.exportProgress(id). The temp files go in
 * every case; the MP4 stays until deleted by an operator (it is evidence: no retention applies to it).
 */
export class ExportJobs {
  private readonly queue: Array<() => Promise<void>> = [];
  private running = 0;
  private readonly children = new Set<{ stop(): Promise<unknown> }>();
  private closed = false;

  constructor(private readonly deps: ExportJobsDeps) {}

  /** Takes export `id` when its segments lie on this worker; the job runs after the answer. */
  async request(exportId: string): Promise<ExportAnswer> {
    const me = this.deps.workerId;
    const refuse = (reason: string): ExportAnswer => ({ accepted: false, workerId: me, reason });
    if (this.closed) return refuse('the worker is stopping');
    const row = await this.deps.index.getExport(exportId);
    if (!row) return refuse('no such export');
    if (row.state !== 'queued') return refuse(`the export is ${row.state}`);
    const segments = await this.deps.index.segmentsOf(row.cameraId, row.profile, row.from, row.to);
    if (segments.length === 0) return refuse('no recording in the range');
    if (segments.some((s) => s.workerId !== me)) return refuse('the range spans recordings held by several workers');
    if (segments.some((s) => !this.deps.roots.has(s.rootId))) return refuse('a segment lies on a storage root this worker does not have');
    await this.report(exportId, { state: 'queued', progress: 0, workerId: me });
    this.queue.push(() => this.run(row, segments));
    this.pump();
    return { accepted: true, workerId: me };
  }

  /** Stops running ffmpeg children; queued jobs are dropped (their rows stay queued). */
  async close(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    await Promise.all([...this.children].map((c) => c.stop()));
  }

  private pump(): void {
    const max = this.deps.maxConcurrent ?? 2;
    while (this.running < max && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.running++;
      void job().finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async run(row: ExportRow, segments: ExportSegment[]): Promise<void> {
    const runs = exportRunsOf(segments);
    const dir = join(this.deps.roots.get(runs[0]!.rootId)!, 'exports');
    const temps: string[] = [];
    let last = 0;
    const progress = (p: number) => {
      const now = this.now();
      if (now - last < PROGRESS_EVERY_MS) return;
      last = now;
      void this.report(row.id, { state: 'running', progress: Math.min(0.99, p) }).catch(() => undefined);
    };
    try {
      await this.report(row.id, { state: 'running', progress: 0 });
      await mkdir(dir, { recursive: true });
      const totalBytes = runs.reduce((n, r) => n + r.bytes, 0) || 1;
      let copied = 0;
      const runFiles: string[] = [];
      for (const [i, run] of runs.entries()) {
        const file = join(dir, `${row.id}-${i}.m4s.tmp`);
        temps.push(file);
        await this.assemble(run, file, (n) => progress((ASSEMBLE_SHARE * (copied += n)) / totalBytes));
        runFiles.push(file);
      }
      let input: { run: string } | { concatList: string };
      if (runFiles.length === 1) input = { run: runFiles[0]! };
      else {
        const list = join(dir, `${row.id}.ffconcat.tmp`);
        temps.push(list);
        await writeFile(list, concatListOf(runFiles));
        input = { concatList: list };
      }
      const out = join(dir, `${row.id}.mp4.tmp`);
      temps.push(out);
      const mediaMs = runs.reduce((n, r) => n + r.durationMs, 0) || 1;
      await this.ffmpeg(exportFfmpegArgs(input, out), (ms) => progress(ASSEMBLE_SHARE + (FFMPEG_SHARE * Math.min(ms, mediaMs)) / mediaMs));
      const final = join(dir, `${row.id}.mp4`);
      await rename(out, final);
      const sha256 = await sha256Of(final);
      const { size } = await stat(final);
      await this.report(row.id, { state: 'done', progress: 1, path: final, sha256, bytes: size, finishedAt: new Date(this.now()) });
    } catch (e) {
      const failure = (e as Error).message.slice(0, 2000);
      this.deps.log?.(`export ${row.id} failed: ${failure}`);
      await this.report(row.id, { state: 'failed', failure, finishedAt: new Date(this.now()) }).catch(() => undefined);
    } finally {
      await Promise.all(temps.map((t) => rm(t, { force: true }).catch(() => undefined)));
    }
  }

  /** init + segments of one run into `file`, in order. */
  private async assemble(run: ExportRun, file: string, onBytes: (n: number) => void): Promise<void> {
    const root = this.deps.roots.get(run.rootId);
    const parts = [run.initPath, ...run.segments.map((s) => s.path)].map((p) => insideRoot(root, p));
    if (parts.some((p) => p === undefined)) throw new Error('a segment path lies outside its root');
    const files = parts as string[];
    async function* chunks() {
      for (const part of files) {
        for await (const chunk of createReadStream(part)) {
          onBytes((chunk as Buffer).length);
          yield chunk as Buffer;
        }
      }
    }
    await pipeline(chunks, createWriteStream(file));
  }

  private async ffmpeg(args: string[], onMediaMs: (ms: number) => void): Promise<void> {
    const child = this.deps.spawner.spawn(args);
    this.children.add(child);
    child.stdout?.on('data', (c: Buffer) => {
      const ms = progressTimeMsOf(c.toString('utf8'));
      if (ms !== undefined) onMediaMs(ms);
    });
    const exit = await child.exited;
    this.children.delete(child);
    if (exit.code !== 0) throw new Error(`ffmpeg exited ${exit.code ?? exit.signal}: ${exit.stderrTail.trim().split('\n').slice(-3).join(' | ')}`);
  }

  private async report(id: string, patch: ExportPatch): Promise<void> {
    await this.deps.index.updateExport(id, patch);
    if (patch.state === undefined) return;
    const message: RecordingExportProgressMessage = {
      exportId: id,
      state: patch.state,
      progress: patch.progress ?? (patch.state === 'done' ? 1 : 0),
      ...(patch.sha256 ? { sha256: patch.sha256 } : {}),
      ...(patch.bytes !== undefined ? { bytes: patch.bytes } : {}),
      ...(patch.failure ? { reason: patch.failure } : {}),
      at: new Date(this.now()).toISOString(),
    };
    await this.deps.publish(RecordingTopics.exportProgress(id), message).catch(() => undefined);
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }
}

export async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}
