import { PassThrough } from 'node:stream';
import type { FfmpegChild, FfmpegExit, FfmpegSpawner } from '@tiergate/media';

export class FakeChild implements FfmpegChild {
  readonly exited: Promise<FfmpegExit>;
  stopped = false;
  alive = true;
  /** What the fake ffmpeg "writes" to stdout (writeStdout); read in flowing mode, as the real adapter does. */
  readonly stdout = new PassThrough();
  private resolveExit!: (exit: FfmpegExit) => void;
  private stderr = '';

  constructor(
    readonly pid: number,
    readonly args: readonly string[],
  ) {
    this.exited = new Promise((r) => (this.resolveExit = r));
  }

  stderrTail(): string {
    return this.stderr;
  }

  writeStderr(text: string): void {
    this.stderr += text;
  }

  /** Bytes ffmpeg writes to stdout (the fMP4 output); delivered synchronously to 'data' listeners. */
  writeStdout(chunk: Buffer): void {
    this.stdout.write(chunk);
  }

  /** Simulates ffmpeg dying on its own. */
  die(code = 1, stderr = this.stderr): void {
    this.alive = false;
    this.resolveExit({ code, signal: null, stoppedByUs: false, stderrTail: stderr });
  }

  /** When set, stop() returns at once but `exited` only settles on die(): an exit that arrives late. */
  lateExit = false;

  stop(): Promise<FfmpegExit> {
    if (this.lateExit) {
      this.stopped = true;
      return Promise.resolve({ code: 255, signal: null, stoppedByUs: true, stderrTail: '' });
    }
    if (!this.stopped) {
      this.stopped = true;
      this.alive = false;
      this.resolveExit({ code: 255, signal: null, stoppedByUs: true, stderrTail: this.stderr });
    }
    return this.exited;
  }
}

export class FakeSpawner implements FfmpegSpawner {
  readonly children: FakeChild[] = [];
  spawn(args: readonly string[]): FakeChild {
    const child = new FakeChild(1000 + this.children.length, args);
    this.children.push(child);
    return child;
  }
  get last(): FakeChild {
    const c = this.children[this.children.length - 1];
    if (!c) throw new Error('nothing spawned');
    return c;
  }
  get running(): FakeChild[] {
    return this.children.filter((c) => c.alive);
  }
}

/** In-memory HLS output: a test decides when a directory "has" its first segment. */
export class FakeOutput {
  readonly dirs = new Set<string>();
  readonly ready = new Set<string>();
  readonly log: string[] = [];
  /** ffmpeg's playlist per directory, as a test writes it. */
  readonly playlists = new Map<string, string>();
  async prepare(dir: string, keep: readonly string[] = []): Promise<void> {
    this.dirs.add(dir);
    this.ready.delete(dir);
    this.playlists.delete(dir);
    this.log.push(keep.length > 0 ? `prepare ${dir} keep ${keep.join(',')}` : `prepare ${dir}`);
  }
  async readPlaylist(dir: string): Promise<string | undefined> {
    return this.playlists.get(dir);
  }
  async removeFiles(dir: string, names: readonly string[]): Promise<void> {
    this.log.push(`removeFiles ${dir} ${names.join(',')}`);
  }
  async remove(dir: string): Promise<void> {
    this.dirs.delete(dir);
    this.ready.delete(dir);
    this.log.push(`remove ${dir}`);
  }
  async hasFirstSegment(dir: string): Promise<boolean> {
    return this.ready.has(dir);
  }
}
