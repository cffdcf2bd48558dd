/**
 * The post PC's garage screen (issue 15) in headless Chromium at 1366×768 against a whole gateway with simulated
 * cameras: each thumbnail says how old it is ("N s ago", redrawn every second; "N 秒前" in Chinese) and turns grey
 * once no new picture came for 3 refresh periods; an offline camera's card says since when (the push channel's
 * time of the change); a click opens the live full-screen view; a camera with recordings has a replay button that
 * opens the full-screen view playing them, the others have none. Screenshots in test-artifacts/console/garages-*.png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startCameraFleet, type Fleet } from '../apps/camera-sim/src/fleet';
import { Topics } from '@tiergate/contracts';
import { MqttBus } from '@tiergate/messaging';
import { RecordingsRepository } from '@tiergate/persistence';
import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { PartitionerModule } from '../apps/partitioner/src/partitioner.module';
import { startTestProcess, TestProcess } from './support/harness';
import { hasChromium, launchChromium } from './support/chromium';

jest.setTimeout(120_000);

const ARTIFACTS = join(__dirname, '..', 'test-artifacts', 'console');
const itIf = hasChromium ? it : it.skip;
// Embedded and external runs may overlap: each its own loopback block (.21-.29 here; console-operators uses .1-.9).
const BLOCK = process.env.TIERGATE_TEST_MODE === 'external' ? 137 : 136;
const OFFICER = 'elm-post-pc';
const OFFICER_PASSWORD = 'garage-lantern-77';
/** garages.js REFRESH_MS × thumbnail-age.js STALE_FACTOR: a thumbnail without a new picture for longer is grey. */
const STALE_AFTER_MS = 3 * 5000;

const square = (w: number, s: number, e: number, n: number) => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const DISTRICT = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { code: 'ST', name: 'Lake Station', tier: 'station', parentCode: null }, geometry: square(116.30, 39.90, 116.36, 39.93) },
    { type: 'Feature', properties: { code: 'P1', name: 'Willow Post', tier: 'post', parentCode: 'ST' }, geometry: square(116.30, 39.90, 116.33, 39.93) },
  ],
};

