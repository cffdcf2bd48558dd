import { spawn, type ChildProcess } from 'node:child_process';
import { StderrRing } from './stderr-ring';

export interface FfmpegExit {
  /** Exit code of ffmpeg (128+n when a signal n ended it under the watchdog wrapper), or null. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when stop() was called on this child: the exit is expected, whatever the code (255 included). */
  stoppedByUs: boolean;
  /** Last stderr lines, credentials already redacted. */
  stderrTail: string;
}

/** One running ffmpeg. The session only sees this interface, so tests drive it with a fake. */
export interface FfmpegChild {
  /** Process-group id (the leader's pid); undefined when spawning failed. */
  readonly pid: number | undefined;
  /** Settles once, when the process has exited, been reaped and its stderr read to the end. Never rejects. */
  readonly exited: Promise<FfmpegExit>;
  stderrTail(): string;
  /**
   * ffmpeg's stdout (the low-latency fMP4 output, issue 13). Always flowing: the adapter reads it even when
   * nobody else listens, so a full pipe can never stall ffmpeg; add a 'data' listener to get the bytes.
   */
  readonly stdout?: NodeJS.ReadableStream;
  /** SIGTERM to the whole process group, SIGKILL after the grace period; resolves once reaped. */
  stop(graceMs?: number): Promise<FfmpegExit>;
}

/** Port used by stream sessions to start ffmpeg. */
export interface FfmpegSpawner {
  spawn(args: readonly string[]): FfmpegChild;
}

export interface FfmpegProcessOptions {
  ffmpegPath: string;
  /** Default grace between SIGTERM and SIGKILL. Default 3000 ms. */
  graceMs?: number;
  /** Kill ffmpeg when this Node process dies, even by SIGKILL (see WATCHDOG). Default true on Linux/macOS. */
  parentWatchdog?: boolean;
  stderrLines?: number;
  /**
   * Niceness ffmpeg runs at (0..19, through coreutils' `nice`, which sets it and execs ffmpeg: the process
   * tree does not change). Default 0: the parent's own.
   */
  niceness?: number;
}

/**
 * Parent-death watchdog. Node has no prctl(PR_SET_PDEATHSIG), and ffmpeg does not quit when its stdin
 * closes, so ffmpeg is started through this tiny POSIX sh script, given as argv (no user data is ever
 * interpolated into it: the ffmpeg arguments arrive as "$@"):
 * - the script's stdin is a pipe from Node that Node never writes to; when Node dies, even by SIGKILL,
 *   the kernel closes it, `read` sees EOF and the watcher kills the whole process group;
 * - the wrapper ignores TERM/INT/HUP itself (from its first line; ffmpeg gets the defaults back), so a
 *   group-wide SIGTERM reaches ffmpeg, which finishes its playlist and exits; the wrapper then exits with ffmpeg's status, so Node's 'exit' means "ffmpeg is gone".
 * The wrapper is the process-group leader (spawn `detached: true`), so every kill below targets -pgid.
 *
 * Why not fluent-ffmpeg: it spawns ffmpeg directly, without `detached` and without a wrapper, so there is
 * no process group to signal and no way to tie ffmpeg's life to ours; its value (an argument builder and
 * progress parsing) is covered by our pure buildHlsArgs(), which tests can pin exactly.
 */
export const WATCHDOG_SCRIPT = [
  // Ignore TERM/INT/HUP first: a group-wide SIGTERM that came before this line would otherwise kill the
  // wrapper (and lose ffmpeg's exit status); ffmpeg itself gets the default back before exec.
  "trap '' TERM INT HUP",
  'exec 3<&0 </dev/null',
  '( trap - TERM INT HUP; exec "$@" ) 3<&- &',
  'c=$!',
  // the watcher holds no copy of stdout: the pipe closes when ffmpeg exits
  '{ trap - TERM INT HUP; while read -r _ <&3; do :; done; kill -KILL 0; } >/dev/null 2>/dev/null &',
  'w=$!',
  'exec 3<&-',
  'wait "$c"; s=$?',
  'kill "$w" 2>/dev/null; wait "$w" 2>/dev/null', // reap the watcher here: an orphan zombie waits on init
  'exit "$s"',
].join('\n');

export interface SpawnPlan {
  command: string;
  argv: string[];
  options: { detached: true; stdio: ['pipe', 'pipe', 'pipe']; windowsHide: true };
}

