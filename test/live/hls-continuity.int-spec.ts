/**
 * A killed ffmpeg must not freeze real players: simulated RTSP camera -> real ffmpeg -> HLS -> the worker's
 * HTTP server -> hls.js in headless Chromium (bare hls.js defaults, and the console's player settings).
 * ffmpeg is SIGKILLed while they play; the worker restarts it. Asserted: video currentTime keeps advancing
 * (longest stall under 3 s), EXT-X-MEDIA-SEQUENCE never goes back, every sequence number keeps its segment,
 * and the join carries EXT-X-DISCONTINUITY with a consistent EXT-X-DISCONTINUITY-SEQUENCE.
 * The ffmpeg is FFMPEG_PATH's, else PATH's (Debian's 5.1), else the npm build: run it once with each.
 * Addresses: 127.0.73.x (camera .1, page server .2, worker .3).
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parse } from 'hls-parser';
import { type Browser, type Page } from 'playwright-core';
import { startCameraFleet, type Fleet } from '../../apps/camera-sim/src/fleet';
import { SystemClock } from '../../apps/transcoder/src/clock';
import { HlsHttpServer } from '../../apps/transcoder/src/hls-http.server';
import { chooseHlsRoot, HlsOutputStore } from '../../apps/transcoder/src/hls-output.store';
import { TranscoderWorker } from '../../apps/transcoder/src/transcoder.worker';
import { FfmpegProcessAdapter, locateFfmpeg, probeFfmpeg, type FfmpegChild, type FfmpegSpawner } from '@tiergate/media';
import { ffmpegUnder } from '../support/process-tree';
import { hasChromium, launchChromium } from '../support/chromium';

jest.setTimeout(90_000);

const itIfBrowser = hasChromium ? it : it.skip;

const NET = '127.0.73';
const bins = locateFfmpeg(process.env);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean | Promise<boolean>, ms: number, every = 100): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return true;
    await sleep(every);
  }
  return cond();
}

class RecordingSpawner implements FfmpegSpawner {
  readonly children: { child: FfmpegChild; args: readonly string[] }[] = [];
  constructor(private readonly inner: FfmpegSpawner) {}
  spawn(args: readonly string[]): FfmpegChild {
    const child = this.inner.spawn(args);
    this.children.push({ child, args });
    return child;
  }
}

/** The console's hls.js settings (apps/gateway/console/player.js), copied so a change there is a change here. */
const CONSOLE_HLS_CONFIG = readFileSync(join(__dirname, '../../apps/gateway/console/player.js'), 'utf8').match(/const HLS_CONFIG = (\{[\s\S]*?\});/)?.[1];

const PAGE = `<!doctype html><meta charset="utf-8"><title>continuity</title>
<script src="/hls.js"></script><body><video id="v" muted playsinline autoplay></video><script>
window.startPlayer = (url, config) => {
  const video = document.getElementById('v');
  const t0 = performance.now();
  const rec = window.rec = { samples: [], frags: [], errors: [] };
  const hls = new Hls(config);
  hls.on(Hls.Events.FRAG_LOADED, (_e, d) => rec.frags.push({ sn: d.frag.sn, cc: d.frag.cc, at: Date.now() }));
  hls.on(Hls.Events.ERROR, (_e, d) => rec.errors.push({ type: d.type, details: d.details, fatal: d.fatal, at: Date.now() }));
  hls.loadSource(url);
  hls.attachMedia(video);
  video.play().catch(() => undefined);
  setInterval(() => rec.samples.push({ at: Date.now(), t: video.currentTime }), 100);
};
</script>`;

interface Rec { samples: { at: number; t: number }[]; frags: { sn: number; cc: number; at: number }[]; errors: { details: string; fatal: boolean; at: number }[] }

