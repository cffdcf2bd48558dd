// The district benchmark's children: each spawned with its own environment, its output kept to a log file,
// waited for by a line it prints, and stopped by its pid (SIGTERM, then SIGKILL after a grace), with whatever
// descendants it left behind. Nothing is killed by name.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { commandNameOf, descendantsOf } from './district-proc';

export interface Started {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves with the first stdout/stderr line matching `pattern` (rejects when the process exits first or after `ms`). */
  waitForLine(pattern: RegExp, ms: number): Promise<string>;
  /** Every stdout line from now on. */
  onLine(listener: (line: string) => void): void;
  readonly exited: Promise<number | null>;
}

export class ProcessGroup {
  private readonly started: Started[] = [];

  constructor(private readonly logDir: string) {}

  start(name: string, command: string, args: readonly string[], env: NodeJS.ProcessEnv): Started {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid === undefined) throw new Error(`${name}: spawn failed`);
    const log: WriteStream = createWriteStream(`${this.logDir}/${name}.log`);
    const listeners: ((line: string) => void)[] = [];
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const split = (stream: NodeJS.ReadableStream) => {
      let rest = '';
      stream.on('data', (chunk: Buffer) => {
        log.write(chunk);
        const lines = (rest + chunk.toString('utf8')).split('\n');
        rest = lines.pop()!;
        for (const l of lines) for (const f of [...listeners]) f(l);
      });
    };
    split(child.stdout!);
    split(child.stderr!);
    void exited.then(() => log.end());
    const started: Started = {
      name,
      child,
      pid: child.pid,
      exited,
      onLine: (f) => void listeners.push(f),
      waitForLine: (pattern, ms) =>
        new Promise<string>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`${name}: no line matching ${pattern} within ${ms} ms (see ${this.logDir}/${name}.log)`)), ms);
          const f = (line: string) => {
            if (!pattern.test(line)) return;
            clearTimeout(timer);
            resolve(line);
          };
          listeners.push(f);
          void exited.then((code) => {
            clearTimeout(timer);
            reject(new Error(`${name} exited (${code}) before printing ${pattern} (see ${this.logDir}/${name}.log)`));
          });
        }),
    };
    this.started.push(started);
    return started;
  }

  /** Stops the named processes (all when none named) in reverse start order, each with its descendants. */
  async stop(names?: readonly string[], graceMs = 8000): Promise<void> {
    const targets = this.started.filter((s) => !names || names.includes(s.name)).reverse();
    for (const s of targets) {
      if (s.child.exitCode !== null || s.child.signalCode !== null) continue;
      const leftovers = descendantsOf(s.pid).map((pid) => ({ pid, comm: commandNameOf(pid) }));
      s.child.kill('SIGTERM');
      const done = await Promise.race([s.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), graceMs))]);
      if (!done) {
        s.child.kill('SIGKILL');
        await s.exited;
      }
      // children that outlived their parent (a watchdog should have taken them): by pid, only those we saw
      for (const { pid, comm } of leftovers) {
        if (comm === undefined || commandNameOf(pid) !== comm) continue; // gone, or the pid is someone else's now
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }
  }
}
