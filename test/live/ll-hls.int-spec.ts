/**
 * LL-HLS end to end on real processes (issue 13): simulated RTSP cameras -> the session's one ffmpeg (classic
 * HLS on disk + fMP4 on stdout) -> FragmentHub -> LlHlsRegistry/packager -> the worker's HTTP server -> ffprobe
 * and hls.js (lowLatencyMode) in Debian's Chromium. Tokens are real stream tokens (libs/access). Figures (blocking
 * reload latency after a part is made, playlist size, hls.js latency) go to test-artifacts/ll-hls/figures.json.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser } from 'playwright-core';
import { StreamTokens, TokenSigner } from '@tiergate/access';
import { FfmpegProcessAdapter, locateFfmpeg, probeFfmpeg, type Fmp4Fragment } from '@tiergate/media';
import { startCameraFleet, type Fleet } from '../../apps/camera-sim/src/fleet';
import { SystemClock } from '../../apps/transcoder/src/clock';
import { HlsHttpServer } from '../../apps/transcoder/src/hls-http.server';
import { chooseHlsRoot, HlsOutputStore } from '../../apps/transcoder/src/hls-output.store';
import { LlHlsRegistry } from '../../apps/transcoder/src/ll-hls/ll-hls.registry';
import { queryToken } from '../../apps/transcoder/src/mse-websocket.server';
import { TranscoderWorker } from '../../apps/transcoder/src/transcoder.worker';
import { hasChromium, launchChromium } from '../support/chromium';

jest.setTimeout(90_000);

const bins = locateFfmpeg(process.env);
const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts', 'll-hls');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const figures: Record<string, unknown> = {};

function ffprobe(args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(bins.ffprobePath, args, { timeout: 20_000 }, (err, out, errOut) => (err ? reject(new Error(`ffprobe failed: ${errOut}`)) : resolve(out.trim()))));
}

describe('LL-HLS: RTSP camera -> one ffmpeg -> fMP4 parts -> ll.m3u8 (real processes)', () => {
  let fleet: Fleet;
  let adapter: FfmpegProcessAdapter;
  let store: HlsOutputStore;
  let worker: TranscoderWorker;
  let registry: LlHlsRegistry;
  let server: HlsHttpServer;
  let base: string;
  const sources: Record<string, string> = {};
  const tokens = new StreamTokens(new TokenSigner('ll-hls-int-spec-secret-0123456789abcdef', 'stream'), 300);
  const tokenFor = (cameraId: string) => tokens.issue('u1', cameraId, 'main', Date.now()).token;
  const url = (cameraId: string, file: string, token = tokenFor(cameraId), extra = '') => `${base}/hls/${cameraId}/main/${file}?token=${encodeURIComponent(token)}${extra}`;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    fleet = await startCameraFleet({ count: 2, firstAddress: '127.0.23.1', onvifPort: 40180, rtspPort: 40654, discoveryPort: 40802 });
    fleet.cameras.forEach((c, i) => (sources[`cam${i + 1}`] = c.mainRtspUrl.replace('rtsp://', 'rtsp://admin:sim-pass@')));
    const { features } = await probeFfmpeg(bins.ffmpegPath);
    adapter = new FfmpegProcessAdapter({ ffmpegPath: bins.ffmpegPath, graceMs: 2000 });
    store = new HlsOutputStore(chooseHlsRoot(`ll-hls-spec-${process.pid}`));
    const clock = new SystemClock();
    // wired as transcoder.runtime.ts wires it
    registry = new LlHlsRegistry({ clock, sessions: { feedOf: (c, p) => worker.feedOf(c, p), touch: (c, p) => worker.touch(c, p) } });
    worker = new TranscoderWorker({
      workerId: 'll1', baseUrl: 'http://127.0.0.1', capacity: 4, clock, spawner: adapter, output: store, ffmpeg: features,
      publish: () => undefined,
      session: { startTimeoutMs: 10_000, idleTimeoutMs: 20_000, restartBaseMs: 300 },
      fragmentDurationMs: 200,
      onSessionReady: (c, p) => registry.attach(c, p),
    });
    server = new HlsHttpServer({
      source: worker,
      authorize: (req, cameraId, profile) => tokens.allows(queryToken(req.url), cameraId, profile),
      llHls: registry,
    });
    const { port } = await server.listen();
    base = `http://127.0.0.1:${port}`;
    for (const cameraId of ['cam1', 'cam2']) {
      const reply = await worker.ensure({ cameraId, profile: 'main', sourceUrl: sources[cameraId]! });
      expect(reply.ok).toBe(true);
    }
  });

  afterAll(async () => {
    writeFileSync(join(ARTIFACTS, 'figures.json'), JSON.stringify(figures, null, 2) + '\n');
    registry?.close();
    await worker?.stopAll();
    await adapter?.stopAll(500);
    await server?.close();
    await store?.removeAll();
    await fleet?.stop();
  });

  it('lists parts, a preload hint and whole segments (the first playlist waits for a complete segment)', async () => {
    const res = await fetch(url('cam1', 'll.m3u8'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const text = await res.text();
    expect(text).toMatch(/^#EXTM3U\n#EXT-X-VERSION:9\n#EXT-X-TARGETDURATION:1\n/);
    expect(text).toMatch(/#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=0\.6\d\d\n#EXT-X-PART-INF:PART-TARGET=0\.2\d\d\n/);
    expect(text).toMatch(/#EXT-X-MAP:URI="ll_init_\d+\.mp4\?token=[^"]+"/);
    expect(text).toMatch(/#EXT-X-PROGRAM-DATE-TIME:\d{4}-\d\d-\d\dT/);
    expect(text).toMatch(/#EXT-X-PART:DURATION=0\.\d+,URI="ll_\d+\.0\.m4s\?token=[^"]+",INDEPENDENT=YES/);
    expect(text).toMatch(/#EXTINF:1\.\d+,\nll_\d+\.m4s\?token=/);
    expect(text).toMatch(/#EXT-X-PRELOAD-HINT:TYPE=PART,URI="ll_\d+\.\d+\.m4s\?token=[^"]+"\n$/);
  });

  it('a blocking reload for the next part returns as soon as the part exists (measured against the part\'s arrival)', async () => {
    // wait until the window is full, then measure the steady state
    await sleep(6500);
    const arrivals = new Map<number, number>();
    const feed = worker.feedOf('cam1', 'main')!;
    const unsubscribe = feed.subscribe({ init: () => undefined, fragment: (f: Fmp4Fragment) => arrivals.set(f.seq, performance.now()) });
    const token = tokenFor('cam1');
    const afterPartMs: number[] = [];
    const heldMs: number[] = [];
    const sizes: number[] = [];
    try {
      let playlist = await (await fetch(url('cam1', 'll.m3u8', token))).text();
      for (let i = 0; i < 15; i++) {
        const hint = /#EXT-X-PRELOAD-HINT:TYPE=PART,URI="ll_(\d+)\.(\d+)\.m4s/.exec(playlist)!;
        const [msn, part] = [Number(hint[1]), Number(hint[2])];
        const asked = performance.now();
        const seqBefore = Math.max(...arrivals.keys(), -1);
        const res = await fetch(url('cam1', 'll.m3u8', token, `&_HLS_msn=${msn}&_HLS_part=${part}`));
        const answered = performance.now();
        expect(res.status).toBe(200);
        playlist = await res.text();
        sizes.push(Buffer.byteLength(playlist));
        expect(playlist).toContain(`URI="ll_${msn}.${part}.m4s?token=`);
        // the fragment that made the part: the first one that arrived after the request was sent
        const made = [...arrivals.entries()].filter(([seq]) => seq > seqBefore).map(([, at]) => at)[0];
        if (made !== undefined && made > asked) {
          afterPartMs.push(answered - made);
          heldMs.push(answered - asked);
        }
      }
    } finally {
      unsubscribe();
    }
    expect(afterPartMs.length).toBeGreaterThanOrEqual(10);
    figures.blockingReload = {
      requests: afterPartMs.length,
      answeredAfterPartMs: { p50: +percentile(afterPartMs, 50).toFixed(2), p95: +percentile(afterPartMs, 95).toFixed(2), max: +Math.max(...afterPartMs).toFixed(2) },
      heldMs: { p50: +percentile(heldMs, 50).toFixed(1), max: +Math.max(...heldMs).toFixed(1) },
      playlistBytes: { min: Math.min(...sizes), max: Math.max(...sizes) },
    };
    // in process and on loopback: the answer leaves within milliseconds of the fragment reaching the worker
    expect(percentile(afterPartMs, 50)).toBeLessThan(20);
    expect(Math.max(...sizes)).toBeLessThan(8000);
  });

  it('a directive too far ahead is 400; the preload-hinted part is held until it is complete', async () => {
    const token = tokenFor('cam1');
    const playlist = await (await fetch(url('cam1', 'll.m3u8', token))).text();
    const hint = /#EXT-X-PRELOAD-HINT:TYPE=PART,URI="(ll_(\d+)\.\d+\.m4s)/.exec(playlist)!;
    expect((await fetch(url('cam1', 'll.m3u8', token, `&_HLS_msn=${Number(hint[2]) + 5}`))).status).toBe(400);
    const t0 = performance.now();
    const part = await fetch(url('cam1', hint[1]!, token));
    expect(part.status).toBe(200);
    expect(part.headers.get('content-type')).toBe('video/iso.segment');
    expect((await part.arrayBuffer()).byteLength).toBeGreaterThan(100);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('init + a segment, and init + a part, decode with ffprobe as 1280x720 H.264', async () => {
    const token = tokenFor('cam1');
    const playlist = await (await fetch(url('cam1', 'll.m3u8', token))).text();
    const init = /#EXT-X-MAP:URI="(ll_init_\d+\.mp4)/.exec(playlist)![1]!;
    const segments = [...playlist.matchAll(/^(ll_\d+\.m4s)\?/gm)].map((m) => m[1]!);
    const part = [...playlist.matchAll(/URI="(ll_\d+\.\d+\.m4s)\?[^"]*",INDEPENDENT=YES/g)].map((m) => m[1]!).at(-1)!;
    const get = async (file: string) => {
      const res = await fetch(url('cam1', file, token));
      expect(res.status).toBe(200);
      return Buffer.from(await res.arrayBuffer());
    };
    const [initBytes, segmentBytes, partBytes] = await Promise.all([get(init), get(segments.at(-1)!), get(part)]);
    const dir = mkdtempSync(join(tmpdir(), 'll-hls-'));
    try {
      writeFileSync(join(dir, 'segment.mp4'), Buffer.concat([initBytes, segmentBytes]));
      writeFileSync(join(dir, 'part.mp4'), Buffer.concat([initBytes, partBytes]));
      const entries = ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,width,height,nb_read_frames', '-of', 'csv=p=0'];
      const [seg, prt] = await Promise.all([ffprobe([...entries, join(dir, 'segment.mp4')]), ffprobe([...entries, join(dir, 'part.mp4')])]);
      const [codec, width, height, frames] = seg.split(',');
      expect([codec, width, height]).toEqual(['h264', '1280', '720']);
      expect(Number(frames)).toBeGreaterThanOrEqual(24); // a 1 s GOP at 25 fps
      expect(prt.split(',').slice(0, 3)).toEqual(['h264', '1280', '720']);
      expect(Number(prt.split(',')[3])).toBeGreaterThanOrEqual(4); // a 200 ms part
      figures.sizes = { initBytes: initBytes.length, segmentBytes: segmentBytes.length, partBytes: partBytes.length, segmentFrames: Number(frames) };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ffprobe plays the ll.m3u8 URL', async () => {
    const out = await ffprobe(['-v', 'error', '-show_streams', '-select_streams', 'v:0', '-of', 'flat', url('cam1', 'll.m3u8')]);
    expect(out).toContain('codec_name="h264"');
    expect(out).toContain('width=1280');
  });

  it('a token for another camera gets the same 404 for the playlist, a blocking reload, the init, segments and parts', async () => {
    const own = tokenFor('cam1');
    const foreign = tokenFor('cam2');
    const playlist = await (await fetch(url('cam1', 'll.m3u8', own))).text();
    const files = [
      'll.m3u8',
      /#EXT-X-MAP:URI="(ll_init_\d+\.mp4)/.exec(playlist)![1]!,
      'll_init.mp4',
      // the newest complete segment: the oldest one can roll out of the window while the foreign requests run
      [...playlist.matchAll(/^(ll_\d+\.m4s)\?/gm)].at(-1)![1]!,
      /URI="(ll_\d+\.\d+\.m4s)\?/.exec(playlist)![1]!,
    ];
    const answers = await Promise.all([
      ...files.map((f) => fetch(url('cam1', f, foreign))),
      fetch(url('cam1', 'll.m3u8', foreign, '&_HLS_msn=1&_HLS_part=0')),
      fetch(url('cam1', 'll.m3u8', 'garbage')),
    ]);
    const seen = await Promise.all(answers.map(async (r) => `${r.status} ${r.headers.get('content-type')} ${await r.text()}`));
    expect(new Set(seen)).toEqual(new Set(['404 application/json {"code":"NOT_FOUND","message":"not found"}']));
    // and the own token still reads them
    expect((await fetch(url('cam1', files[3]!, own))).status).toBe(200);
  });

  const playIt = hasChromium ? it : it.skip;
  playIt('plays in hls.js (lowLatencyMode) in Chromium: frames advance, latency near PART-HOLD-BACK', async () => {
    // one origin for the page, hls.js and the stream: the test page server hands /hls/ to the worker's server
    const hlsJs = readFileSync(require.resolve('hls.js/dist/hls.min.js'));
    const page = `<!doctype html><html><body><video id="v" muted playsinline autoplay></video><script src="/hls.min.js"></script><script>
      window.figures = { errors: [] };
      const v = document.getElementById('v');
      const hls = new Hls(JSON.parse(new URLSearchParams(location.search).get('config')));
      window.hls = hls;
      hls.on(Hls.Events.ERROR, (_e, d) => window.figures.errors.push(d.details + (d.fatal ? ' (fatal)' : '')));
      hls.loadSource(new URLSearchParams(location.search).get('src'));
      hls.attachMedia(v);
      v.play().catch(() => undefined);
      let frames = 0;
      const onFrame = () => { frames++; window.figures.frames = frames; v.requestVideoFrameCallback(onFrame); };
      v.requestVideoFrameCallback(onFrame);
      v.addEventListener('playing', () => { window.figures.playingAt ??= performance.now(); }, { once: true });
    </script></body></html>`;
    const pageServer: Server = createServer((req, res) => {
      if (req.url?.startsWith('/hls/')) return void server.serve(req, res);
      if (req.url === '/hls.min.js') return void res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(hlsJs);
      res.writeHead(200, { 'Content-Type': 'text/html' }).end(page);
    });
    await new Promise<void>((r) => pageServer.listen(0, '127.0.0.1', () => r()));
    const origin = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;
    /** Plays cam2's ll.m3u8 in a fresh tab with one hls.js config; samples once a second for 10 s. */
    const playOnce = async (browser: Browser, config: object) => {
      const tab = await browser.newPage();
      const src = `/hls/cam2/main/ll.m3u8?token=${encodeURIComponent(tokenFor('cam2'))}`;
      const t0 = Date.now();
      await tab.goto(`${origin}/?src=${encodeURIComponent(src)}&config=${encodeURIComponent(JSON.stringify(config))}`);
      await tab.waitForFunction(() => (window as any).figures.frames > 10, undefined, { timeout: 20_000 });
      const tenFramesAfterMs = Date.now() - t0;
      const samples: { latency: number; targetLatency: number; bufferAheadSec: number; behindWallClock: number; frames: number; currentTime: number }[] = [];
      for (let i = 0; i < 10; i++) {
        await sleep(1000);
        samples.push(await tab.evaluate(() => {
          const w = window as any;
          const v = document.getElementById('v') as HTMLVideoElement;
          const ahead = v.buffered.length ? v.buffered.end(v.buffered.length - 1) - v.currentTime : 0;
          return { latency: w.hls.latency, targetLatency: w.hls.targetLatency, bufferAheadSec: ahead, behindWallClock: Date.now() - (w.hls.playingDate?.getTime() ?? NaN), frames: w.figures.frames, currentTime: v.currentTime };
        }));
      }
      const errors: string[] = await tab.evaluate(() => (window as any).figures.errors);
      await tab.close();
      for (let i = 1; i < samples.length; i++) expect(samples[i]!.frames).toBeGreaterThan(samples[i - 1]!.frames);
      expect(samples.at(-1)!.currentTime - samples[0]!.currentTime).toBeGreaterThan(7);
      expect(errors.filter((e) => e.includes('fatal'))).toEqual([]);
      const latencies = samples.map((s) => s.latency);
      const behind = samples.map((s) => s.behindWallClock);
      expect(percentile(latencies, 50)).toBeLessThan(1.5);
      return {
        tenFramesAfterMs,
        // hls.latency: seconds behind the playlist's live edge; hls.targetLatency: what it aims at (PART-HOLD-BACK)
        latencySec: { p50: +percentile(latencies, 50).toFixed(3), max: +Math.max(...latencies).toFixed(3), last: +latencies.at(-1)!.toFixed(3) },
        targetLatencySec: samples.at(-1)!.targetLatency,
        bufferAheadSec: +percentile(samples.map((s) => s.bufferAheadSec), 50).toFixed(3),
        // wall clock minus the PROGRAM-DATE-TIME of the frame playing (PDT: when the worker had the fragment)
        behindWorkerMs: { p50: Math.round(percentile(behind, 50)), last: Math.round(behind.at(-1)!) },
        framesPerSec: +((samples.at(-1)!.frames - samples[0]!.frames) / (samples.length - 1)).toFixed(1),
        errors,
      };
    };
    let browser: Browser | undefined;
    try {
      browser = await launchChromium({ autoplay: true });
      // hls.js defaults with lowLatencyMode, and the same with catch-up to the target latency (a player setting)
      const configs = { lowLatency: { lowLatencyMode: true }, lowLatencyCatchUp: { lowLatencyMode: true, maxLiveSyncPlaybackRate: 1.5 } };
      const results: Record<string, unknown> = {};
      for (const [name, config] of Object.entries(configs)) results[name] = await playOnce(browser, config);
      figures.hlsJs = results;
    } finally {
      await browser?.close();
      await new Promise<void>((r) => pageServer.close(() => r()));
    }
  });
});