/** Longest wall-clock stretch in [from, to] during which currentTime did not move. */
function longestStallMs(samples: Rec['samples'], from: number, to: number): number {
  let worst = 0;
  let since: number | undefined;
  let prev: { at: number; t: number } | undefined;
  for (const s of samples.filter((x) => x.at >= from - 200 && x.at <= to)) {
    if (prev && s.t <= prev.t) since ??= prev.at;
    else since = undefined;
    if (since !== undefined) worst = Math.max(worst, s.at - since);
    prev = s;
  }
  return worst;
}

describe('HLS continuity through an ffmpeg restart (real ffmpeg, hls.js in Chromium)', () => {
  let fleet: Fleet;
  let adapter: FfmpegProcessAdapter;
  let spawner: RecordingSpawner;
  let store: HlsOutputStore;
  let worker: TranscoderWorker;
  let server: HlsHttpServer;
  let pageServer: Server;
  let pageBase: string;
  let base: string;
  let sourceUrl: string;
  let browser: Browser | undefined;

  beforeAll(async () => {
    fleet = await startCameraFleet({ count: 1, firstAddress: `${NET}.1`, onvifPort: 38180, rtspPort: 38654, discoveryPort: 33802 });
    sourceUrl = fleet.cameras[0]!.mainRtspUrl.replace('rtsp://', 'rtsp://admin:sim-pass@');
    const { features } = await probeFfmpeg(bins.ffmpegPath);
    adapter = new FfmpegProcessAdapter({ ffmpegPath: bins.ffmpegPath, graceMs: 2000 });
    spawner = new RecordingSpawner(adapter);
    store = new HlsOutputStore(chooseHlsRoot(`continuity-${process.pid}`));
    worker = new TranscoderWorker({
      workerId: 'cont1', baseUrl: 'http://127.0.0.1', capacity: 4, clock: new SystemClock(), spawner, output: store, ffmpeg: features,
      publish: () => undefined,
      session: { startTimeoutMs: 10_000, idleTimeoutMs: 20_000 }, // default restart backoff (500 ms)
    });
    server = new HlsHttpServer({ source: worker, authorize: () => true, host: `${NET}.3` });
    base = `http://${NET}.3:${(await server.listen()).port}`;
    const hlsJs = readFileSync(require.resolve('hls.js/dist/hls.min.js'));
    pageServer = createServer((req, res) => {
      if (req.url === '/hls.js') return void res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(hlsJs);
      res.writeHead(200, { 'Content-Type': 'text/html' }).end(PAGE);
    });
    await new Promise<void>((r) => pageServer.listen(0, `${NET}.2`, r));
    pageBase = `http://${NET}.2:${(pageServer.address() as AddressInfo).port}`;
    if (hasChromium) {
      browser = await launchChromium({ autoplay: true });
    }
  }, 60_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await worker?.stopAll();
    await adapter?.stopAll(500);
    await server?.close();
    await new Promise((r) => pageServer?.close(r));
    await store?.removeAll();
    await fleet?.stop();
  });

  itIfBrowser('players keep playing through a SIGKILLed ffmpeg; the playlist stays one continuous, numbered timeline', async () => {
    const reply = await worker.ensure({ cameraId: 'cam1', profile: 'main', sourceUrl });
    expect(reply.ok).toBe(true);
    const url = `${base}/hls/cam1/main/index.m3u8`;

    // a plain poller records every playlist: numbers must never go back nor change meaning
    const playlists: { at: number; text: string }[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const res = await fetch(url).catch(() => undefined);
        if (res?.ok) playlists.push({ at: Date.now(), text: await res.text() });
        await sleep(150);
      }
    })();

    const pages: { name: string; page: Page }[] = [];
    try {
      for (const [name, config] of [['bare hls.js', '{}'], ['console settings', CONSOLE_HLS_CONFIG ?? '{}']] as const) {
        const page = await browser!.newPage();
        await page.goto(pageBase);
        await page.evaluate(([u, c]) => (window as any).startPlayer(u, new Function(`return (${c})`)()), [url, config] as const);
        pages.push({ name, page });
      }
      const rec = (page: Page) => page.evaluate(() => (window as any).rec as Rec);
      for (const { page } of pages) {
        expect(await until(async () => ((await rec(page)).samples.at(-1)?.t ?? 0) > 2, 20_000, 200)).toBe(true);
      }

      const killed = spawner.children.length;
      const ffmpegPid = ffmpegUnder(spawner.children.at(-1)!.child.pid!)[0]!;
      expect(ffmpegPid).toBeGreaterThan(0);
      const killedAt = Date.now();
      process.kill(ffmpegPid, 'SIGKILL');
      expect(await until(() => spawner.children.length > killed && worker.sessionStates()[0]?.state === 'ready', 10_000)).toBe(true);
      const readyMs = Date.now() - killedAt;
      await sleep(12_000); // long enough for the old run's segments to slide out of the window

      const report: Record<string, unknown> = { ffmpeg: bins.ffmpegPath, serverBackMs: readyMs };
      for (const { name, page } of pages) {
        const r = await rec(page);
        const stall = longestStallMs(r.samples, killedAt, Date.now());
        const after = r.frags.filter((f) => f.at > killedAt);
        const ccs = [...new Set(r.frags.map((f) => f.cc))];
        report[name] = { longestStallMs: stall, fragsAfterKill: after.length, ccs, fatalErrors: r.errors.filter((e) => e.fatal).map((e) => e.details) };
        expect(stall).toBeLessThan(3000);
        expect(after.length).toBeGreaterThan(5);
        expect(ccs.length).toBe(2); // the player saw the discontinuity at the join
        expect(r.errors.filter((e) => e.fatal)).toEqual([]);
        const sns = r.frags.map((f) => f.sn);
        expect(sns).toEqual([...sns].sort((a, b) => a - b));
      }
      console.log(`hls continuity: ${JSON.stringify(report)}`);
    } finally {
      polling = false;
      await poller;
      for (const { page } of pages) await page.close().catch(() => undefined);
    }

    // the second run numbered on from the first one's last segment (ffmpeg -start_number, both builds)
    const [first, second] = spawner.children.slice(-2).map((c) => Number(c.args[c.args.indexOf('-start_number') + 1]));
    expect(second).toBeGreaterThan(first!);

    const bySn = new Map<number, { uri: string; dsn: number }>();
    let lastBase = -1;
    let lastDs = -1;
    let joins = 0;
    for (const { text } of playlists) {
      const p = parse(text);
      if (p.isMasterPlaylist) throw new Error('master playlist');
      expect(p.mediaSequenceBase ?? 0).toBeGreaterThanOrEqual(lastBase);
      expect(p.discontinuitySequenceBase ?? 0).toBeGreaterThanOrEqual(lastDs);
      lastBase = p.mediaSequenceBase ?? 0;
      lastDs = p.discontinuitySequenceBase ?? 0;
      for (const s of p.segments) {
        const known = bySn.get(s.mediaSequenceNumber);
        if (known) expect({ uri: s.uri, dsn: s.discontinuitySequence }).toEqual(known);
        else bySn.set(s.mediaSequenceNumber, { uri: s.uri, dsn: s.discontinuitySequence });
        if (s.mediaSequenceNumber === second && s.discontinuity && p.segments[0] !== s) joins += 1;
      }
    }
    expect(joins).toBeGreaterThan(0); // some playlist listed the old run, EXT-X-DISCONTINUITY, then the new one
    expect(bySn.get(second!)?.uri).toBe(`seg_${second}.ts`);
    expect(bySn.get(second! - 1)?.dsn).toBe(bySn.get(second!)!.dsn - 1);
    const numbers = [...bySn.keys()];
    expect(numbers.at(-1)! - numbers[0]!).toBe(numbers.length - 1); // contiguous: no repeats, no holes
    expect(lastDs).toBeGreaterThanOrEqual(1); // the tagged segments slid out: DISCONTINUITY-SEQUENCE went up
  });
});
