/**
 * Replay and evidence export in the console, in a real browser (headless Chromium through playwright-core),
 * against one Tiergate process (partitioner: the recording plan; gateway; a transcoder worker with a storage
 * root) and simulated cameras: one recorded continuously under a rule (1 s segments), one not recorded.
 * As a user would check it: the full-screen view's timeline shows the recorded time as a span; "Replay 30 s" on a
 * tile plays the recording (the video's time advances, the wall-clock time shown is the one asked for); a click on
 * the timeline plays from that time; "Back to live" plays live; a camera without recording says so in words; an
 * operator exports a clip, the progress bar reaches done and the SHA-256 shown is the downloaded file's; a viewer
 * sees no export button; the Chinese console reads in Chinese. Screenshots: test-artifacts/recording/.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import type { Geometry } from '@tiergate/domain';
import { startCameraFleet, type Fleet } from '../../apps/camera-sim/src';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { PartitionerModule } from '../../apps/partitioner/src/partitioner.module';
import { TranscoderModule } from '../../apps/transcoder/src/transcoder.module';
import { seedJurisdictions, userToken } from '../support/district.fixture';
import { ADMIN_PASSWORD, startTestProcess, TestProcess } from '../support/harness';
import { hasChromium, launchChromium } from '../support/chromium';

jest.setTimeout(180_000);

const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts', 'recording');
const itIf = hasChromium ? it : it.skip;
// Embedded and external runs may overlap: each uses its own loopback block.
const BLOCK = process.env.TIERGATE_TEST_MODE === 'external' ? 98 : 97;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The wall-clock time a text shows ("12/02/2025, 14:54:03" in en, "2025/12/02 14:54:03" in zh-CN; the browser runs
 * in UTC), in ms; NaN when there is none.
 */
function shownTime(text: string): number {
  const en = /(\d{2})\/(\d{2})\/(\d{4}),? (\d{2}):(\d{2}):(\d{2})/.exec(text);
  if (en) return Date.UTC(Number(en[3]), Number(en[1]) - 1, Number(en[2]), Number(en[4]), Number(en[5]), Number(en[6]));
  const zh = /(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})/.exec(text);
  if (zh) return Date.UTC(Number(zh[1]), Number(zh[2]) - 1, Number(zh[3]), Number(zh[4]), Number(zh[5]), Number(zh[6]));
  return NaN;
}

