import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { StreamKey } from '@tiergate/contracts';
import type { RecordingFs } from './recording-fs';

/** How long a root that was found full stays full before free space is looked at again. */
export const DISK_FULL_RETRY_MS = 10_000;

export interface RecordingRoot {
  id: string;
  /** Absolute directory. */
  path: string;
  quotaBytes: number;
}

/** The content address of an init segment: the first 16 hex digits of its SHA-256. */
export const initHashOf = (data: Buffer): string => createHash('sha256').update(data).digest('hex').slice(0, 16);

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * Pure: paths inside a root (docs/recording.md, "Storage layout"), relative to it:
 * `<camera>/<profile>/init/<hash>.mp4` and `<camera>/<profile>/<YYYYMMDD>/<HH>/<startMs>-<initHash>.m4s` (UTC).
 * The init's hash in the segment's name lets the crash scan index a file that has no row.
 */
export const RecordingLayout = {
  initPath: (key: StreamKey, hash: string): string => `${key.cameraId}/${key.profile}/init/${hash}.mp4`,
  segmentPath(key: StreamKey, startMs: number, initHash: string): string {
    const d = new Date(startMs);
    const day = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
    return `${key.cameraId}/${key.profile}/${day}/${pad(d.getUTCHours())}/${startMs}-${initHash}.m4s`;
  },
  /** A segment path back to its parts; undefined for anything else (init files, strays). */
  parseSegmentPath(rel: string): (StreamKey & { startMs: number; initHash: string; initPath: string }) | undefined {
    const m = /^([A-Za-z0-9_-]{1,64})\/(main|sub)\/\d{8}\/\d{2}\/(\d{1,15})-([0-9a-f]{16})\.m4s$/.exec(rel);
    if (!m) return undefined;
    const key = { cameraId: m[1]!, profile: m[2] as StreamKey['profile'] };
    return { ...key, startMs: Number(m[3]), initHash: m[4]!, initPath: RecordingLayout.initPath(key, m[4]!) };
  },
};

export interface WrittenFile {
  /** Relative to the root. */
  path: string;
  bytes: number;
}

/** ENOSPC, or the root was below minFreeBytes: nothing was left behind. */
export class DiskFullError extends Error {
  constructor(readonly rootId: string, detail: string) {
    super(`recording root ${rootId} is full: ${detail}`);
    this.name = 'DiskFullError';
  }
}

/**
 * One storage root: writes init files (content-addressed, once) and segments (`.tmp`, fsync, rename), knows
 * its free bytes (statfs) and its used bytes (counted from the crash scan on, kept up to date on every write
 * and delete), and whether it is full. A full root refuses writes until, at least DISK_FULL_RETRY_MS later,
 * free space is back above minFreeBytes.
 */
export class RecordingStorage {
  private used = 0;
  private free: number | undefined;
  private fullUntil: number | undefined;
  private fullReason: string | undefined;
  private readonly inits = new Set<string>();

  constructor(
    readonly root: RecordingRoot,
    private readonly fs: RecordingFs,
    private readonly minFreeBytes: number,
    private readonly now: () => number = Date.now,
  ) {}

  get id(): string {
    return this.root.id;
  }

  get usedBytes(): number {
    return this.used;
  }

  /** Free bytes as last measured (undefined before the first measure). */
  get freeBytes(): number | undefined {
    return this.free;
  }

  get diskFull(): boolean {
    return this.fullUntil !== undefined;
  }

  get diskFullReason(): string | undefined {
    return this.fullReason;
  }

  abs(rel: string): string {
    return join(this.root.path, rel);
  }

  async open(): Promise<void> {
    await this.fs.mkdir(this.root.path);
    await this.measureFree();
  }

  /** Sets the used bytes (the crash scan counts them). */
  setUsed(bytes: number): void {
    this.used = bytes;
  }

  async measureFree(): Promise<number> {
    this.free = await this.fs.freeBytes(this.root.path);
    return this.free;
  }

  /**
   * May a segment be written now? A full root says no until its retry time; then (and on every call while not
   * full) free space is measured against minFreeBytes.
   */
  async writable(): Promise<boolean> {
    const now = this.now();
    if (this.fullUntil !== undefined && now < this.fullUntil) return false;
    const free = await this.measureFree().catch(() => 0);
    if (free < this.minFreeBytes) {
      this.markFull(`${free} bytes free, below recording.minFreeBytes (${this.minFreeBytes})`);
      return false;
    }
    this.fullUntil = undefined;
    this.fullReason = undefined;
    return true;
  }

  markFull(reason: string): void {
    this.fullUntil = this.now() + DISK_FULL_RETRY_MS;
    this.fullReason = reason;
  }

  /** Writes an init once per content; returns its relative path. */
  async writeInit(key: StreamKey, data: Buffer): Promise<{ path: string; hash: string }> {
    const hash = initHashOf(data);
    const path = RecordingLayout.initPath(key, hash);
    if (this.inits.has(path)) return { path, hash };
    const size = await this.fs.sizeOf(this.abs(path));
    if (size !== data.length) {
      const written = await this.writeAtomically(path, [data]);
      this.used += written.bytes - (size ?? 0);
    }
    this.inits.add(path);
    return { path, hash };
  }

  /** Writes one segment: `.tmp`, fsync, rename. Throws DiskFullError on ENOSPC (the .tmp is gone). */
  async writeSegment(key: StreamKey, startMs: number, initHash: string, data: readonly Buffer[]): Promise<WrittenFile> {
    const written = await this.writeAtomically(RecordingLayout.segmentPath(key, startMs, initHash), data);
    this.used += written.bytes;
    return written;
  }

  /** Deletes files (relative paths); returns the bytes freed. Missing files are fine. */
  async remove(paths: readonly { path: string; bytes?: number }[]): Promise<number> {
    let freed = 0;
    for (const p of paths) {
      const size = p.bytes ?? (await this.fs.sizeOf(this.abs(p.path))) ?? 0;
      await this.fs.unlink(this.abs(p.path));
      freed += size;
    }
    this.used = Math.max(0, this.used - freed);
    return freed;
  }

  private async writeAtomically(rel: string, data: readonly Buffer[]): Promise<WrittenFile> {
    const file = this.abs(rel);
    const tmp = `${file}.tmp`;
    const bytes = data.reduce((n, b) => n + b.length, 0);
    try {
      await this.fs.mkdir(dirname(file));
      await this.fs.writeSynced(tmp, data);
      await this.fs.rename(tmp, file);
    } catch (err) {
      await this.fs.unlink(tmp).catch(() => undefined);
      if ((err as NodeJS.ErrnoException).code === 'ENOSPC' || (err as NodeJS.ErrnoException).code === 'EDQUOT') {
        this.markFull((err as Error).message);
        throw new DiskFullError(this.root.id, (err as Error).message);
      }
      throw err;
    }
    return { path: rel, bytes };
  }
}
