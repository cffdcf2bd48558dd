/**
 * Wall screens from the administration screen (issue 15, docs/kiosk.md) in a real browser (headless Chromium through
 * playwright-core, 1366×768, zh-CN) against a real gateway (embedded PGlite, in-process broker) with discovery and one
 * simulated ONVIF camera for alarms: North Station's admin enrols a wall device on Administration → 电视墙屏幕 and sees
 * its enrolment address once (not in the list, not kept after "done", never in the page's console or storage); the
 * address opened in a second browser context becomes the kiosk wall with no login page; a raised alert level orders
 * the kiosk exactly as the station wall beside it (hotspot cameras, then the level's tags, then the rest; the same
 * shortened dwell), and back; a motion on the simulated camera marks its kiosk tile until the motion ends; revoking
 * it from the admin screen (after a confirmation, which can be cancelled) drops the kiosk to "此屏幕已被撤销。".
 * Screenshots test-artifacts/console/wall-devices-*.png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startCameraFleet, type Fleet } from '../apps/camera-sim/src/fleet';
import { DiscoveryModule } from '../apps/discovery/src/discovery.module';
import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { PartitionerModule } from '../apps/partitioner/src/partitioner.module';
import { startTestProcess, TestProcess } from './support/harness';
import { hasChromium, launchChromium } from './support/chromium';

jest.setTimeout(180_000);

const ARTIFACTS = join(__dirname, '..', 'test-artifacts', 'console');
const itIf = hasChromium ? it : it.skip;
// Embedded and external runs may overlap: each uses its own loopback block (bench:kiosk-soak keeps to 127.0.146.101+).
const BLOCK = process.env.TIERGATE_TEST_MODE === 'external' ? 147 : 146;
const DEVICE_NAME = '北站一号墙';
/** The console's default tour of the station wall, also given to the device, so both shorten it alike. */
const TOUR_S = 20;

const square = (w: number, s: number, e: number, n: number) => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const DISTRICT = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { code: 'SB', name: 'River Sub-bureau', tier: 'sub-bureau', parentCode: null }, geometry: square(116.28, 39.88, 116.42, 39.96) },
    { type: 'Feature', properties: { code: 'ST1', name: 'North Station', tier: 'station', parentCode: 'SB' }, geometry: square(116.3, 39.9, 116.36, 39.93) },
    { type: 'Feature', properties: { code: 'ST2', name: 'South Station', tier: 'station', parentCode: 'SB' }, geometry: square(116.36, 39.9, 116.42, 39.93) },
  ],
};
/** The planted cluster of recent incidents in North Station. */
const HOT = { lat: 39.925, lon: 116.305 };

