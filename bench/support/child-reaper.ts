/**
 * Every child a bench starts, by PID, so none outlives it: stopAll() on the way out (SIGTERM to its process
 * group, SIGKILL after a grace), and a synchronous SIGKILL from the exit handler for anything still alive when
 * the bench dies another way (an exception, Ctrl-C).
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createInterface } from 'node:readline';

const alive = new Map<number, string>();

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try { process.kill(-pid, signal); } catch { try { process.kill(pid, signal); } catch { /* gone */ } }
}

process.on('exit', () => { for (const pid of alive.keys()) killGroup(pid, 'SIGKILL'); });

/** Spawns in its own process group and tracks it until it exits. */
export function spawnTracked(name: string, command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options, detached: true });
  if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`);
  const pid = child.pid;
  alive.set(pid, name);
  child.once('exit', () => alive.delete(pid));
  return child;
}

/** Tracks a process started by someone else (Chromium through playwright-core's launchServer). */
export function trackPid(name: string, pid: number): void {
  alive.set(pid, name);
}

export function untrackPid(pid: number): void {
  alive.delete(pid);
}

/** Resolves once the child prints `line` on stdout; rejects when it exits first or after timeoutMs. */
export function waitForLine(child: ChildProcess, line: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr?.on('data', (d: Buffer) => { err = (err + d.toString()).slice(-2000); });
    const timer = setTimeout(() => reject(new Error(`no "${line}" within ${timeoutMs} ms: ${err}`)), timeoutMs);
    createInterface({ input: child.stdout! }).on('line', (l) => { if (l === line) { clearTimeout(timer); resolve(); } });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`exited (${code}) before "${line}": ${err}`)); });
  });
}

/** Stops one child: SIGTERM to its group, SIGKILL after graceMs. */
export async function stopChild(child: ChildProcess, graceMs = 2000): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((r) => child.once('exit', () => r()));
  killGroup(child.pid, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child.pid!, 'SIGKILL'), graceMs);
  await gone;
  clearTimeout(timer);
}

/** Every tracked PID still alive: SIGTERM, then SIGKILL after graceMs. */
export async function stopAllTracked(graceMs = 2000): Promise<void> {
  const pids = [...alive.keys()];
  for (const pid of pids) killGroup(pid, 'SIGTERM');
  const until = Date.now() + graceMs;
  while (Date.now() < until && pids.some((p) => isAlive(p))) await new Promise((r) => setTimeout(r, 50));
  for (const pid of pids) if (isAlive(pid)) killGroup(pid, 'SIGKILL');
  for (const pid of pids) alive.delete(pid);
}

function isAlive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}