describe('console: recording timeline, instant replay and evidence export (issue 14)', () => {
  let tg: TestProcess;
  let fleet: Fleet;
  let browser: Browser | undefined;
  let rootDir: string;
  let admin: string;
  let recorded: string;
  let unrecorded: string;
  let recordingSince = 0;
  const figures: Record<string, unknown> = {};
  const users = { operator: 'replay-operator', viewer: 'replay-viewer' };

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    rootDir = mkdtempSync(join(tmpdir(), 'tg-console-replay-'));
    fleet = await startCameraFleet({ count: 2, firstAddress: `127.0.${BLOCK}.1`, password: 'sim-pass' });
    tg = await startTestProcess({ name: 'console-replay-test', modules: [PartitionerModule, GatewayModule, TranscoderModule], http: true }, {
      'recording.roots': JSON.stringify([{ id: 'r0', path: rootDir, quotaBytes: 1 << 30 }]),
      'recording.segmentSeconds': 1,
      'transcoder.heartbeatMs': 300,
      'transcoder.startTimeoutMs': 10000,
      'transcoder.idleCloseMs': 20000,
      'health.intervalSeconds': 3600,
    });
    admin = await tg.login();
    const ids = await seedJurisdictions(tg, [
      { code: 'D', name: 'District', tier: 'sub-bureau', parentCode: null, geometry: { type: 'Polygon', coordinates: [[[123.3, 41.6], [123.7, 41.6], [123.7, 41.9], [123.3, 41.9], [123.3, 41.6]]] } },
      { code: 'PA', name: 'Post A', tier: 'post', parentCode: 'D', geometry: { type: 'Polygon', coordinates: [[[123.4, 41.7], [123.5, 41.7], [123.5, 41.8], [123.4, 41.8], [123.4, 41.7]]] } as Geometry },
    ]);
    const postA = ids.get('PA')!;
    const cameras: string[] = [];
    for (const [i, cam] of fleet.cameras.entries()) {
      const res = await tg.call('POST', '/api/cameras', {
        token: admin,
        body: { name: i === 0 ? 'Garage gate' : 'Side lane', onvif: { host: cam.host, port: cam.onvifPort, username: 'admin', password: 'sim-pass' }, jurisdictionId: postA, tags: ['replay-wall'] },
      });
      if (res.status !== 201) throw new Error(`sim camera ${i}: ${res.status} ${res.text}`);
      cameras.push(res.body.id);
    }
    [recorded, unrecorded] = cameras as [string, string];
    await userToken(tg, admin, users.operator, 'operator', postA);
    await userToken(tg, admin, users.viewer, 'viewer', postA);
    const rule = await tg.call('POST', '/api/recording-rules', { token: admin, body: { name: 'garage gate', target: { type: 'camera', value: recorded }, mode: 'continuous', jurisdictionId: ids.get('D')! } });
    if (rule.status !== 201) throw new Error(`rule: ${rule.status} ${rule.text}`);
    // Recorded for 40 s and more before the browser asks for the last 30 s.
    const until = Date.now() + 90_000;
    for (;;) {
      const now = Date.now();
      const tl = await tg.call('GET', `/api/cameras/${recorded}/recordings?from=${iso(now - 600_000)}&to=${iso(now)}`, { token: admin });
      const first = tl.body.spans?.[0];
      if (first) recordingSince ||= Date.parse(first.from);
      if (first && Date.parse(first.from) < now - 40_000 && Date.parse(tl.body.spans.at(-1).to) > now - 5000) break;
      if (Date.now() > until) throw new Error(`no 40 s of recording: ${JSON.stringify(tl.body)}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    if (hasChromium) {
      browser = await launchChromium({ autoplay: true });
    }
  }, 180_000);

  afterAll(async () => {
    writeFileSync(join(ARTIFACTS, 'console-replay-figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
    // eslint-disable-next-line no-console
    console.log(`console replay figures: ${JSON.stringify(figures)}`);
    await browser?.close().catch(() => undefined);
    await tg?.stop();
    await fleet?.stop();
    rmSync(rootDir, { recursive: true, force: true });
  });

  async function openWall(username: string, password: string, locale: 'en' | 'zh-CN'): Promise<{ page: Page; errors: string[] }> {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: 'UTC', locale, acceptDownloads: true });
    await context.addInitScript((l) => localStorage.setItem('tiergate.locale', l), locale);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.route(/^(?!(http|ws|blob):\/\/127\.0\.0\.1[:/]|blob:).*/, (r) => { errors.push(`external request ${r.request().url()}`); return r.abort(); });
    await page.goto(`${tg.url}/#/wall`);
    await page.fill('#login-form input[name=username]', username);
    await page.fill('#login-form input[name=password]', password);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#header:not([hidden])');
    await page.waitForSelector('#screen-wall');
    await page.fill('#wall-tag', 'replay-wall');
    await page.dispatchEvent('#wall-tag', 'change');
    await page.waitForSelector(`#wall-grid .tile[data-camera-id="${recorded}"] .tile-replay-button`);
    await page.waitForSelector(`#wall-grid .tile[data-camera-id="${unrecorded}"] .tile-replay-button`);
    return { page, errors };
  }

  /** The replay video's time and the wall-clock time the view shows, read together. */
  const sample = (page: Page) => page.evaluate(() => {
    const v = document.querySelector('#overlay #replay-video') as HTMLVideoElement | null;
    return { currentTime: v?.currentTime ?? -1, first: (window as any).__replayFirst as number, clock: document.querySelector('#replay-clock')?.textContent ?? '' };
  });
  /** Waits until the replay video has played for a moment, then samples it twice 2 s apart. */
  async function playedTwice(page: Page) {
    await page.waitForFunction(() => {
      const v = document.querySelector('#overlay #replay-video') as HTMLVideoElement | null;
      return !!v && !v.paused && v.readyState >= 2 && (window as any).__replayFirst === undefined
        ? ((window as any).__replayFirst = v.currentTime, false)
        : !!v && v.currentTime > (window as any).__replayFirst + 0.3 && !!document.querySelector('#replay-clock')?.textContent;
    }, undefined, { timeout: 30_000 });
    const a = await sample(page);
    await page.waitForTimeout(2000);
    const b = await sample(page);
    await page.evaluate(() => { delete (window as any).__replayFirst; });
    return [a, b] as const;
  }
  const liveAdvances = async (page: Page) => {
    await page.waitForFunction(() => document.querySelector('#overlay .live-state')?.getAttribute('data-state') === 'live', undefined, { timeout: 30_000 });
    const t1 = await page.$eval('#overlay .overlay-video video', (v) => (v as HTMLVideoElement).currentTime);
    await page.waitForTimeout(1500);
    const t2 = await page.$eval('#overlay .overlay-video video', (v) => (v as HTMLVideoElement).currentTime);
    return t2 - t1;
  };

  itIf('timeline spans, replay 30 s from a tile, a click on the timeline, back to live; no recording said in words; an operator exports', async () => {
    const { page, errors } = await openWall(users.operator, `${users.operator}-password-1`, 'en');

    // Replay 30 s on the recorded camera's tile.
    const clickedAt = Date.now();
    await page.click(`#wall-grid .tile[data-camera-id="${recorded}"] .tile-replay-button[data-seconds="30"]`);
    await page.waitForSelector('#overlay:not([hidden]) #replay-panel');
    const [a, b] = await playedTwice(page);
    const shownA = shownTime(a.clock);
    const shownB = shownTime(b.clock);
    figures.replay30sShownMinusAskedMs = shownA - (clickedAt - 30_000);
    expect(a.clock).toMatch(/^Playing /);
    // the time asked for (now − 30 s) plus what has played since it started, give or take a segment
    expect(Math.abs(shownA - (clickedAt - 30_000 + (a.currentTime - a.first) * 1000))).toBeLessThanOrEqual(3000);
    expect(b.currentTime - a.currentTime).toBeGreaterThan(1);
    // the clock follows the video
    expect(Math.abs((shownB - shownA) / 1000 - (b.currentTime - a.currentTime))).toBeLessThanOrEqual(1.5);
    expect(await page.textContent('#replay-mode')).toBe('Playback');

    // The timeline: the recorded time as a green span, as the API has it; the played position marked on it.
    await page.waitForSelector('#replay-track .replay-span');
    const spans = await page.$$eval('#replay-track .replay-span', (els) => els.map((e) => ({ from: (e as HTMLElement).dataset.from!, to: (e as HTMLElement).dataset.to!, width: e.getBoundingClientRect().width, colour: getComputedStyle(e).backgroundColor })));
    const last = spans.at(-1)!;
    expect(Date.parse(spans[0]!.from)).toBeLessThanOrEqual(recordingSince + 2000);
    expect(Date.parse(last.to)).toBeGreaterThan(clickedAt - 15_000);
    expect(last.width).toBeGreaterThan(5);
    expect(last.colour).toBe('rgb(46, 157, 70)');
    const trackBg = await page.$eval('#replay-track', (e) => getComputedStyle(e).backgroundImage);
    expect(trackBg).toContain('repeating-linear-gradient'); // gaps: the hatched track, unlike the spans
    const head = await page.$eval('#replay-head', (e) => ({ hidden: (e as HTMLElement).hidden, x: e.getBoundingClientRect().x }));
    const spanBox = (await page.$$('#replay-track .replay-span')).at(-1)!;
    const box = (await spanBox.boundingBox())!;
    expect(head.hidden).toBe(false);
    expect(head.x).toBeGreaterThanOrEqual(box.x - 2);
    expect(head.x).toBeLessThanOrEqual(box.x + box.width + 2);
    await page.screenshot({ path: join(ARTIFACTS, 'replay.png') });

    // Back to live: the live player plays again.
    await page.click('#replay-back-to-live');
    expect(await page.$('#overlay #replay-video')).toBeNull();
    expect(await liveAdvances(page)).toBeGreaterThan(0.5);
    expect(await page.textContent('#replay-mode')).toBe('Live');
    expect(await page.isHidden('#replay-back-to-live')).toBe(true);

    // A click on the span 20 s before its end plays from that wall-clock time.
    const trackBox = (await page.$('#replay-track'))!;
    const tb = (await trackBox.boundingBox())!;
    const windowText = await page.textContent('#replay-window');
    const [wFrom, wTo] = windowText!.split(' – ').map(shownTime) as [number, number];
    const target = Date.parse((await page.$$eval('#replay-track .replay-span', (els) => (els.at(-1) as HTMLElement).dataset.to!))) - 20_000;
    await page.mouse.click(tb.x + ((target - wFrom) / (wTo - wFrom)) * tb.width, tb.y + tb.height / 2);
    const [c] = await playedTwice(page);
    // one pixel of the track is 1 h / its width (≈3 s here), plus a segment
    const pxMs = (wTo - wFrom) / tb.width;
    figures.timelineClickShownMinusAskedMs = shownTime(c.clock) - target;
    expect(Math.abs(shownTime(c.clock) - (target + (c.currentTime - c.first) * 1000))).toBeLessThanOrEqual(pxMs + 3000);
    await page.click('#replay-back-to-live');
    expect(await liveAdvances(page)).toBeGreaterThan(0.5);
    await page.keyboard.press('Escape');
    await page.waitForSelector('#overlay', { state: 'hidden' });

    // The camera without recording: said in words, no video element.
    await page.click(`#wall-grid .tile[data-camera-id="${unrecorded}"] .tile-replay-button[data-seconds="120"]`);
    await page.waitForSelector('#replay-message');
    expect(await page.textContent('#replay-message p')).toMatch(/^This camera has no recording between .+ and .+\.$/);
    expect(await page.$('#overlay #replay-video')).toBeNull();
    await page.keyboard.press('Escape');

    // Export as the operator, from the recorded camera's full-screen view (a double click on its tile).
    await page.dblclick(`#wall-grid .tile[data-camera-id="${recorded}"]`, { position: { x: 40, y: 40 } });
    await page.waitForSelector('#replay-export');
    await page.click('#replay-export');
    await page.waitForSelector('#export-dialog[open]');
    const from = await page.inputValue('#export-from');
    const to = await page.inputValue('#export-to');
    // the default: the last two minutes
    expect(Date.parse(`${to}Z`) - Date.parse(`${from}Z`)).toBe(120_000);
    expect(Math.abs(Date.parse(`${to}Z`) - Date.now())).toBeLessThan(20_000);
    // a reason is required: said, and nothing sent
    const posts: string[] = [];
    page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/exports')) posts.push(r.url()); });
    await page.fill('#export-reason', 'ab');
    await page.click('#export-submit');
    expect(await page.textContent('#export-message')).toBe('Give a reason of at least 4 characters.');
    expect(posts).toEqual([]);
    // a range without recording: the server's 404 as a sentence
    await page.fill('#export-from', new Date(Date.now() - 5 * 3600_000).toISOString().slice(0, 19));
    await page.fill('#export-to', new Date(Date.now() - 4 * 3600_000).toISOString().slice(0, 19));
    await page.fill('#export-reason', 'bike theft at the garage gate, case 14-0451');
    await page.click('#export-submit');
    await page.waitForFunction(() => /NOT_FOUND/.test(document.querySelector('#export-message')?.textContent ?? ''));
    expect(await page.textContent('#export-message')).toBe('There is no recording in this range (or the camera is outside your jurisdiction). (NOT_FOUND)');
    // the real range
    await page.fill('#export-from', from);
    await page.fill('#export-to', to);
    const t0 = Date.now();
    const polls: number[] = [];
    page.on('request', (r) => { if (r.method() === 'GET' && /\/api\/exports\/[0-9a-f-]+$/.test(r.url())) polls.push(Date.now()); });
    await page.click('#export-submit');
    await page.waitForSelector('#export-progress[data-state=done]', { timeout: 60_000 });
    figures.exportDoneInBrowserMs = Date.now() - t0;
    expect(await page.$eval('#export-progress', (p) => (p as HTMLProgressElement).value)).toBe(1);
    expect(await page.textContent('#export-progress-text')).toBe('done · 100 %');
    const gaps = polls.slice(1).map((t, i) => t - polls[i]!);
    if (gaps.length) expect(Math.min(...gaps)).toBeGreaterThanOrEqual(400); // every 500 ms, not faster
    const sha = (await page.textContent('#export-sha256'))!.trim();
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    await page.screenshot({ path: join(ARTIFACTS, 'export.png') });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-download')]);
    const file = readFileSync((await download.path())!);
    figures.exportBytes = file.length;
    expect(file.length).toBeGreaterThan(10_000);
    expect(createHash('sha256').update(file).digest('hex')).toBe(sha);
    expect(download.suggestedFilename()).toMatch(/^Garage_gate-.*\.mp4$/);
    await page.keyboard.press('Escape');
    await page.waitForSelector('#export-dialog', { state: 'detached' });
    expect(await page.isVisible('#overlay')).toBe(true); // Esc closed the dialog, not the view
    expect(errors).toEqual([]);
    await page.context().close();
  });

  itIf('a viewer replays but sees no export button; the Chinese console reads in Chinese', async () => {
    const { page, errors } = await openWall(users.viewer, `${users.viewer}-password-1`, 'zh-CN');
    const buttons = await page.$$eval(`#wall-grid .tile[data-camera-id="${recorded}"] .tile-replay-button`, (els) => els.map((e) => e.textContent));
    expect(buttons).toEqual(['回放 30 秒', '回放 2 分钟']);
    const clickedAt = Date.now();
    await page.click(`#wall-grid .tile[data-camera-id="${recorded}"] .tile-replay-button[data-seconds="30"]`);
    const [a] = await playedTwice(page);
    expect(a.clock).toMatch(/^正在回放 /);
    expect(Math.abs(shownTime(a.clock) - (clickedAt - 30_000 + (a.currentTime - a.first) * 1000))).toBeLessThanOrEqual(3000);
    expect(await page.textContent('#replay-back-to-live')).toBe('回到直播');
    expect(await page.textContent('#replay-mode')).toBe('回放');
    expect(await page.textContent('#replay-earlier')).toBe('◀ 前 1 小时');
    expect(await page.$('#replay-export')).toBeNull();
    await page.click('#replay-back-to-live');
    expect(await liveAdvances(page)).toBeGreaterThan(0.5);
    expect(await page.textContent('#overlay .live-state')).toBe('直播');
    expect(await page.$('#replay-export')).toBeNull();
    await page.keyboard.press('Escape');
    await page.click(`#wall-grid .tile[data-camera-id="${unrecorded}"] .tile-replay-button[data-seconds="30"]`);
    await page.waitForSelector('#replay-message');
    expect(await page.textContent('#replay-message p')).toMatch(/^该摄像机在 .+ 至 .+ 之间没有录像。$/);
    await page.screenshot({ path: join(ARTIFACTS, 'replay-zh-no-recording.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
