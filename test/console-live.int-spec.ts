/**
 * Live tiles in a real browser (headless Chromium through playwright-core) against a whole Tiergate process
 * (gateway + worker in one, simulated cameras): a tile plays over the MSE WebSocket, its frames advance and it
 * says live (直播 in Chinese); a tour page change keeps every tile's last frame (no black tile in screenshots taken during
 * the switch) and then shows the new page's video. Times to the first frame are measured and printed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { startCameraFleet, type Fleet } from '../apps/camera-sim/src/fleet';
import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { PartitionerModule } from '../apps/partitioner/src/partitioner.module';
import { TranscoderModule } from '../apps/transcoder/src/transcoder.module';
import { ADMIN_PASSWORD, startTestProcess, TestProcess } from './support/harness';
import { hasChromium, launchChromium } from './support/chromium';

jest.setTimeout(90_000);

const ARTIFACTS = join(__dirname, '..', 'test-artifacts', 'console-live');
const itIf = hasChromium ? it : it.skip;
// Embedded and external runs may overlap: each uses its own loopback block.
const BLOCK = process.env.TIERGATE_TEST_MODE === 'external' ? 19 : 9;

interface TileStats {
  cameraId: string;
  tileCamera: string;
  transport: string;
  state: string;
  currentTime: number;
  presentedFrames: number;
  firstFrameMs: number | null;
  displayMs: number | null;
  bufferLagS: number | null;
  restarts: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('console live tiles over MSE', () => {
  let tg: TestProcess;
  let fleet: Fleet;
  let browser: Browser | undefined;
  let admin: string;
  const ids: string[] = [];
  const figures: Record<string, unknown> = {};

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    fleet = await startCameraFleet({ count: 6, firstAddress: `127.0.${BLOCK}.1`, password: 'sim-pass' });
    tg = await startTestProcess(
      { name: 'console-live-test', modules: [PartitionerModule, GatewayModule, TranscoderModule], http: true },
      { 'transcoder.startTimeoutMs': 10000, 'transcoder.idleCloseMs': 20000, 'health.intervalSeconds': 3600, 'auth.streamTokenTtlSeconds': 20 },
    );
    admin = await tg.login();
    for (const [i, cam] of fleet.cameras.entries()) {
      const res = await tg.call('POST', '/api/cameras', {
        token: admin,
        body: { name: `Tile cam ${i + 1}`, onvif: { host: cam.host, port: cam.onvifPort, username: 'admin', password: 'sim-pass' }, tags: ['mse-wall'] },
      });
      if (res.status !== 201) throw new Error(`sim camera ${i}: ${res.status} ${res.text}`);
      ids.push(res.body.id);
    }
    if (hasChromium) {
      browser = await launchChromium({ autoplay: true });
    }
  }, 120_000);

  afterAll(async () => {
    writeFileSync(join(ARTIFACTS, 'figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
    // eslint-disable-next-line no-console
    console.log(`console live figures: ${JSON.stringify(figures)}`);
    await browser?.close().catch(() => undefined);
    await tg?.stop();
    await fleet?.stop();
  });

  /** The page's WebSockets, each with whether it is still open (the wall mounted at login and again for `route`). */
  type Socket = { url: string; open: boolean };
  async function openWall(route: string, initScript?: string): Promise<{ page: Page; errors: string[]; sockets: Socket[] }> {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
    if (initScript) await context.addInitScript(initScript);
    const page = await context.newPage();
    const errors: string[] = [];
    const sockets: Socket[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('websocket', (ws) => {
      const socket = { url: ws.url().split('?')[0]!, open: true };
      sockets.push(socket);
      ws.on('close', () => { socket.open = false; });
    });
    await page.route(/^(?!(http|ws):\/\/127\.0\.0\.1[:/]).*/, (r) => { errors.push(`external request ${r.request().url()}`); return r.abort(); });
    await page.goto(`${tg.url}/#/wall`);
    await page.fill('#login-form input[name=username]', 'admin');
    await page.fill('#login-form input[name=password]', ADMIN_PASSWORD);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#header:not([hidden])');
    await page.evaluate((r) => { location.hash = r; }, route);
    await page.waitForSelector('#screen-wall');
    return { page, errors, sockets };
  }

  const stats = (page: Page) => page.evaluate(() => (window as any).__tiergate.wallStats() as TileStats[]);
  const allLive = (page: Page, cameras: string[], timeout = 20_000) =>
    page.waitForFunction((want) => {
      const s = (window as any).__tiergate.wallStats();
      return s.length === want.length && s.every((t: any, i: number) => t.tileCamera === want[i] && t.cameraId === want[i] && t.state === 'live' && t.presentedFrames > 2);
    }, cameras, { timeout });

  /** Whether a screenshot of each tile is uniformly black (decoded in the page: PNG → canvas → pixel spread). */
  async function blackTiles(page: Page, shot: Buffer): Promise<boolean[]> {
    return page.evaluate(async (b64) => {
      // An <img> (img-src allows data:; the console's CSP keeps fetch to its own origin).
      const el = new Image();
      el.src = `data:image/png;base64,${b64}`;
      await el.decode();
      const img = await createImageBitmap(el);
      const canvas = new OffscreenCanvas(img.width, img.height);
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const scale = img.width / window.innerWidth;
      return [...document.querySelectorAll('#wall-grid .tile[data-camera-id]')].map((tile) => {
        const r = tile.getBoundingClientRect();
        // The picture above the label bar.
        const data = ctx.getImageData(Math.round(r.x * scale) + 2, Math.round(r.y * scale) + 2, Math.round(r.width * scale) - 4, Math.round((r.height - 24) * scale)).data;
        let max = 0;
        for (let i = 0; i < data.length; i += 4) max = Math.max(max, data[i]!, data[i + 1]!, data[i + 2]!);
        return max < 24;
      });
    }, shot.toString('base64'));
  }

  itIf('a tile plays over the MSE WebSocket, its frames advance, it says live; cold and warm first frames measured', async () => {
    const { page, errors, sockets } = await openWall('#/wall?layout=4');
    await page.selectOption('#wall-layout', '4');
    await page.fill('#wall-tag', 'mse-wall');
    await page.dispatchEvent('#wall-tag', 'change');
    const first = ids.slice(0, 4);
    await allLive(page, first, 30_000);
    const a = await stats(page);
    await page.waitForTimeout(1500);
    const b = await stats(page);
    for (const [i, t] of b.entries()) {
      expect(t.transport).toBe('mse');
      expect(t.presentedFrames).toBeGreaterThan(a[i]!.presentedFrames + 10);
      expect(t.currentTime).toBeGreaterThan(a[i]!.currentTime);
      expect(t.restarts).toBe(0);
    }
    // One socket per tile: the four open ones are one per camera (the wall mounted at login may have opened and
    // closed its own before the route with the layout mounted it again).
    const open = sockets.filter((s) => s.open && s.url.endsWith('/mse')).map((s) => s.url.split('/')[4]);
    expect(open.sort()).toEqual([...first].sort());
    const labels = await page.$$eval('#wall-grid .tile .live-state', (els) => els.map((e) => e.textContent));
    expect(labels).toEqual(Array(4).fill('live')); // en: the browser's language here (zh-CN shows 直播)
    figures.coldFirstFrameMs = b.map((t) => t.firstFrameMs);
    figures.lagBehindBufferEndS = b.map((t) => Number(t.bufferLagS?.toFixed(3)));
    await page.screenshot({ path: join(ARTIFACTS, 'wall-mse.png') });

    // Warm: the sessions run; a fresh page opens the same tiles.
    await page.reload();
    await page.waitForSelector('#screen-wall');
    await allLive(page, first, 20_000);
    const warm = await stats(page);
    figures.warmFirstFrameMs = warm.map((t) => t.firstFrameMs);
    figures.warmFirstFrameP50Ms = median(warm.map((t) => t.firstFrameMs!));
    figures.warmTimeline = warm.map((t) => (t as any).timeline);
    figures.coldTimeline = b.map((t) => (t as any).timeline);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  itIf('a tour page change keeps every tile\'s last frame, then shows the new page\'s video; a camera that stays keeps its tile', async () => {
    const { page, errors } = await openWall('#/wall?layout=4');
    await page.selectOption('#wall-layout', '4');
    await page.fill('#wall-tag', 'mse-wall');
    await page.dispatchEvent('#wall-tag', 'change');
    await allLive(page, ids.slice(0, 4), 30_000);
    // Mark the video elements: a tile that keeps its camera keeps its element (the same running player).
    await page.evaluate(() => document.querySelectorAll('#wall-grid video').forEach((v, i) => ((v as HTMLElement).dataset.mark = String(i))));

    // A tour of 6 s: the next page is staged 3 s before the turn.
    await page.fill('#wall-tour-seconds', '6');
    await page.dispatchEvent('#wall-tour-seconds', 'change');
    await page.check('#wall-tour');
    const turned = page.waitForFunction(() => document.querySelector('#wall-page')?.textContent === 'page 2 / 2', undefined, { timeout: 10_000, polling: 'raf' });
    const shots: boolean[][] = [];
    // Screenshots through the switch, from before the turn until the new page plays.
    let n = 0;
    let done = false;
    void turned.then(() => undefined, () => undefined).finally(() => setTimeout(() => (done = true), 1500));
    while (!done && n < 80) {
      const shot = await page.screenshot();
      if (n % 4 === 0) writeFileSync(join(ARTIFACTS, `tour-switch-${String(n).padStart(2, '0')}.png`), shot);
      shots.push(await blackTiles(page, shot));
      n += 1;
    }
    await turned;
    const next = ids.slice(4, 6);
    await allLive(page, next, 10_000);
    const after = await stats(page);
    figures.tourDisplayMs = after.map((t) => t.displayMs);
    figures.tourScreenshots = shots.length;
    for (const [i, tiles] of shots.entries()) expect([i, tiles.filter(Boolean).length]).toEqual([i, 0]);
    // The page turned to 2 cameras: the other two cells are empty, nothing else.
    expect(await page.$$('#wall-grid .tile[data-camera-id]')).toHaveLength(2);
    for (const t of after) expect(t.displayMs).toBeLessThan(500);
    await page.screenshot({ path: join(ARTIFACTS, 'tour-page-2.png') });

    // Layout 4 → 9: the six cameras on one page; the two playing keep their players (their marked videos).
    await page.uncheck('#wall-tour');
    await page.evaluate(() => document.querySelectorAll('#wall-grid video').forEach((v) => ((v as HTMLElement).dataset.mark = `kept-${(v.closest('.tile') as HTMLElement).dataset.cameraId}`)));
    await page.selectOption('#wall-layout', '9');
    await allLive(page, ids, 15_000);
    const kept = await page.$$eval('#wall-grid video[data-mark^=kept-]', (vs) => vs.map((v) => `${(v as HTMLElement).dataset.mark}@${(v.closest('.tile') as HTMLElement).dataset.cameraId}`));
    expect(kept.sort()).toEqual(next.map((id) => `kept-${id}@${id}`).sort());
    expect(errors).toEqual([]);
    await page.context().close();
  });

  itIf('where the MSE socket cannot connect, a tile falls back to LL-HLS in hls.js (blocking reload), plays and says live', async () => {
    // A network that lets no WebSocket through: every socket closes before it opens (as a proxy that refuses upgrades).
    const noSockets = `window.WebSocket = class extends EventTarget {
      constructor(url) { super(); this.url = url; this.readyState = 0; this.binaryType = 'blob';
        setTimeout(() => { this.readyState = 3; const e = new Event('close'); e.code = 1006; this.onclose?.(e); this.dispatchEvent(e); }, 10); }
      send() {} close() {}
    };`;
    const { page, errors } = await openWall('#/wall?layout=4', noSockets);
    const playlists: string[] = [];
    page.on('request', (r) => { if (r.url().includes('.m3u8')) playlists.push(r.url().split('/').pop()!); });
    await page.selectOption('#wall-layout', '4');
    await page.fill('#wall-tag', 'mse-wall');
    await page.dispatchEvent('#wall-tag', 'change');
    await allLive(page, ids.slice(0, 4), 45_000);
    expect(playlists.some((u) => u.startsWith('ll.m3u8') && u.includes('_HLS_msn='))).toBe(true);
    expect(playlists.some((u) => u.startsWith('index.m3u8'))).toBe(false);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 90_000);
});
