/**
 * End to end on real processes: simulated RTSP camera -> real ffmpeg -> HLS on /dev/shm -> the worker's own
 * HTTP server -> ffmpeg as an HLS client decoding frames. Covers sharing, kill -9 restart, idle close.
 * The ffmpeg is the one users would run: FFMPEG_PATH, else PATH's (Debian's 5.1 in CI), else the npm build;
 * CI runs this file once with each (see .ci/run).
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { startCameraFleet, type Fleet } from '../../apps/camera-sim/src/fleet';
import { SystemClock } from '../../apps/transcoder/src/clock';
import { HlsHttpServer } from '../../apps/transcoder/src/hls-http.server';
import { chooseHlsRoot, HlsOutputStore } from '../../apps/transcoder/src/hls-output.store';
import { TranscoderWorker } from '../../apps/transcoder/src/transcoder.worker';
import { FfmpegProcessAdapter, locateFfmpeg, probeFfmpeg, type FfmpegChild, type FfmpegSpawner } from '@tiergate/media';
import { ffmpegUnder } from '../support/process-tree';

jest.setTimeout(40_000);

const bins = locateFfmpeg(process.env);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const alive = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !stat.split(') ')[1]!.startsWith('Z');
  } catch {
    return false;
  }
};
async function until(cond: () => boolean | Promise<boolean>, ms: number, every = 100): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return true;
    await sleep(every);
  }
  return cond();
}

/** Counts spawns and remembers each child, delegating to the real adapter. */
class CountingSpawner implements FfmpegSpawner {
  readonly children: FfmpegChild[] = [];
  constructor(private readonly inner: FfmpegSpawner) {}
  spawn(args: readonly string[]): FfmpegChild {
    const c = this.inner.spawn(args);
    this.children.push(c);
    return c;
  }
}

