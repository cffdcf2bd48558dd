/**
 * The console's "broken today" list of issue 15, each in a real browser (headless Chromium through
 * playwright-core) against a real gateway. Screenshots in test-artifacts/console-fixes/.
 * Sessions live 15 s here, so the renewal of a login is exercised by every test that runs longer.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { Topics } from '@tiergate/contracts';
import { MqttBus } from '@tiergate/messaging';
import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { PartitionerModule } from '../apps/partitioner/src/partitioner.module';
import { startTestProcess, TestProcess } from './support/harness';
import { hasChromium, launchChromium } from './support/chromium';

jest.setTimeout(90_000);

const ARTIFACTS = join(__dirname, '..', 'test-artifacts', 'console-fixes');
const itIf = hasChromium ? it : it.skip;
const SESSION_TTL_S = 15;
/** The wall's periodic refresh, shortened for the test through the page's hook. */
const WALL_REFRESH_MS = 1500;

const square = (w: number, s: number, e: number, n: number) => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const DISTRICT = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { code: 'SB', name: 'River Sub-bureau', tier: 'sub-bureau', parentCode: null }, geometry: square(116.28, 39.88, 116.40, 39.96) },
    { type: 'Feature', properties: { code: 'ST1', name: 'North Station', tier: 'station', parentCode: 'SB' }, geometry: square(116.30, 39.90, 116.36, 39.93) },
    { type: 'Feature', properties: { code: 'P1', name: 'Elm Post', tier: 'post', parentCode: 'ST1' }, geometry: square(116.30, 39.90, 116.33, 39.93) },
    { type: 'Feature', properties: { code: 'P2', name: 'Oak Post', tier: 'post', parentCode: 'ST1' }, geometry: square(116.33, 39.90, 116.36, 39.93) },
  ],
};

