import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { childrenOf } from '../../support/process-tree';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `cond` every `every` ms for up to `ms`; true as soon as it holds. */
export async function until(cond: () => boolean | Promise<boolean>, ms: number, every = 200): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await Promise.resolve().then(cond).catch(() => false)) return true;
    await sleep(every);
  }
  return Promise.resolve().then(cond).catch(() => false);
}

/** A free TCP port on `host` (the kernel picks it; closed again before it is used). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const { port } = s.address() as import('node:net').AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Every descendant of a process (children first found, depth first), from /proc. */
export function descendantsOf(pid: number): number[] {
  const out: number[] = [];
  for (const c of childrenOf(pid)) out.push(c, ...descendantsOf(c));
  return out;
}

const readProc = (pid: number, file: string): string => {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return '';
  }
};

/** A process that still exists and is not a zombie. */
export function isRunning(pid: number): boolean {
  const stat = readProc(pid, 'stat');
  if (!stat) return false;
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

/**
 * Every live ffmpeg on the machine whose command line mentions one of `markers` (the suite's own camera
 * addresses): the suite's ffmpeg, whoever their parent is now. Other tests' ffmpeg use other addresses.
 */
export function ffmpegMentioning(markers: readonly string[]): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (readProc(pid, 'comm').trim() !== 'ffmpeg' || !isRunning(pid)) continue;
    const cmd = readProc(pid, 'cmdline').split('\0').join(' ');
    if (markers.some((m) => cmd.includes(m))) found.push(pid);
  }
  return found;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One child process of the suite, its output in a log file, its end observable. */
export class Managed {
  readonly exited: Promise<Exit>;
  exit: Exit | undefined;
  readonly startedAt = Date.now();

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly logPath: string,
  ) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
      child.once('error', () => {
        this.exit ??= { code: null, signal: null };
        resolve(this.exit);
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get alive(): boolean {
    return this.exit === undefined && this.pid > 0;
  }

  log(): string {
    try {
      return readFileSync(this.logPath, 'utf8');
    } catch {
      return '';
    }
  }

  /** Log lines matching `re` (for defect reports). */
  lines(re: RegExp): string[] {
    return this.log().split('\n').filter((l) => re.test(l));
  }

  signal(sig: NodeJS.Signals): void {
    if (this.alive) process.kill(this.pid, sig);
  }

  /** Waits for the end; undefined if it did not come within `ms`. */
  async waitExit(ms: number): Promise<Exit | undefined> {
    return Promise.race([this.exited, sleep(ms).then(() => undefined)]);
  }

  /** SIGKILL of the process and everything under it (SIGCONT first, for a stopped one). */
  killTree(): void {
    if (this.pid <= 0) return;
    const tree = [this.pid, ...descendantsOf(this.pid)];
    for (const pid of tree) {
      try {
        process.kill(pid, 'SIGCONT');
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  }
}

/**
 * Spawns and tracks every process of the suite so that all of them are reaped, whatever happens:
 * `reapAll` kills what is still alive, with its descendants, by PID.
 */
export class ProcessBook {
  private readonly all: Managed[] = [];

  spawn(name: string, command: string, args: readonly string[], options: SpawnOptions & { logPath: string }): Managed {
    const fd = openSync(options.logPath, 'a');
    try {
      const child = spawn(command, args, { ...options, stdio: ['ignore', fd, fd] });
      const managed = new Managed(name, child, options.logPath);
      this.all.push(managed);
      return managed;
    } finally {
      closeSync(fd);
    }
  }

  alive(): Managed[] {
    return this.all.filter((m) => m.alive);
  }

  /** Kills every process still alive (and its descendants), then waits for their exits. */
  async reapAll(): Promise<string[]> {
    const left = this.alive();
    for (const m of left) m.killTree();
    await Promise.all(left.map((m) => m.waitExit(5000)));
    return left.map((m) => `${m.name} (pid ${m.pid})`);
  }
}