describe('console: wall screens enrolled and revoked from the administration screen', () => {
  let tg: TestProcess;
  let fleet: Fleet;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const jur: Record<string, string> = {};
  const cam: Record<string, string> = {};
  let admin: Page;
  let kiosk: Page;
  let link = '';
  let secret = '';
  let deviceId = '';
  const errors: string[] = [];
  /** Every console message of every page (the secret must never be logged). */
  const consoleLines: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    fleet = await startCameraFleet({ count: 1, firstAddress: `127.0.${BLOCK}.1`, password: 'sim-pass' });
    tg = await startTestProcess(
      { name: 'console-wall-devices-test', modules: [PartitionerModule, GatewayModule, DiscoveryModule], http: true },
      { 'health.intervalSeconds': 3600, 'alarms.pullWaitSeconds': 2 },
    );
    const token = await tg.login();
    const imported = await tg.call('POST', '/api/jurisdictions/import', { token, raw: JSON.stringify(DISTRICT), contentType: 'application/geo+json' });
    if (imported.status >= 300) throw new Error(`jurisdiction import failed: ${imported.status} ${imported.text}`);
    for (const j of (await tg.call('GET', '/api/jurisdictions', { token })).body) jur[j.code] = j.id;
    const user = await tg.call('POST', '/api/users', { token, body: { username: 'north-admin', password: 'north-admin-pass', role: 'admin', jurisdictionId: jur.ST1 } });
    if (user.status !== 201) throw new Error(`north-admin: ${user.status} ${user.text}`);
    // As in console-alert-wall: names sort the hotspot cameras last and the garages after the plain ones, so the base
    // order is not the alert order; unreachable RTSP addresses (the order is what is tested). Plus the simulated
    // ONVIF camera ('M motion', North) for the alarm.
    const cams: [string, number, number, string[]][] = [
      ['A north gate', 39.905, 116.35, ['entrance']],
      ['B north lane', 39.908, 116.345, []],
      ['C north yard', 39.902, 116.355, []],
      ['Y garage east', 39.906, 116.352, ['garage']],
      ['Y garage west', 39.904, 116.33, ['garage']],
      ['Z market', HOT.lat + 0.0002, HOT.lon + 0.0003, []],
      ['Z market garage', HOT.lat - 0.0003, HOT.lon - 0.0002, ['garage']],
      ['S south gate', 39.91, 116.39, []],
    ];
    for (const [i, [name, lat, lon, tags]] of cams.entries()) {
      const res = await tg.call('POST', '/api/cameras', { token, body: { name, rtspUrl: `rtsp://127.0.${BLOCK}.${200 + i}:8554/main`, location: { lat, lon }, tags } });
      if (res.status !== 201) throw new Error(`camera ${name}: ${res.status} ${res.text}`);
      cam[name] = res.body.id;
    }
    const sim = fleet.cameras[0]!;
    const motion = await tg.call('POST', '/api/cameras', { token, body: { name: 'M motion', onvif: { host: sim.host, port: sim.onvifPort, username: 'admin', password: 'sim-pass' }, location: { lat: 39.912, lon: 116.34 } } });
    if (motion.status !== 201) throw new Error(`sim camera: ${motion.status} ${motion.text}`);
    cam['M motion'] = motion.body.id;
    const day = 86_400_000;
    const rows = ['id,type,occurred_at,lat,lon'];
    for (let i = 0; i < 30; i++) rows.push(`hot-${i},burglary,${new Date(Date.now() - (1 + (i % 20)) * day).toISOString()},${HOT.lat + (i % 3) * 0.0001},${HOT.lon + (i % 4) * 0.0001}`);
    [[39.905, 116.35], [39.915, 116.32], [39.91, 116.34], [39.92, 116.355], [39.91, 116.39], [39.92, 116.41]].forEach(([lat, lon], i) => rows.push(`bg-${i},robbery,${new Date(Date.now() - 10 * day).toISOString()},${lat},${lon}`));
    const seeded = await tg.call('POST', '/api/incidents/import', { token, raw: `${rows.join('\n')}\n`, contentType: 'text/csv' });
    if (seeded.status >= 300) throw new Error(`incident import: ${seeded.status} ${seeded.text}`);
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

  async function newPage(name: string, watchLogin = false): Promise<Page> {
    const context = await browser!.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    contexts.push(context);
    if (watchLogin) {
      await context.addInitScript(() => {
        // The whole life of the page: a login form ever shown is remembered.
        (window as any).__sawLogin = false;
        const check = () => { if (document.querySelector('#login-form')) (window as any).__sawLogin = true; };
        new MutationObserver(check).observe(document, { subtree: true, childList: true });
        setInterval(check, 100);
      });
    }
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(`${name}: ${e.message}`));
    page.on('console', (m) => consoleLines.push(`${name}: ${m.text()}`));
    await page.route(/^(?!http:\/\/127\.0\.0\.1[:/]).*/, (r) => { errors.push(`external request ${r.request().url()}`); return r.abort(); });
    return page;
  }
  const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `wall-devices-${name}.png`) });
  const kioskState = () => kiosk.evaluate(() => (window as any).__tiergate?.kiosk?.() ?? null);
  const rowState = () => admin.getAttribute(`#wall-device-rows tr[data-device-id="${deviceId}"]`, 'data-state');
  const kioskOrder = () => kiosk.$$eval('#kiosk-grid .tile[data-camera-id]', (ts) => ts.map((t) => (t as HTMLElement).dataset.cameraId!));

  itIf('the admin enrols a wall screen on 电视墙屏幕 and sees its enrolment address once', async () => {
    admin = await newPage('admin');
    await admin.goto(`${tg.url}/#/admin?tab=walls`);
    await admin.fill('#login-form input[name=username]', 'north-admin');
    await admin.fill('#login-form input[name=password]', 'north-admin-pass');
    await admin.click('#login-form button[type=submit]');
    await admin.waitForSelector('#new-wall-device');
    expect((await admin.textContent('#admin-tab-walls'))!.trim()).toBe('电视墙屏幕');
    await admin.waitForFunction(() => document.querySelector('#wall-device-rows')?.textContent?.trim() === '尚未登记电视墙屏幕。', undefined, { timeout: 5000 });
    // North's admin picks among its own subtree only
    const options = await admin.$$eval('#wall-device-jurisdiction option', (os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(options).toEqual([jur.ST1]);
    await admin.fill('#wall-device-name', DEVICE_NAME);
    await admin.selectOption('#wall-device-layout', '9');
    await admin.fill('#wall-device-monitors', '1');
    // a tour shorter than the server's minimum is said before anything is sent
    await admin.fill('#wall-device-tour', '3');
    await admin.click('#wall-device-submit');
    await admin.waitForFunction(() => document.querySelector('#wall-device-result')?.classList.contains('error'));
    expect((await admin.textContent('#wall-device-result'))!.trim()).toBe('轮巡：0 表示不轮巡，否则至少 5 秒。');
    expect((await tg.call('GET', '/api/wall-devices', { token: await tg.login() })).body).toEqual([]);
    await admin.fill('#wall-device-tour', String(TOUR_S));
    await admin.click('#wall-device-submit');
    await admin.waitForSelector('#wall-device-enrolment:not([hidden]) #wall-device-link');
    link = await admin.inputValue('#wall-device-link');
    const m = new RegExp(`^${tg.url.replace(/[.]/g, '\\.')}/#/kiosk\\?device=([0-9a-f-]{36})&secret=([A-Za-z0-9_-]{43})$`).exec(link);
    expect(m).not.toBeNull();
    deviceId = m![1]!;
    secret = m![2]!;
    expect((await admin.textContent('#wall-device-result'))!.trim()).toBe(`已登记电视墙屏幕“${DEVICE_NAME}”。`);
    const listed = (await tg.call('GET', '/api/wall-devices', { token: await tg.login() })).body;
    expect(listed).toEqual([expect.objectContaining({ id: deviceId, name: DEVICE_NAME, jurisdictionId: jur.ST1, layout: 9, monitors: 1, tourSeconds: TOUR_S, wallId: null, revoked: false, lastSeenAt: null })]);
    // the row: name, jurisdiction, what it shows, never seen, not opened yet; no secret in the table
    await admin.waitForSelector(`#wall-device-rows tr[data-device-id="${deviceId}"]`);
    const cells = await admin.$$eval(`#wall-device-rows tr[data-device-id="${deviceId}"] td`, (tds) => tds.map((td) => td.textContent!.trim()));
    expect(cells.slice(0, 5)).toEqual([DEVICE_NAME, 'North Station (派出所)', `辖区内全部摄像机；9 画面 × 1 台显示器；每 ${TOUR_S} 秒轮巡`, '从未', '尚未打开']);
    expect(await rowState()).toBe('waiting');
    expect(await admin.textContent('#wall-device-table')).not.toContain(secret);
    await shot(admin, 'enrolled');
    // "done" takes the address off the page: it is nowhere in the document, its fields or the browser's storage
    await admin.click('#wall-device-done');
    const leftovers = await admin.evaluate((s) => ({
      html: document.documentElement.outerHTML.includes(s),
      fields: [...document.querySelectorAll('input')].some((i) => i.value.includes(s)),
      storage: [...Object.values(localStorage), ...Object.values(sessionStorage)].some((v) => v.includes(s)),
    }), secret);
    expect(leftovers).toEqual({ html: false, fields: false, storage: false });
    await admin.reload();
    await admin.waitForSelector(`#wall-device-rows tr[data-device-id="${deviceId}"]`);
    expect(await admin.locator('#wall-device-link').count()).toBe(0);
  });

  itIf('the address opened in a second browser becomes the kiosk wall with no login page; the admin sees it in use', async () => {
    kiosk = await newPage('kiosk', true);
    await kiosk.goto(link);
    await kiosk.waitForSelector('#kiosk-grid .tile[data-camera-id]');
    await kiosk.waitForFunction(() => (window as any).__tiergate?.kiosk?.().state === 'running');
    expect(kiosk.url()).not.toContain(secret);
    expect(await kiosk.evaluate(() => (window as any).__sawLogin)).toBe(false);
    expect(await kiosk.isHidden('#header')).toBe(true);
    // North's eight cameras, the server's order, South's not
    const viewerList = (await tg.call('GET', '/api/cameras', { token: (await tg.call('POST', '/api/auth/device', { body: { deviceId, secret } })).body.accessToken })).body.map((c: { id: string }) => c.id);
    expect(viewerList).toHaveLength(8);
    expect(viewerList).not.toContain(cam['S south gate']);
    await kiosk.waitForFunction((want) => JSON.stringify([...document.querySelectorAll('#kiosk-grid .tile[data-camera-id]')].map((t) => (t as HTMLElement).dataset.cameraId)) === want, JSON.stringify(viewerList), { timeout: 10_000 });
    expect(await kiosk.textContent('#kiosk-label')).toBe(`${DEVICE_NAME} · 第 1/1 屏 · 第 1/1 页`);
    await shot(kiosk, 'kiosk');
    await admin.click('#wall-device-reload');
    await admin.waitForFunction((id) => document.querySelector(`#wall-device-rows tr[data-device-id="${id}"]`)?.getAttribute('data-state') === 'active', deviceId, { timeout: 5000 });
    const seen = await admin.textContent(`#wall-device-rows tr[data-device-id="${deviceId}"] .wall-device-seen`);
    expect(seen).not.toBe('从未');
    expect(await admin.textContent(`#wall-device-rows tr[data-device-id="${deviceId}"] .wall-device-state`)).toBe('使用中');
  });

  itIf('a raised alert level orders the kiosk as the station wall: hotspot cameras, then the level tags, the same shortened dwell; level 1 restores it', async () => {
    const adminToken = await tg.login('north-admin', 'north-admin-pass');
    const base = (await tg.call('GET', '/api/cameras?limit=500', { token: adminToken })).body as { id: string; tags: string[] }[];
    const baseOrder = base.map((c) => c.id);
    expect(await kioskOrder()).toEqual(baseOrder);
    // the station wall of the same station, beside it (the admin's own wall: its home is North Station)
    const wall = await newPage('station wall');
    await wall.goto(`${tg.url}/#/wall?layout=9`);
    await wall.fill('#login-form input[name=username]', 'north-admin');
    await wall.fill('#login-form input[name=password]', 'north-admin-pass');
    await wall.click('#login-form button[type=submit]');
    const wallOrder = () => wall.$$eval('#wall-grid .tile[data-camera-id]', (ts) => ts.map((t) => (t as HTMLElement).dataset.cameraId!));
    await wall.waitForFunction((n) => document.querySelectorAll('#wall-grid .tile[data-camera-id]').length === n, baseOrder.length, { timeout: 10_000 });
    expect(await wallOrder()).toEqual(baseOrder);
    expect(await kiosk.getAttribute('#kiosk-grid', 'data-dwell-seconds')).toBe(String(TOUR_S));

    const put = (level: number) => tg.call('PUT', `/api/jurisdictions/${jur.ST1}/alert-level`, { token: adminToken, body: { level, reason: 'market thefts' } });
    expect((await put(3)).status).toBe(200);
    const t0 = Date.now();
    const effects = (await tg.call('GET', `/api/jurisdictions/${jur.ST1}/alert-effects`, { token: adminToken })).body;
    expect(effects).toMatchObject({ level: 3, effects: { hotspotsFirst: true } });
    expect([...effects.hotspotCameraIds].sort()).toEqual([cam['Z market'], cam['Z market garage']].sort());
    const hot: string[] = effects.hotspotCameraIds.filter((id: string) => baseOrder.includes(id));
    const tags: string[] = effects.effects.priorityTags;
    const tagged = base.filter((c) => !hot.includes(c.id) && c.tags.some((x) => tags.includes(x))).map((c) => c.id);
    const rest = base.filter((c) => !hot.includes(c.id) && !tagged.includes(c.id)).map((c) => c.id);
    const expected = [...hot, ...tagged, ...rest];
    expect(expected).not.toEqual(baseOrder);
    const waitKiosk = (ids: string[], timeout: number) => kiosk.waitForFunction((want) => JSON.stringify([...document.querySelectorAll('#kiosk-grid .tile[data-camera-id]')].map((t) => (t as HTMLElement).dataset.cameraId)) === want, JSON.stringify(ids), { timeout });
    await waitKiosk(expected, 3000);
    const kioskMs = Date.now() - t0;
    await wall.waitForFunction((want) => JSON.stringify([...document.querySelectorAll('#wall-grid .tile[data-camera-id]')].map((t) => (t as HTMLElement).dataset.cameraId)) === want, JSON.stringify(expected), { timeout: 3000 });
    expect(await kioskOrder()).toEqual(await wallOrder());
    // the same shortened dwell on both
    await wall.waitForSelector('#wall-alert:not([hidden])');
    const wallDwell = await wall.$eval('#wall-alert', (e) => (e as HTMLElement).dataset.dwellSeconds);
    expect(Number(wallDwell)).toBeLessThan(TOUR_S);
    expect(await kiosk.getAttribute('#kiosk-grid', 'data-dwell-seconds')).toBe(wallDwell);
    expect(await kiosk.getAttribute('#kiosk-grid', 'data-alert-level')).toBe('3');
    expect((await kioskState()).dwellMs).toBe(Number(wallDwell) * 1000);
    await shot(kiosk, 'kiosk-alert');
    console.log(`kiosk reordered ${kioskMs} ms after the PUT answered; dwell ${TOUR_S} s -> ${wallDwell} s`);

    expect((await put(1)).status).toBe(200);
    await waitKiosk(baseOrder, 3000);
    await kiosk.waitForFunction((s) => document.querySelector('#kiosk-grid')?.getAttribute('data-dwell-seconds') === s, String(TOUR_S), { timeout: 2000 });
    expect(await kiosk.getAttribute('#kiosk-grid', 'data-alert-level')).toBe('1');
    await wall.close();
  });

  itIf("a motion on a camera marks its kiosk tile until the motion ends", async () => {
    const sim = fleet.cameras[0]!;
    const deadline = Date.now() + 20_000;
    while (sim.eventSubscriptions === 0) {
      if (Date.now() > deadline) throw new Error('discovery never subscribed to the simulated camera');
      await kiosk.waitForTimeout(200);
    }
    const tile = `#kiosk-grid .tile[data-camera-id="${cam['M motion']}"]`;
    expect(await kiosk.getAttribute(tile, 'class')).not.toContain('alarming');
    sim.triggerMotion(true);
    await kiosk.waitForSelector(`${tile}.alarming`, { timeout: 5000 });
    // only that camera's tile
    expect(await kiosk.$$eval('#kiosk-grid .tile.alarming', (ts) => ts.map((t) => (t as HTMLElement).dataset.cameraId))).toEqual([cam['M motion']]);
    await shot(kiosk, 'kiosk-alarm');
    sim.triggerMotion(false);
    await kiosk.waitForSelector(`${tile}:not(.alarming)`, { timeout: 5000 });
    expect((await kioskState()).alarmEvents).toBeGreaterThanOrEqual(2);
  });

  itIf('revoking from the admin screen asks first (cancel keeps it), then drops the kiosk to "此屏幕已被撤销。"', async () => {
    const revoke = `#wall-device-rows tr[data-device-id="${deviceId}"] .wall-device-revoke`;
    await admin.click(revoke);
    await admin.waitForSelector('#wall-device-confirm[open]');
    expect((await admin.textContent('#wall-device-confirm-title'))!.trim()).toBe(`撤销“${DEVICE_NAME}”？`);
    await shot(admin, 'confirm');
    await admin.click('#wall-device-confirm .confirm-no');
    await admin.waitForSelector('#wall-device-confirm', { state: 'detached' });
    expect((await tg.call('GET', '/api/wall-devices', { token: await tg.login() })).body[0].revoked).toBe(false);
    expect((await kioskState()).state).toBe('running');

    await admin.click(revoke);
    await admin.waitForSelector('#wall-device-confirm[open]');
    const started = Date.now();
    await admin.click('#wall-device-confirm .confirm-yes');
    await admin.waitForFunction((id) => document.querySelector(`#wall-device-rows tr[data-device-id="${id}"]`)?.getAttribute('data-state') === 'revoked', deviceId, { timeout: 5000 });
    expect(await admin.textContent(`#wall-device-rows tr[data-device-id="${deviceId}"] .wall-device-state`)).toMatch(/^已撤销 /);
    expect(await admin.locator(revoke).count()).toBe(0);
    await kiosk.waitForSelector('#kiosk-sentence[data-kind=revoked]', { timeout: 10_000 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await kiosk.textContent('#kiosk-sentence p'))!.trim()).toBe('此屏幕已被撤销。');
    expect(await kiosk.locator('#kiosk-grid').count()).toBe(0);
    expect(await kiosk.evaluate(() => (window as any).__sawLogin)).toBe(false);
    await shot(admin, 'revoked');
    await shot(kiosk, 'kiosk-revoked');
    const audit = (await tg.call('GET', `/api/audit?targetId=${deviceId}`, { token: await tg.login() })).body.map((e: { action: string }) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['wall-device.enrol', 'auth.device', 'wall-device.revoke']));
    expect(consoleLines.filter((l) => l.includes(secret))).toEqual([]);
    expect(errors).toEqual([]);
  });
});