/** What exactly gets spawned (pure; shared with the parent-death test so it checks the real recipe). */
export function ffmpegSpawnPlan(ffmpegPath: string, args: readonly string[], watchdog: boolean, niceness = 0): SpawnPlan {
  const options = { detached: true, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true } as SpawnPlan['options'];
  if (!Number.isInteger(niceness) || niceness < 0 || niceness > 19) throw new RangeError(`ffmpeg niceness must be an integer 0..19, not ${niceness}`);
  const command = niceness > 0 ? ['nice', '-n', String(niceness), ffmpegPath, ...args] : [ffmpegPath, ...args];
  return watchdog
    ? { command: '/bin/sh', argv: ['-c', WATCHDOG_SCRIPT, 'ffmpeg-watchdog', ...command], options }
    : { command: command[0]!, argv: command.slice(1), options };
}

/** Longest wait for stdout and stderr to drain after the process exited. */
const STDIO_DRAIN_MS = 2000;

class SpawnedFfmpeg implements FfmpegChild {
  readonly exited: Promise<FfmpegExit>;
  private readonly ring: StderrRing;
  private stopRequested = false;
  private done = false;
  private killTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly child: ChildProcess,
    private readonly defaultGraceMs: number,
    stderrLines: number,
  ) {
    this.ring = new StderrRing(stderrLines);
    child.stderr?.on('data', (chunk: Buffer) => this.ring.push(chunk));
    // always read stdout (flowing mode), whoever else listens: an unread pipe would block ffmpeg's writes
    child.stdout?.on('data', () => undefined);
    child.stdout?.on('error', () => undefined);
    child.stdin?.on('error', () => undefined); // EPIPE once the wrapper is gone: expected
    this.exited = new Promise<FfmpegExit>((resolve) => {
      const finish = (code: number | null, signal: NodeJS.Signals | null) => {
        if (this.done) return;
        this.done = true;
        if (this.killTimer) clearTimeout(this.killTimer);
        // The leader is gone; make sure nothing of its group lingers (a no-op when it exited cleanly).
        this.signalGroup('SIGKILL');
        child.stdin?.destroy();
        resolve({ code, signal, stoppedByUs: this.stopRequested, stderrTail: this.ring.tail() });
      };
      // 'close' comes once the process has exited AND its stderr is drained: classifying on 'exit' read a
      // partial tail (about 2 % of refused connections lost their "Connection refused" line). Should anything
      // keep the pipe open after the exit, stop waiting for it after STDIO_DRAIN_MS.
      child.once('close', finish);
      child.once('exit', (code, signal) => {
        const drain = setTimeout(() => finish(code, signal), STDIO_DRAIN_MS);
        drain.unref();
      });
      child.once('error', (err) => {
        this.ring.push(`spawn failed: ${err.message}\n`);
        finish(null, null);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get stdout(): NodeJS.ReadableStream | undefined {
    return this.child.stdout ?? undefined;
  }

  stderrTail(): string {
    return this.ring.tail();
  }

  stop(graceMs = this.defaultGraceMs): Promise<FfmpegExit> {
    if (!this.done && !this.stopRequested) {
      this.stopRequested = true;
      this.signalGroup('SIGTERM');
      this.killTimer = setTimeout(() => this.signalGroup('SIGKILL'), graceMs);
    }
    return this.exited;
  }

  private signalGroup(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // ESRCH: group already gone
    }
  }
}

/**
 * child_process adapter for ffmpeg: argv only (never a shell with user data), own process group,
 * SIGTERM then SIGKILL, bounded redacted stderr, parent-death watchdog, and stopAll() for shutdown.
 */
export class FfmpegProcessAdapter implements FfmpegSpawner {
  private readonly running = new Set<FfmpegChild>();
  private readonly graceMs: number;
  private readonly watchdog: boolean;

  constructor(private readonly options: FfmpegProcessOptions) {
    this.graceMs = options.graceMs ?? 3000;
    this.watchdog = options.parentWatchdog ?? process.platform !== 'win32';
  }

  get size(): number {
    return this.running.size;
  }

  /** Process-group ids of the children still running (the watchdog wrappers when the watchdog is on). */
  pids(): number[] {
    return [...this.running].map((c) => c.pid).filter((p): p is number => p !== undefined);
  }

  spawn(args: readonly string[]): FfmpegChild {
    const plan = ffmpegSpawnPlan(this.options.ffmpegPath, args, this.watchdog, this.options.niceness ?? 0);
    const child = spawn(plan.command, plan.argv, plan.options);
    const wrapped = new SpawnedFfmpeg(child, this.graceMs, this.options.stderrLines ?? 50);
    this.running.add(wrapped);
    void wrapped.exited.then(() => this.running.delete(wrapped));
    return wrapped;
  }

  /** Stops every child still running and resolves once all are reaped. */
  async stopAll(graceMs = this.graceMs): Promise<void> {
    await Promise.all([...this.running].map((c) => c.stop(graceMs)));
  }
}
