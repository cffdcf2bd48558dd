import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { exportFailureText, RecordingTopics, type ExportFailure, type ExportState, type RecordingExportProgressMessage } from '@tiergate/contracts';
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
  /** libs/persistence RecordingsRepository.failUnfinishedExports: this worker's queued/running rows → failed; their ids. */
  failUnfinishedExports(workerId: string, failure: string, at: Date): Promise<string[]>;
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

/** What the worker did on Commands.recordingExportDelete. */
export interface ExportDeleteAnswer {
  deleted: boolean;
  workerId: string;
  hadFile: boolean;
  cancelled: boolean;
}

/** What the start-up recovery found: rows failed as `worker-restarted`, export files removed. */
export interface ExportRecoveryReport {
  failed: string[];
  filesDeleted: number;
}

/** A job ended on purpose (worker stop, cancel): its failure code instead of what the interrupted step threw. */
class JobAborted extends Error {
  constructor(readonly code: ExportFailure) {
    super(code);
  }
}

/** A job taken by this worker: queued until a slot frees, then running. */
interface Job {
  id: string;
  row: ExportRow;
  segments: ExportSegment[];
  abort?: ExportFailure;
  child?: { stop(): Promise<unknown> };
  /** Resolves when the job has ended (its temp files gone). */
  done?: Promise<void>;
}

/** Pure: whether `name` in `<root>/exports/` belongs to export `id` (its MP4, its temp files). */
export const isFileOfExport = (name: string, id: string): boolean => name === `${id}.mp4` || (name.startsWith(id) && name.endsWith('.tmp'));

/**
 * Evidence exports on the worker holding the segments (docs/recording.md, "Evidence export"): the runs of the
 * range (init + segments, exportRunsOf) are concatenated into temp files in `<root>/exports/`, ffmpeg
 * stream-copies them into `<exportId>.mp4` (`-c copy -movflags +faststart`), then the SHA-256 of the file is
 * taken. State and progress go to the row and to RecordingTopics.exportProgress(id). The temp files go in
 * every case; the MP4 stays until deleted by an operator (it is evidence: no retention applies to it).
 */
export class ExportJobs {
  private readonly queue: Job[] = [];
  private readonly running = new Map<string, Job>();
  private closed = false;

  constructor(private readonly deps: ExportJobsDeps) {}

  /**
   * At the worker's start, before it takes jobs (VodHost.start): the exports this worker had taken and not
   * finished (its process died or was killed mid-job) become `failed` with `worker-restarted`, and every temp
   * file in its roots' `exports/` folders goes (no job of this process runs yet), with the MP4 of such a row (a
   * job killed between the rename and `done`). The worker is the only writer of a row it took, so no other
   * process has to guess whether it is still alive.
   */
  async recover(): Promise<ExportRecoveryReport> {
    let filesDeleted = 0;
    const sweep = async (match: (name: string) => boolean) => {
      for (const root of this.deps.roots.values()) {
        const dir = join(root, 'exports');
        for (const name of await readdir(dir).catch(() => [] as string[])) {
          if (!match(name)) continue;
          await rm(join(dir, name), { force: true });
          filesDeleted++;
        }
      }
    };
    // the temp files first: when a row reads `failed`, nothing of its job is left on disk
    await sweep((name) => name.endsWith('.tmp'));
    const failed = await this.deps.index.failUnfinishedExports(this.deps.workerId, exportFailureText('worker-restarted'), new Date(this.now()));
    if (failed.length > 0) await sweep((name) => failed.some((id) => isFileOfExport(name, id)));
    for (const id of failed) await this.publishProgress(id, { state: 'failed', failure: exportFailureText('worker-restarted') });
    return { failed, filesDeleted };
  }

  /** Takes export `id` when its segments lie on this worker; the job runs after the answer. */
  async request(exportId: string): Promise<ExportAnswer> {
    const me = this.deps.workerId;
    const refuse = (reason: string): ExportAnswer => ({ accepted: false, workerId: me, reason });
    if (this.closed) return refuse('the worker is stopping');
    const row = await this.deps.index.getExport(exportId);
    if (!row) return refuse('no such export');
    if (row.state !== 'queued') return refuse(`the export is ${row.state}`);
    if (this.running.has(exportId) || this.queue.some((j) => j.id === exportId)) return refuse('the export is already taken');
    const segments = await this.deps.index.segmentsOf(row.cameraId, row.profile, row.from, row.to);
    if (segments.length === 0) return refuse('no recording in the range');
    if (segments.some((s) => s.workerId !== me)) return refuse('the range spans recordings held by several workers');
    if (segments.some((s) => !this.deps.roots.has(s.rootId))) return refuse('a segment lies on a storage root this worker does not have');
    await this.report(exportId, { state: 'queued', progress: 0, workerId: me });
    this.queue.push({ id: exportId, row, segments });
    this.pump();
    return { accepted: true, workerId: me };
  }