describe('console fixes (issue 15, broken today)', () => {
  let tg: TestProcess;
  let browser: Browser | undefined;
  const jur: Record<string, string> = {};
  const cameraIds: Record<string, string> = {};
  const contexts: BrowserContext[] = [];
  /** A fresh admin token (sessions are short here). */
  const admin = () => tg.login();

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    tg = await startTestProcess(
      { name: 'console-fixes-test', modules: [PartitionerModule, GatewayModule], http: true },
      { 'auth.sessionTtlSeconds': SESSION_TTL_S, 'health.intervalSeconds': 3600 },
    );
    const token = await admin();
    const imported = await tg.call('POST', '/api/jurisdictions/import', { token, raw: JSON.stringify(DISTRICT), contentType: 'application/geo+json' });
    if (imported.status >= 300) throw new Error(`jurisdiction import failed: ${imported.status} ${imported.text}`);
    for (const j of (await tg.call('GET', '/api/jurisdictions', { token })).body) jur[j.code] = j.id;
    for (const [username, role, code] of [['north-op', 'operator', 'ST1'], ['north-viewer', 'viewer', 'ST1'], ['crime-analyst', 'analyst', 'SB']]) {
      const res = await tg.call('POST', '/api/users', { token, body: { username, password: `${username}-pass`, role, jurisdictionId: jur[code] } });
      if (res.status !== 201) throw new Error(`user ${username}: ${res.status} ${res.text}`);
    }
    // Unreachable RTSP addresses: the tiles connect and fail, which is all these tests need.
    const cams: [string, number, number, string[]][] = [
      ['Elm garage A', 39.912, 116.31, ['garage']],
      ['Elm garage B', 39.915, 116.315, ['garage']],
      ['Elm gate', 39.917, 116.318, ['entrance']],
      ['Oak garage', 39.912, 116.345, ['garage']],
    ];
    for (const [i, [name, lat, lon, tags]] of cams.entries()) {
      const res = await tg.call('POST', '/api/cameras', { token, body: { name, rtspUrl: `rtsp://127.0.27.${i + 1}:8554/main`, location: { lat, lon }, tags } });
      if (res.status !== 201) throw new Error(`camera ${name}: ${res.status} ${res.text}`);
      cameraIds[name] = res.body.id;
    }
    if (hasChromium) {
      browser = await launchChromium();
    }
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await tg?.stop();
  });

  /** A fresh browser context (one PC), logged in through the form at `route`. */
  async function pc(username: string, route = 'wall', refreshMs = WALL_REFRESH_MS): Promise<{ page: Page; context: BrowserContext; errors: string[] }> {
    const context = await browser!.newContext({ viewport: { width: 1366, height: 768 } });
    contexts.push(context);
    await context.addInitScript((ms) => { (window as any).__tiergateWallRefreshMs = ms; }, refreshMs);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.route(/^(?!http:\/\/127\.0\.0\.1[:/]).*/, (r) => { errors.push(`external request ${r.request().url()}`); return r.abort(); });
    await page.goto(`${tg.url}/#/${route}`);
    await page.fill('#login-form input[name=username]', username);
    await page.fill('#login-form input[name=password]', `${username}-pass`);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#header:not([hidden])');
    return { page, context, errors };
  }
  const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
  const tileIds = (page: Page) => page.$$eval('#wall-grid .tile[data-camera-id]', (ts) => ts.map((t) => (t as HTMLElement).dataset.cameraId!));

  itIf('a preset saved on one PC of the station appears by name and opens on another PC', async () => {
    const a = await pc('north-op');
    await a.page.fill('#wall-tag', 'garage');
    await a.page.dispatchEvent('#wall-tag', 'change');
    await a.page.waitForFunction(() => document.querySelectorAll('#wall-grid .tile[data-camera-id]').length === 3);
    a.page.once('dialog', (d) => void d.accept('Garages north'));
    await a.page.click('#wall-save-preset');
    await a.page.waitForFunction(() => [...document.querySelectorAll('#wall-preset option')].some((o) => o.textContent === 'Garages north'));
    expect(await a.page.$$eval('#wall-preset option', (os) => os.map((o) => o.textContent))).not.toContain('[object HTMLOptionElement]');
    const walls = (await tg.call('GET', '/api/walls', { token: await admin() })).body;
    expect(walls.map((w: any) => w.name)).toContain('Garages north');

    const b = await pc('north-viewer');
    await b.page.waitForFunction(() => [...document.querySelectorAll('#wall-preset option')].some((o) => o.textContent === 'Garages north'));
    const value = await b.page.$eval('#wall-preset', (s) => [...(s as HTMLSelectElement).options].find((o) => o.textContent === 'Garages north')!.value);
    await b.page.selectOption('#wall-preset', value);
    await b.page.waitForFunction(() => document.querySelectorAll('#wall-grid .tile[data-camera-id]').length === 3);
    expect((await tileIds(b.page)).sort()).toEqual([cameraIds['Elm garage A'], cameraIds['Elm garage B'], cameraIds['Oak garage']].sort());
    await shot(b.page, 'preset-on-second-pc');
    expect([...a.errors, ...b.errors]).toEqual([]);
    await a.context.close();
    await b.context.close();
  });

  itIf('a wall stays logged in past the session length and a second tab needs no login', async () => {
    const first = await pc('north-op');
    const second = await first.context.newPage();
    await second.goto(`${tg.url}/#/wall`);
    await second.waitForSelector('#header:not([hidden])', { timeout: 5000 });
    expect(await second.$('#login-form')).toBeNull();
    // Twice the session length: both tabs still show the wall and their token is accepted.
    await first.page.waitForTimeout(2 * SESSION_TTL_S * 1000);
    for (const page of [first.page, second]) {
      expect(await page.$('#login-form')).toBeNull();
      expect(await page.$('#screen-wall')).not.toBeNull();
      const status = await page.evaluate(async () => {
        const s = JSON.parse(localStorage.getItem('tiergate.session') ?? 'null');
        return (await fetch('/api/jurisdictions', { headers: { authorization: `Bearer ${s?.accessToken}` } })).status;
      });
      expect(status).toBe(200);
    }
    await shot(second, 'second-tab-after-two-session-lengths');
    // Logging out in one tab ends the other.
    await first.page.click('#logout');
    await second.waitForSelector('#login-form', { timeout: 5000 });
    expect(first.errors).toEqual([]);
    await first.context.close();
  }, 120_000);

  itIf('an open wall shows a camera added, renamed or removed without a reload', async () => {
    const { page, context, errors } = await pc('north-op');
    await page.fill('#wall-tag', 'garage');
    await page.dispatchEvent('#wall-tag', 'change');
    await page.waitForFunction(() => document.querySelectorAll('#wall-grid .tile[data-camera-id]').length === 3);
    const token = await admin();
    const added = await tg.call('POST', '/api/cameras', { token, body: { name: 'New garage', rtspUrl: 'rtsp://127.0.27.9:8554/main', location: { lat: 39.913, lon: 116.312 }, tags: ['garage'] } });
    expect(added.status).toBe(201);
    await page.waitForFunction((id) => !!document.querySelector(`#wall-grid .tile[data-camera-id="${id}"]`), added.body.id, { timeout: 10_000 });
    const renamed = await tg.call('PATCH', `/api/cameras/${cameraIds['Oak garage']}`, { token, body: { name: 'Oak garage renamed' } });
    expect(renamed.status).toBe(200);
    await page.waitForFunction((id) => document.querySelector(`#wall-grid .tile[data-camera-id="${id}"] .tile-name`)?.textContent === 'Oak garage renamed', cameraIds['Oak garage'], { timeout: 10_000 });
    expect((await tg.call('DELETE', `/api/cameras/${added.body.id}`, { token })).status).toBe(204);
    await page.waitForFunction((id) => !document.querySelector(`#wall-grid .tile[data-camera-id="${id}"]`), added.body.id, { timeout: 10_000 });
    await shot(page, 'wall-refreshed');
    expect(errors).toEqual([]);
    await context.close();
  });

  itIf('the full-screen overlay has an opaque top bar', async () => {
    const { page, context, errors } = await pc('north-op');
    await page.waitForSelector('#wall-grid .tile[data-camera-id]');
    await page.dblclick('#wall-grid .tile[data-camera-id]');
    await page.waitForSelector('#overlay:not([hidden]) .overlay-bar');
    const bg = await page.$eval('.overlay-bar', (el) => getComputedStyle(el).backgroundColor);
    const alpha = /rgba\([^)]*,\s*([\d.]+)\)/.exec(bg)?.[1];
    expect(bg).not.toBe('rgba(0, 0, 0, 0)');
    expect(alpha === undefined || Number(alpha) === 1).toBe(true);
    // Nothing of the page shows through at the bar: the element at its centre is the bar or inside it.
    const onTop = await page.evaluate(() => {
      const r = document.querySelector('.overlay-bar')!.getBoundingClientRect();
      return !!document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)?.closest('.overlay-bar');
    });
    expect(onTop).toBe(true);
    await shot(page, 'overlay-bar');
    expect(errors).toEqual([]);
    await context.close();
  });

  itIf('the camera editor shows the jurisdiction the camera has after a save', async () => {
    const { page, context, errors } = await pc('north-op', 'operators');
    await page.waitForFunction(() => document.querySelectorAll('#camera-rows tr').length >= 4);
    await page.locator('#camera-rows tr', { hasText: 'Elm gate' }).locator('button.edit').click();
    await page.waitForSelector('#camera-editor:not([hidden])');
    expect(await page.inputValue('#edit-jurisdiction')).toBe(jur.P1);
    // Moved into Oak Post: the server places it there, the editor says so.
    await page.fill('#camera-editor input[name=lat]', '39.915');
    await page.fill('#camera-editor input[name=lon]', '116.35');
    await page.click('#camera-editor button:has-text("Save")');
    await page.waitForSelector('#camera-editor .result.ok');
    const stored = (await tg.call('GET', `/api/cameras/${cameraIds['Elm gate']}`, { token: await admin() })).body;
    expect(stored.jurisdictionId).toBe(jur.P2);
    await page.waitForFunction((id) => (document.querySelector('#edit-jurisdiction') as HTMLSelectElement).value === id, jur.P2, { timeout: 5000 });
    await shot(page, 'editor-after-save');
    expect(errors).toEqual([]);
    await context.close();
  });

  itIf('inverted hotspot dates are refused in the form with a message, and by the API with 400', async () => {
    const token = await admin();
    for (const path of ['/api/hotspots', '/api/hotspots/summary']) {
      const res = await tg.call('GET', `${path}?from=2026-03-10&to=2026-03-01`, { token });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    const { page, context, errors } = await pc('crime-analyst', 'hotspots');
    await page.waitForSelector('#hs-form');
    const asked: string[] = [];
    page.on('request', (r) => { if (r.url().includes('/api/hotspots')) asked.push(r.url()); });
    await page.fill('#hs-from', '2026-03-10');
    await page.fill('#hs-to', '2026-03-01');
    await page.click('#hs-form button[type=submit]');
    await page.waitForSelector('#hs-date-error:not(:empty)');
    expect(await page.textContent('#hs-date-error')).toMatch(/after/i);
    expect(asked).toEqual([]);
    await shot(page, 'hotspots-inverted-dates');
    expect(errors).toEqual([]);
    await context.close();
  });

  itIf('a wall filter that matches no camera says so in words', async () => {
    const { page, context, errors } = await pc('north-op');
    await page.fill('#wall-tag', 'no-such-tag');
    await page.dispatchEvent('#wall-tag', 'change');
    await page.waitForSelector('#wall-empty:not([hidden])');
    expect(await page.textContent('#wall-empty')).toMatch(/no cameras match/i);
    expect(await tileIds(page)).toEqual([]);
    await shot(page, 'wall-no-match');
    await page.fill('#wall-tag', 'garage');
    await page.dispatchEvent('#wall-tag', 'change');
    await page.waitForSelector('#wall-grid .tile[data-camera-id]');
    expect(await page.isHidden('#wall-empty')).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  itIf('a route the role may not open says so instead of showing the wall', async () => {
    const { page, context, errors } = await pc('north-viewer');
    await page.evaluate(() => { location.hash = '#/operators'; });
    await page.waitForSelector('#route-refused');
    expect(await page.textContent('#route-refused')).toMatch(/not available for your role/i);
    expect(await page.$('#screen-wall')).toBeNull();
    await shot(page, 'route-refused');
    // An allowed route still opens.
    await page.click('#nav a[data-route=map]');
    await page.waitForSelector('#screen-map');
    expect(errors).toEqual([]);
    await context.close();
  });

  itIf('an open wall follows the push channel: a status change relabels its tile, a new camera appears, within seconds', async () => {
    // The periodic check is set to 10 min here: what changes comes through GET /api/events.
    const { page, context, errors } = await pc('north-op', 'wall', 600_000);
    await page.fill('#wall-tag', 'garage');
    await page.dispatchEvent('#wall-tag', 'change');
    await page.waitForFunction(() => document.querySelectorAll('#wall-grid .tile[data-camera-id]').length >= 3);
    const id = cameraIds['Elm garage A'];
    const bus = tg.running.app.get(MqttBus, { strict: false });
    const badge = (cameraId: string) => page.evaluate((cid) => document.querySelector(`#wall-grid .tile[data-camera-id="${cid}"] .tile-label .status`)?.textContent ?? null, cameraId);
    const before = await badge(id);
    const next = before === 'offline' ? 'unauthorized' : 'offline';
    const sent = Date.now();
    await bus.publish(Topics.cameraStatus(id), { status: next, at: new Date().toISOString(), reason: 'test' }, { retain: true, qos: 1 });
    await page.waitForFunction(([cid, s]) => document.querySelector(`#wall-grid .tile[data-camera-id="${cid}"] .tile-label .status`)?.textContent === s, [id, next], { timeout: 5000 });
    expect(Date.now() - sent).toBeLessThan(5000);
    const added = await tg.call('POST', '/api/cameras', { token: await admin(), body: { name: 'Pushed garage', rtspUrl: 'rtsp://127.0.27.10:8554/main', location: { lat: 39.914, lon: 116.313 }, tags: ['garage'] } });
    expect(added.status).toBe(201);
    await page.waitForFunction((cid) => !!document.querySelector(`#wall-grid .tile[data-camera-id="${cid}"]`), added.body.id, { timeout: 8000 });
    await shot(page, 'wall-live-events');
    expect(errors).toEqual([]);
    await context.close();
  });
});