describe('live video: RTSP camera -> ffmpeg -> HLS (real processes)', () => {
  let fleet: Fleet;
  let adapter: FfmpegProcessAdapter;
  let spawner: CountingSpawner;
  let store: HlsOutputStore;
  let worker: TranscoderWorker;
  let server: HlsHttpServer;
  let base: string;
  let sourceUrl: string;
  const TOKEN = 'let-me-in';

  beforeAll(async () => {
    fleet = await startCameraFleet({ count: 1, firstAddress: '127.0.4.1', onvifPort: 38080, rtspPort: 38554, discoveryPort: 33702 });
    sourceUrl = fleet.cameras[0]!.mainRtspUrl.replace('rtsp://', 'rtsp://admin:sim-pass@');
    const { features } = await probeFfmpeg(bins.ffmpegPath);
    adapter = new FfmpegProcessAdapter({ ffmpegPath: bins.ffmpegPath, graceMs: 2000 });
    spawner = new CountingSpawner(adapter);
    store = new HlsOutputStore(chooseHlsRoot(`live-spec-${process.pid}`));
    worker = new TranscoderWorker({
      workerId: 'live1', baseUrl: 'http://127.0.0.1', capacity: 4, clock: new SystemClock(), spawner, output: store, ffmpeg: features,
      publish: () => undefined,
      session: { startTimeoutMs: 10_000, idleTimeoutMs: 3000, restartBaseMs: 300 },
    });
    server = new HlsHttpServer({ source: worker, authorize: (req) => new URL(req.url!, 'http://x').searchParams.get('t') === TOKEN });
    const { port } = await server.listen();
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await worker?.stopAll();
    await adapter?.stopAll(500);
    await server?.close();
    await store?.removeAll();
    await fleet?.stop();
  });

  const ensure = () => worker.ensure({ cameraId: 'cam1', profile: 'main', sourceUrl });
  const playlistUrl = `/hls/cam1/main/index.m3u8?t=${TOKEN}`;

  it('starts on the first viewer; the playlist plays over HTTP and decodes as 1280x720 H.264', async () => {
    const t0 = Date.now();
    const reply = await ensure();
    const startMs = Date.now() - t0;
    expect(reply).toEqual({ ok: true, workerId: 'live1', playlistPath: '/hls/cam1/main/index.m3u8', readyAt: 'segment' });
    expect(startMs).toBeLessThan(4000);
    expect(spawner.children).toHaveLength(1);
    expect(existsSync(store.dirFor('cam1', 'main'))).toBe(true);
    expect(store.root.startsWith('/dev/shm/tiergate-hls/')).toBe(true);

    const denied = await fetch(`${base}/hls/cam1/main/index.m3u8?t=wrong`);
    expect(denied.status).toBe(404);

    // Probe by decoding: the static ffprobe of @ffprobe-installer segfaults on MPEG-TS on this machine, so the
    // (working) static ffmpeg plays the HLS URL over HTTP, decodes 10 frames to 8-bit gray and we count the bytes.
    const url = `${base}${reply.playlistPath}?t=${TOKEN}`;
    const { stdout, stderr } = await new Promise<{ stdout: Buffer; stderr: string }>((resolve, reject) =>
      execFile(bins.ffmpegPath, ['-hide_banner', '-nostdin', '-v', 'info', '-i', url, '-map', '0:v:0', '-frames:v', '10', '-f', 'rawvideo', '-pix_fmt', 'gray', '-'],
        { timeout: 15_000, encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
        (err, out, errOut) => (err ? reject(new Error(`ffmpeg probe failed: ${String(errOut).slice(-2000)}`)) : resolve({ stdout: out, stderr: String(errOut) }))));
    expect(stderr).toMatch(/Stream #0:0.*Video: h264.*1280x720/);
    expect(stdout.length).toBe(10 * 1280 * 720);
  });

  it('10 concurrent viewers share one ffmpeg', async () => {
    const before = spawner.children.length;
    const replies = await Promise.all(Array.from({ length: 10 }, () => ensure()));
    expect(replies.every((r) => r.ok)).toBe(true);
    expect(spawner.children.length).toBe(before);
    expect(worker.load).toBe(1);
  });

  it('kill -9 of ffmpeg is restarted while viewers keep requesting the playlist', async () => {
    const current = spawner.children[spawner.children.length - 1]!;
    const wrapper = current.pid!;
    const ffmpegPid = ffmpegUnder(wrapper)[0];
    expect(ffmpegPid).toBeDefined();
    const before = spawner.children.length;
    let watching = true;
    const viewer = (async () => {
      while (watching) {
        await fetch(`${base}${playlistUrl}`).then((r) => r.arrayBuffer()).catch(() => undefined);
        await sleep(300);
      }
    })();
    try {
      process.kill(ffmpegPid!, 'SIGKILL');
      expect(await until(() => spawner.children.length > before, 5000)).toBe(true);
      expect(await until(() => worker.sessionStates()[0]?.state === 'ready', 8000)).toBe(true);
      expect(alive(ffmpegPid!)).toBe(false);
      expect(alive(wrapper)).toBe(false);
      const res = await fetch(`${base}${playlistUrl}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('#EXTINF');
    } finally {
      watching = false;
      await viewer;
    }
  });

  it('closes after the idle timeout: ffmpeg gone, directory removed, playlist 404', async () => {
    const last = spawner.children[spawner.children.length - 1]!;
    const wrapper = last.pid!;
    const ffmpegPid = ffmpegUnder(wrapper)[0]!;
    expect(alive(ffmpegPid)).toBe(true);
    expect(await until(() => worker.sessionStates().length === 0, 8000)).toBe(true);
    expect(await until(() => !alive(ffmpegPid) && !alive(wrapper), 3000)).toBe(true);
    expect(existsSync(store.dirFor('cam1', 'main'))).toBe(false);
    expect(adapter.size).toBe(0);
    expect((await fetch(`${base}${playlistUrl}`)).status).toBe(404);
  });

  it('transcodes to H.264 on request (sub profile 640x360 stays 360p: no upscale)', async () => {
    const reply = await worker.ensure({ cameraId: 'cam1', profile: 'sub', sourceUrl: fleet.cameras[0]!.subRtspUrl.replace('rtsp://', 'rtsp://admin:sim-pass@'), transcode: true });
    expect(reply.ok).toBe(true);
    const last = spawner.children[spawner.children.length - 1]!;
    expect(ffmpegUnder(last.pid!)).toHaveLength(1);
    const { stderr } = await new Promise<{ stderr: string }>((resolve, reject) =>
      execFile(bins.ffmpegPath, ['-hide_banner', '-nostdin', '-v', 'info', '-i', `${base}${reply.playlistPath}?t=${TOKEN}`, '-map', '0:v:0', '-frames:v', '5', '-f', 'null', '-'],
        { timeout: 15_000 }, (err, _out, errOut) => (err ? reject(new Error(String(errOut).slice(-2000))) : resolve({ stderr: String(errOut) }))));
    expect(stderr).toMatch(/Stream #0:0.*Video: h264 \(Main\).*640x360/); // libx264 main profile; the sim sends baseline
    expect(await worker.close('cam1', 'sub')).toBe(true);
    expect(await until(() => !alive(last.pid!), 3000)).toBe(true);
    expect(worker.load).toBe(0);
    expect(existsSync(store.dirFor('cam1', 'sub'))).toBe(false);
  });

  it('an unreachable camera fails fast with CAMERA_UNREACHABLE; a wrong password with CAMERA_UNAUTHORIZED', async () => {
    const t0 = Date.now();
    const down = await worker.ensure({ cameraId: 'cam9', profile: 'main', sourceUrl: 'rtsp://admin:sim-pass@127.0.4.99:38554/main' });
    expect(down).toMatchObject({ ok: false, code: 'CAMERA_UNREACHABLE' });
    expect(Date.now() - t0).toBeLessThan(3000);
    const wrong = await worker.ensure({ cameraId: 'cam1', profile: 'sub', sourceUrl: fleet.cameras[0]!.subRtspUrl.replace('rtsp://', 'rtsp://admin:nope@') });
    expect(wrong).toMatchObject({ ok: false, code: 'CAMERA_UNAUTHORIZED' });
    expect(JSON.stringify([down, wrong])).not.toMatch(/sim-pass|nope/);
    expect(await until(() => worker.load === 0, 3000)).toBe(true);
    expect(adapter.size).toBe(0);
  });
});