  /**
   * DELETE /api/exports/:id reached this worker: a queued job is dropped, a running one stopped (its ffmpeg
   * killed, its temp files removed), then the export's MP4 and any temp file of it in every root go.
   */
  async delete(exportId: string): Promise<ExportDeleteAnswer> {
    let cancelled = false;
    const queued = this.queue.findIndex((j) => j.id === exportId);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      cancelled = true;
    }
    const job = this.running.get(exportId);
    if (job) {
      cancelled = true;
      await this.abort(job, 'cancelled');
    }
    let hadFile = false;
    for (const root of this.deps.roots.values()) {
      const dir = join(root, 'exports');
      for (const name of await readdir(dir).catch(() => [] as string[])) {
        if (!isFileOfExport(name, exportId)) continue;
        if (name.endsWith('.mp4')) hadFile = true;
        await rm(join(dir, name), { force: true });
      }
    }
    return { deleted: true, workerId: this.deps.workerId, hadFile, cancelled };
  }

  /**
   * The worker stops: no new job; queued ones and running ones (their ffmpeg killed) end `failed` with
   * `worker-stopped`, their temp files removed. A worker killed before it gets here is handled by recover().
   */
  async close(): Promise<void> {
    this.closed = true;
    const queued = this.queue.splice(0);
    const at = new Date(this.now());
    await Promise.all([
      ...queued.map((j) => this.report(j.id, { state: 'failed', failure: exportFailureText('worker-stopped'), finishedAt: at }).catch(() => undefined)),
      ...[...this.running.values()].map((j) => this.abort(j, 'worker-stopped')),
    ]);
  }

  private async abort(job: Job, code: ExportFailure): Promise<void> {
    job.abort ??= code;
    await job.child?.stop().catch(() => undefined);
    await job.done;
  }

  private pump(): void {
    const max = this.deps.maxConcurrent ?? 2;
    while (this.running.size < max && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.running.set(job.id, job);
      job.done = this.run(job).finally(() => {
        this.running.delete(job.id);
        this.pump();
      });
    }
  }

  private async run(job: Job): Promise<void> {
    const { row, segments } = job;
    const runs = exportRunsOf(segments);
    const dir = join(this.deps.roots.get(runs[0]!.rootId)!, 'exports');
    const temps: string[] = [];
    const final = join(dir, `${row.id}.mp4`);
    let last = 0;
    const check = () => {
      if (job.abort) throw new JobAborted(job.abort);
    };
    // progress writes run one after the other, and the final state waits for them: a late `running` never
    // overwrites `done` or `failed`
    let writes = Promise.resolve();
    const removeTemps = () => Promise.all(temps.splice(0).map((t) => rm(t, { force: true }).catch(() => undefined)));
    const progress = (p: number) => {
      const now = this.now();
      if (now - last < PROGRESS_EVERY_MS || job.abort) return;
      last = now;
      writes = writes.then(() => this.report(row.id, { state: 'running', progress: Math.min(0.99, p) })).catch(() => undefined);
    };
    try {
      await this.report(row.id, { state: 'running', progress: 0 });
      await mkdir(dir, { recursive: true });
      const totalBytes = runs.reduce((n, r) => n + r.bytes, 0) || 1;
      let copied = 0;
      const runFiles: string[] = [];
      for (const [i, run] of runs.entries()) {
        check();
        const file = join(dir, `${row.id}-${i}.m4s.tmp`);
        temps.push(file);
        await this.assemble(run, file, (n) => {
          check();
          progress((ASSEMBLE_SHARE * (copied += n)) / totalBytes);
        });
        runFiles.push(file);
      }
      check();
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
      await this.ffmpeg(job, exportFfmpegArgs(input, out), (ms) => progress(ASSEMBLE_SHARE + (FFMPEG_SHARE * Math.min(ms, mediaMs)) / mediaMs));
      check();
      await rename(out, final);
      const sha256 = await sha256Of(final);
      const { size } = await stat(final);
      check();
      await writes;
      await removeTemps(); // a row that reads done (or failed) has no temp file left beside it
      await this.report(row.id, { state: 'done', progress: 1, path: final, sha256, bytes: size, finishedAt: new Date(this.now()) });
    } catch (e) {
      const failure = job.abort
        ? exportFailureText(job.abort)
        : e instanceof FfmpegFailed
          ? exportFailureText('ffmpeg-failed', e.message)
          : exportFailureText('io-failed', (e as Error).message);
      this.deps.log?.(`export ${row.id} failed: ${failure}`);
      await rm(final, { force: true }).catch(() => undefined);
      await writes;
      await removeTemps();
      await this.report(row.id, { state: 'failed', failure, finishedAt: new Date(this.now()) }).catch(() => undefined);
    } finally {
      await removeTemps();
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

  private async ffmpeg(job: Job, args: string[], onMediaMs: (ms: number) => void): Promise<void> {
    const child = this.deps.spawner.spawn(args);
    job.child = child;
    child.stdout?.on('data', (c: Buffer) => {
      const ms = progressTimeMsOf(c.toString('utf8'));
      if (ms !== undefined) onMediaMs(ms);
    });
    // aborted before the spawn: the child is stopped at once
    if (job.abort) void child.stop().catch(() => undefined);
    const exit = await child.exited;
    job.child = undefined;
    if (exit.code !== 0) throw new FfmpegFailed(`ffmpeg exited ${exit.code ?? exit.signal}: ${exit.stderrTail.trim().split('\n').slice(-3).join(' | ')}`);
  }

  private async report(id: string, patch: ExportPatch): Promise<void> {
    await this.deps.index.updateExport(id, patch);
    if (patch.state !== undefined) await this.publishProgress(id, patch);
  }

  private async publishProgress(id: string, patch: ExportPatch): Promise<void> {
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

class FfmpegFailed extends Error {}

export async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}
