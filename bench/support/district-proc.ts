// Readings from /proc for the district benchmark: CPU ticks and memory of a process, its descendants, and the
// machine's idle time. Pure reads; a process that is gone reads as absent, never as zero.
import { readFileSync } from 'node:fs';

export const CLK_TCK = 100; // Linux USER_HZ

/** utime + stime of one process in ticks (fields 14 and 15 of /proc/<pid>/stat), undefined when it is gone. */
export function cpuTicksOf(pid: number): number | undefined {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return undefined;
  }
}

/** Resident and anonymous (unshared) memory in KiB, undefined when the process is gone. */
export function memoryOf(pid: number): { rssKiB: number; anonKiB: number } | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const get = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? NaN);
    return { rssKiB: get('VmRSS'), anonKiB: get('RssAnon') };
  } catch {
    return undefined;
  }
}

export function commandNameOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Every descendant of `pid` (children, their children, ...), not `pid` itself. */
export function descendantsOf(pid: number): number[] {
  const out: number[] = [];
  const todo = childrenOf(pid);
  while (todo.length > 0) {
    const p = todo.pop()!;
    out.push(p);
    todo.push(...childrenOf(p));
  }
  return out;
}

/** Busy and total jiffies of the whole machine (the first line of /proc/stat). */
export function machineTicks(): { idle: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3]! + (f[4] ?? 0); // idle + iowait
  return { idle, total: f.reduce((a, b) => a + b, 0) };
}

export function loadAverage(): [number, number, number] {
  const [a, b, c] = readFileSync('/proc/loadavg', 'utf8').split(' ').map(Number);
  return [a!, b!, c!];
}

/** CPU ticks per pid at one moment. */
export type TickSnapshot = Map<number, number>;

export function snapshotTicks(pids: readonly number[]): TickSnapshot {
  const m = new Map<number, number>();
  for (const pid of pids) {
    const t = cpuTicksOf(pid);
    if (t !== undefined) m.set(pid, t);
  }
  return m;
}

/**
 * CPU seconds spent between two snapshots by the pids in `after`: a pid born in between counts from zero; one
 * that died in between is lost (counted in `vanished`).
 */
export function cpuSecondsBetween(before: TickSnapshot, after: TickSnapshot): { seconds: number; vanished: number; born: number } {
  let ticks = 0;
  let born = 0;
  for (const [pid, t] of after) {
    const b = before.get(pid);
    if (b === undefined) born++;
    ticks += t - (b ?? 0);
  }
  let vanished = 0;
  for (const pid of before.keys()) if (!after.has(pid)) vanished++;
  return { seconds: ticks / CLK_TCK, vanished, born };
}

export function memoryTotals(pids: readonly number[]): { rssMiB: number; anonMiB: number; processes: number } {
  let rss = 0;
  let anon = 0;
  let n = 0;
  for (const pid of pids) {
    const m = memoryOf(pid);
    if (!m) continue;
    rss += m.rssKiB;
    anon += m.anonKiB;
    n++;
  }
  return { rssMiB: rss / 1024, anonMiB: anon / 1024, processes: n };
}