describe('console garages: thumbnail age, staleness, offline since, live and replay', () => {
  let tg: TestProcess;
  let fleet: Fleet;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    fleet = await startCameraFleet({ count: 2, firstAddress: `127.0.${BLOCK}.21`, password: 'sim-pass' });
    tg = await startTestProcess({ name: 'console-garages-test', modules: [PartitionerModule, GatewayModule], http: true }, { 'health.intervalSeconds': 3600 });
    const token = await tg.login();
    const imported = await tg.call('POST', '/api/jurisdictions/import', { token, raw: JSON.stringify(DISTRICT), contentType: 'application/geo+json' });
    if (imported.status >= 300) throw new Error(`jurisdiction import failed: ${imported.status} ${imported.text}`);
    const jur: Record<string, string> = {};
    for (const j of (await tg.call('GET', '/api/jurisdictions', { token })).body) jur[j.code] = j.id;
    const user = await tg.call('POST', '/api/users', { token, body: { username: OFFICER, password: OFFICER_PASSWORD, role: 'viewer', jurisdictionId: jur.P1 } });
    if (user.status !== 201) throw new Error(`user: ${user.status} ${user.text}`);
    const add = async (name: string, body: Record<string, unknown>) => {
      const res = await tg.call('POST', '/api/cameras', { token, body: { name, tags: ['garage'], location: { lat: 39.915, lon: 116.31 }, ...body } });
      if (res.status !== 201) throw new Error(`camera ${name}: ${res.status} ${res.text}`);
      ids[name] = res.body.id;
    };
    const onvif = (i: number) => ({ onvif: { host: fleet.cameras[i]!.host, port: fleet.cameras[i]!.onvifPort, username: 'admin', password: 'sim-pass' } });
    await add('Willow garage east', onvif(0));
    await add('Willow garage west', onvif(1));
    // Nothing listens there: saved offline (pre-registration), never seen.
    await add('Willow garage cellar', { rtspUrl: `rtsp://127.0.${BLOCK}.29:8554/cellar` });
    // The west garage recorded the last ten minutes (index rows are what the timeline reads).
    const recordings = tg.running.app.get(RecordingsRepository, { strict: false });
    const start = Math.floor((Date.now() - 10 * 60_000) / 1000) * 1000;
    for (let i = 0; i < 10; i++) {
      const at = start + i * 60_000;
      await recordings.insertSegment({
        cameraId: ids['Willow garage west']!, profile: 'sub', workerId: 'garages-test-worker', rootId: 'r0', path: `west/${at}.m4s`, initPath: 'west/init.mp4',
        startAt: new Date(at), endAt: new Date(at + 60_000), bytes: 1000, keepUntil: new Date(Date.now() + 86_400_000),
      });
    }
    if (hasChromium) {
      browser = await launchChromium();
    }
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await tg?.stop();
    await fleet?.stop();
  });

  /** The post PC: 1366×768, logged in as the post's officer, on the garage screen. */
  async function postPc(lang = 'en-GB'): Promise<Page> {
    const context = await browser!.newContext({ viewport: { width: 1366, height: 768 }, locale: lang, timezoneId: 'UTC' });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.route(/^(?!http:\/\/127\.0\.0\.1[:/]).*/, (r) => { errors.push(`external request ${r.request().url()}`); return r.abort(); });
    await page.goto(`${tg.url}/#/garages`);
    await page.waitForSelector('#login-form');
    await page.fill('#login-form input[name=username]', OFFICER);
    await page.fill('#login-form input[name=password]', OFFICER_PASSWORD);
    await page.click('#login-form button[type=submit]');
    await page.waitForFunction(() => document.querySelectorAll('#garage-grid .garage-card').length === 3);
    return page;
  }
  const card = (id: string) => `#garage-grid .garage-card[data-camera-id="${id}"]`;
  const ageOf = (page: Page, id: string) => page.textContent(`${card(id)} .garage-age`);
  const secondsIn = (text: string | null) => Number(/^(\d+) s ago$/.exec(text ?? '')?.[1] ?? NaN);

  itIf('each thumbnail shows its age, redrawn every second, and turns grey when no new picture came for 3 refresh periods', async () => {
    const page = await postPc();
    const east = ids['Willow garage east']!;
    await page.waitForSelector(`${card(east)} img.snapshot:not([hidden])`, { timeout: 15_000 });
    expect(await page.getAttribute(card(east), 'data-stale')).toBe('false');
    const first = secondsIn(await ageOf(page, east));
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThan(STALE_AFTER_MS / 1000);
    // The cellar camera never gave a picture: its card says so and is grey from the start.
    expect(await ageOf(page, ids['Willow garage cellar']!)).toBe('no picture yet');
    expect(await page.getAttribute(card(ids['Willow garage cellar']!), 'data-stale')).toBe('true');
    await page.screenshot({ path: join(ARTIFACTS, 'garages-post-pc.png') });

    // From now on no snapshot arrives (the camera "hangs"): the picture stays, its age grows each second, then it goes grey.
    await page.route('**/api/cameras/*/snapshot', (r) => r.abort());
    const blockedAt = Date.now();
    await page.waitForFunction((sel) => /^\d+ s ago$/.test(document.querySelector(`${sel} .garage-age`)?.textContent ?? '') && Number.parseInt(document.querySelector(`${sel} .garage-age`)!.textContent!, 10) >= 3, card(east), { timeout: 15_000 });
    const a = secondsIn(await ageOf(page, east));
    await page.waitForTimeout(2100);
    const b = secondsIn(await ageOf(page, east));
    expect(b - a).toBeGreaterThanOrEqual(2);
    expect(b - a).toBeLessThanOrEqual(3);
    await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('data-stale') === 'true', card(east), { timeout: STALE_AFTER_MS + 10_000 });
    const staleAge = secondsIn(await ageOf(page, east));
    expect(staleAge).toBeGreaterThanOrEqual(STALE_AFTER_MS / 1000);
    expect(Date.now() - blockedAt).toBeGreaterThanOrEqual(STALE_AFTER_MS - 6000); // not before the last picture (≤ one refresh before the block) was 15 s old
    expect(await page.$eval(`${card(east)} img.snapshot`, (img) => getComputedStyle(img).filter)).toContain('grayscale(1)');
    expect(await page.isVisible(`${card(east)} img.snapshot`)).toBe(true); // the last picture stays, grey
    await page.screenshot({ path: join(ARTIFACTS, 'garages-stale.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  itIf('an offline card says since when (the time of the change on the push channel)', async () => {
    const page = await postPc();
    const cellar = ids['Willow garage cellar']!;
    await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('data-status') === 'offline', card(cellar));
    // Never seen and no change heard yet: just "offline".
    expect(await page.textContent(`${card(cellar)} .garage-since`)).toBe('offline');
    const at = Date.now() - 14 * 60_000;
    const bus = tg.running.app.get(MqttBus, { strict: false });
    await bus.publish(Topics.cameraStatus(cellar), { status: 'offline', at: new Date(at).toISOString(), reason: 'connection refused' }, { retain: true, qos: 1 });
    const sameDay = new Date(at).toISOString().slice(0, 10) === new Date().toISOString().slice(0, 10);
    const expected = sameDay
      ? `offline (since ${new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' }).format(at)})`
      : `offline (since ${new Intl.DateTimeFormat('en', { dateStyle: 'short', timeStyle: 'short', timeZone: 'UTC' }).format(at)})`;
    await page.waitForFunction(([sel, text]) => document.querySelector(`${sel} .garage-since`)?.textContent === text, [card(cellar), expected] as const, { timeout: 5000 });
    // Online cards have no "since".
    expect(await page.isVisible(`${card(ids['Willow garage east']!)} .garage-since`)).toBe(false);
    await page.screenshot({ path: join(ARTIFACTS, 'garages-offline-since.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  itIf('a click opens the live full-screen view; replay only where there are recordings, opening the playback of the newest', async () => {
    const page = await postPc();
    const [east, west] = [ids['Willow garage east']!, ids['Willow garage west']!];
    await page.click(`${card(east)} .garage-open`);
    await page.waitForSelector(`#overlay:not([hidden]) .overlay-video[data-camera-id="${east}"]`);
    expect(await page.textContent('#replay-mode')).toBe('Live');
    await page.click('#overlay .overlay-close');
    await page.waitForSelector('#overlay', { state: 'hidden' });

    await page.waitForSelector(`${card(west)} .garage-replay:not([hidden])`, { timeout: 10_000 });
    expect(await page.getAttribute(card(west), 'data-recorded')).toBe('true');
    expect(await page.getAttribute(card(east), 'data-recorded')).toBe('false');
    expect(await page.isVisible(`${card(east)} .garage-replay`)).toBe(false);
    await page.screenshot({ path: join(ARTIFACTS, 'garages-replay-button.png') });
    await page.click(`${card(west)} .garage-replay`);
    await page.waitForSelector(`#overlay:not([hidden]) .overlay-video[data-camera-id="${west}"]`);
    await page.waitForFunction(() => document.getElementById('replay-mode')?.dataset.mode === 'replay');
    expect(await page.textContent('#replay-mode')).toBe('Playback');
    await page.click('#overlay .overlay-close');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  itIf('in Chinese the age reads "N 秒前"', async () => {
    const page = await postPc('zh-CN');
    const east = ids['Willow garage east']!;
    await page.waitForFunction((sel) => /^\d+ 秒前$/.test(document.querySelector(`${sel} .garage-age`)?.textContent ?? ''), card(east), { timeout: 15_000 });
    expect(await page.textContent(`${card(east)} .garage-replay`)).toBe('回放');
    await page.screenshot({ path: join(ARTIFACTS, 'garages-zh-CN.png') });
    expect(errors).toEqual([]);
  });
});
