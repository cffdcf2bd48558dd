/**
 * Always-on walls (issue 15, docs/kiosk.md) in a real browser (headless Chromium through playwright-core) against a
 * whole Tiergate process (gateway, partitioner, a transcoder, simulated cameras) on an on-disk database, so it can be
 * restarted: a station admin enrols a wall device for North Station (two monitors, one tile each); the device's
 * credential reads its jurisdiction only (South Station's camera is 404), cannot write (POST /api/cameras 403) and
 * cannot log in with a password; the enrolment address opens the kiosk, whose two windows show different pages of one
 * wall, video playing; the Tiergate process is restarted, then restarted with a rotated session key, and both windows
 * go on playing without ever showing the login form (watched on the DOM throughout); revoking the device shows
 * "此屏幕已被撤销" on both within seconds. Screenshots in test-artifacts/console/kiosk-*.png.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createScratchDatabase, type ScratchDatabase } from '@tiergate/persistence';
import { startCameraFleet, type Fleet } from '../apps/camera-sim/src/fleet';
import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { PartitionerModule } from '../apps/partitioner/src/partitioner.module';
import { TranscoderModule } from '../apps/transcoder/src/transcoder.module';
import { startTestProcess, TestProcess } from './support/harness';
import { hasChromium, launchChromium } from './support/chromium';

jest.setTimeout(240_000);

const ARTIFACTS = join(__dirname, '..', 'test-artifacts', 'console');
const itIf = hasChromium ? it : it.skip;
// Embedded and external runs may overlap: each uses its own loopback block.
const BLOCK = process.env.TIERGATE_TEST_MODE === 'external' ? 135 : 134;
const DEVICE_NAME = '北站一号墙';
const ROTATED_SESSION_KEY = 'rotated-session-key-for-the-kiosk-test';

const square = (w: number, s: number, e: number, n: number) => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const DISTRICT = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { code: 'SB', name: 'River Sub-bureau', tier: 'sub-bureau', parentCode: null }, geometry: square(116.28, 39.88, 116.4, 39.96) },
    { type: 'Feature', properties: { code: 'ST1', name: 'North Station', tier: 'station', parentCode: 'SB' }, geometry: square(116.3, 39.9, 116.36, 39.93) },
    { type: 'Feature', properties: { code: 'P1', name: 'Elm Post', tier: 'post', parentCode: 'ST1' }, geometry: square(116.3, 39.9, 116.33, 39.93) },
    { type: 'Feature', properties: { code: 'P2', name: 'Oak Post', tier: 'post', parentCode: 'ST1' }, geometry: square(116.33, 39.9, 116.36, 39.93) },
    { type: 'Feature', properties: { code: 'ST2', name: 'South Station', tier: 'station', parentCode: 'SB' }, geometry: square(116.3, 39.88, 116.36, 39.9) },
  ],
};
/** Three cameras of North Station (two posts) and one of South Station. */
const PLACES = [
  { name: 'Elm gate', lat: 39.915, lon: 116.31 },
  { name: 'Elm yard', lat: 39.92, lon: 116.32 },
  { name: 'Oak corner', lat: 39.915, lon: 116.345 },
  { name: 'South market', lat: 39.89, lon: 116.33 },
];

/** A TCP port free on loopback now (the restarted process must listen where the kiosk's pages are). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('console kiosk: wall devices that survive restarts and key rotation', () => {
  let tg: TestProcess;
  let fleet: Fleet;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let port = 0;
  let dataDir = '';
  let scratch: ScratchDatabase | undefined;
  const jur: Record<string, string> = {};
  const cameraIds: string[] = [];
  let admin = '';
  let northAdmin = '';
  let southAdmin = '';
  let device: { id: string; username: string } = { id: '', username: '' };
  let secret = '';
  let enrolmentUrl = '';
  const monitors: Page[] = [];
  const errors: string[] = [];

  async function startTiergate(sessionKey?: string): Promise<TestProcess> {
    return startTestProcess(
      { name: 'console-kiosk-test', modules: [PartitionerModule, GatewayModule, TranscoderModule], http: true },
      {
        'http.port': port,
        dataDir,
        'database.url': scratch?.url ?? '',
        'transcoder.startTimeoutMs': 15000,
        'health.intervalSeconds': 3600,
        ...(sessionKey ? { 'auth.sessionKey': sessionKey } : {}),
      },
    );
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    port = await freePort();
    dataDir = mkdtempSync(join(tmpdir(), 'tg-kiosk-'));
    if (process.env.TIERGATE_TEST_MODE === 'external') scratch = await createScratchDatabase(process.env.DATABASE_URL!);
    fleet = await startCameraFleet({ count: PLACES.length, firstAddress: `127.0.${BLOCK}.1`, password: 'sim-pass' });
    tg = await startTiergate();
    admin = await tg.login();
    const imported = await tg.call('POST', '/api/jurisdictions/import', { token: admin, raw: JSON.stringify(DISTRICT), contentType: 'application/geo+json' });
    if (imported.status >= 300) throw new Error(`jurisdiction import failed: ${imported.status} ${imported.text}`);
    for (const j of (await tg.call('GET', '/api/jurisdictions', { token: admin })).body) jur[j.code] = j.id;
    for (const [username, code] of [['north-admin', 'ST1'], ['south-admin', 'ST2']] as const) {
      const res = await tg.call('POST', '/api/users', { token: admin, body: { username, password: `${username}-pass`, role: 'admin', jurisdictionId: jur[code] } });
      if (res.status !== 201) throw new Error(`user ${username}: ${res.status} ${res.text}`);
    }
    northAdmin = await tg.login('north-admin', 'north-admin-pass');
    southAdmin = await tg.login('south-admin', 'south-admin-pass');
    for (const [i, place] of PLACES.entries()) {
      const cam = fleet.cameras[i]!;
      const res = await tg.call('POST', '/api/cameras', { token: admin, body: { name: place.name, onvif: { host: cam.host, port: cam.onvifPort, username: 'admin', password: 'sim-pass' }, location: { lat: place.lat, lon: place.lon } } });
      if (res.status !== 201) throw new Error(`camera ${place.name}: ${res.status} ${res.text}`);
      cameraIds.push(res.body.id);
    }
    if (hasChromium) {
      browser = await launchChromium();
    }
  }, 120_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await tg?.stop();
    await fleet?.stop();
    await scratch?.drop().catch(() => undefined);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `kiosk-${name}.png`) });
  const kioskState = (page: Page) => page.evaluate(() => (window as any).__tiergate?.kiosk?.() ?? null);
  const exchange = (body: unknown) => tg.call('POST', '/api/auth/device', { body });

  /** Whether every tile of the window is live and its picture moves (presented frames change over a second). */
  async function playing(page: Page): Promise<boolean> {
    const frames = async () => {
      const s = await kioskState(page);
      const players = (s?.players ?? []) as { state: string; presentedFrames: number; tileCamera: string }[];
      return s?.state === 'running' && players.length > 0 && players.every((p) => p.state === 'live') ? players.map((p) => `${p.tileCamera}:${p.presentedFrames}`) : null;
    };
    const before = await frames();
    await page.waitForTimeout(1000);
    const after = await frames();
    return before !== null && after !== null && before.every((f, i) => f !== after[i]);
  }
  async function untilPlaying(page: Page, what: string, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await playing(page))) {
      if (Date.now() > deadline) throw new Error(`${what}: the kiosk does not play within ${timeoutMs} ms: ${JSON.stringify(await kioskState(page))}; tiles say ${JSON.stringify(await page.evaluate(() => [...document.querySelectorAll('.tile-label')].map((l) => l.textContent)))}`);
      await page.waitForTimeout(500);
    }
  }
  /** What the page's DOM watcher saw since the kiosk opened: a login form, a header shown. */
  const sawLogin = (page: Page) => page.evaluate(() => ({ login: (window as any).__sawLogin as boolean, header: (window as any).__sawHeader as boolean, now: document.querySelector('#login-form') !== null }));

  it('an admin enrols a wall device for a jurisdiction of its subtree; the secret is answered once; another station neither lists nor revokes it', async () => {
    const outside = await tg.call('POST', '/api/wall-devices', { token: northAdmin, body: { name: 'not mine', jurisdictionId: jur.ST2 } });
    expect(outside.status).toBe(400);
    expect(outside.body.message).toBe('jurisdictionId: no such jurisdiction');
    const res = await tg.call('POST', '/api/wall-devices', { token: northAdmin, body: { name: DEVICE_NAME, jurisdictionId: jur.ST1, monitors: 2, layout: 1 } });
    expect(res.status).toBe(201);
    device = res.body.device;
    secret = res.body.secret;
    enrolmentUrl = res.body.enrolmentUrl;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(enrolmentUrl).toBe(`/#/kiosk?device=${device.id}&secret=${secret}`);
    expect(res.body.device).toEqual(expect.objectContaining({ name: DEVICE_NAME, username: `device:${DEVICE_NAME}`, jurisdictionId: jur.ST1, wallId: null, monitors: 2, layout: 1, tourSeconds: 0, revoked: false, lastSeenAt: null }));
    // the same name again: taken
    expect((await tg.call('POST', '/api/wall-devices', { token: northAdmin, body: { name: DEVICE_NAME, jurisdictionId: jur.P1 } })).status).toBe(409);
    const listed = (await tg.call('GET', '/api/wall-devices', { token: northAdmin })).body;
    expect(listed.map((d: { id: string }) => d.id)).toEqual([device.id]);
    expect(JSON.stringify(listed)).not.toContain(secret);
    expect((await tg.call('GET', '/api/wall-devices', { token: southAdmin })).body).toEqual([]);
    expect((await tg.call('DELETE', `/api/wall-devices/${device.id}`, { token: southAdmin })).status).toBe(404);
    // a viewer of the station may not enrol
    expect((await tg.call('POST', '/api/wall-devices', { token: (await exchange({ deviceId: device.id, secret })).body.accessToken, body: { name: 'x', jurisdictionId: jur.ST1 } })).status).toBe(403);
  });

  it("the device's credential reads only its jurisdiction, cannot write, and is no password login", async () => {
    expect((await exchange({ deviceId: device.id, secret: `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}` })).status).toBe(401);
    expect((await exchange({ deviceId: '00000000-0000-4000-8000-000000000000', secret })).status).toBe(401);
    const session = await exchange({ deviceId: device.id, secret });
    expect(session.status).toBe(200);
    expect(session.body.user).toEqual(expect.objectContaining({ username: `device:${DEVICE_NAME}`, role: 'viewer', jurisdictionId: jur.ST1 }));
    const token = session.body.accessToken;
    const seen = (await tg.call('GET', '/api/cameras', { token })).body.map((c: { id: string }) => c.id).sort();
    expect(seen).toEqual(cameraIds.slice(0, 3).sort());
    expect((await tg.call('GET', `/api/cameras/${cameraIds[3]}`, { token })).status).toBe(404);
    expect((await tg.call('GET', `/api/cameras/${cameraIds[0]}`, { token })).status).toBe(200);
    const write = await tg.call('POST', '/api/cameras', { token, body: { name: 'planted', rtspUrl: 'rtsp://127.0.0.1/x', location: { lat: 39.915, lon: 116.31 } } });
    expect(write.status).toBe(403);
    expect(write.body.message).toBe('a wall device only watches: this call is not open to it');
    expect((await tg.call('POST', '/api/walls', { token, body: { name: 'w', cameraIds: [cameraIds[0]] } })).status).toBe(403);
    expect((await tg.call('POST', '/api/auth/logout', { token })).status).toBe(403);
    expect((await tg.call('GET', '/api/auth/device', { token })).body.id).toBe(device.id);
    // no password opens its account, not even its secret; and the users API does not manage it
    for (const password of [secret, 'north-admin-pass', 'anything-at-all']) {
      expect((await tg.call('POST', '/api/auth/login', { body: { username: `device:${DEVICE_NAME}`, password } })).status).toBe(401);
    }
    const userId = session.body.user.id;
    expect((await tg.call('GET', '/api/users', { token: northAdmin })).body.map((u: { id: string }) => u.id)).not.toContain(userId);
    expect((await tg.call('PATCH', `/api/users/${userId}`, { token: northAdmin, body: { password: 'a-new-good-password-7', role: 'admin' } })).status).toBe(404);
    expect((await tg.call('GET', '/api/auth/device', { token: northAdmin })).status).toBe(404);
  });

  itIf('the enrolment address opens the kiosk: no login, no menu; two monitors show different pages of one wall, both playing', async () => {
    context = await browser!.newContext({ viewport: { width: 1280, height: 720 }, locale: 'zh-CN' });
    await context.addInitScript(() => {
      // Watches the whole life of the page: the login form or the header, ever shown, is remembered.
      (window as any).__sawLogin = false;
      (window as any).__sawHeader = false;
      const check = () => {
        if (document.querySelector('#login-form')) (window as any).__sawLogin = true;
        const header = document.getElementById('header');
        if (header && !header.hidden && getComputedStyle(header).display !== 'none') (window as any).__sawHeader = true;
      };
      new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
      setInterval(check, 100);
    });
    for (const [i, address] of [`${tg.url}${enrolmentUrl}`, `${tg.url}/#/kiosk?monitor=2&of=2`].entries()) {
      const page = await context.newPage();
      page.on('pageerror', (e) => errors.push(`monitor ${i + 1}: ${e.message}`));
      await page.route(/^(?!http:\/\/127\.0\.0\.1[:/]).*/, (r) => { errors.push(`external request ${r.request().url()}`); return r.abort(); });
      await page.goto(address);
      await page.waitForSelector('#kiosk-grid');
      monitors.push(page);
      // the secret leaves the address bar once stored
      expect(page.url()).not.toContain(secret);
    }
    for (const [i, page] of monitors.entries()) await untilPlaying(page, `monitor ${i + 1}`);
    const [one, two] = await Promise.all(monitors.map(kioskState));
    expect([one.monitor, one.of, two.monitor, two.of]).toEqual([1, 2, 2, 2]);
    expect(one.pages).toBe(3);
    expect([one.page, two.page]).toEqual([0, 1]);
    expect(one.cameraIds).toEqual(two.cameraIds);
    expect(one.tileCameraIds[0]).toBe(one.cameraIds[0]);
    expect(two.tileCameraIds[0]).toBe(one.cameraIds[1]);
    expect(await monitors[0]!.textContent('#kiosk-label')).toBe(`${DEVICE_NAME} · 第 1/2 屏 · 第 1/3 页`);
    for (const page of monitors) expect(await sawLogin(page)).toEqual({ login: false, header: false, now: false });
    await shot(monitors[0]!, 'monitor-1');
    await shot(monitors[1]!, 'monitor-2');
    const audit = (await tg.call('GET', `/api/audit?targetId=${device.id}`, { token: admin })).body.map((e: { action: string }) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['wall-device.enrol', 'auth.device']));
  });

  itIf('a restart of Tiergate, then a restart with a rotated session key: both monitors go on playing and never show the login form', async () => {
    // 1. the same configuration: the session stays valid, the players reconnect by themselves
    await tg.stop();
    await monitors[0]!.waitForTimeout(1500);
    tg = await startTiergate();
    for (const [i, page] of monitors.entries()) await untilPlaying(page, `monitor ${i + 1} after a restart`);
    for (const page of monitors) expect(await sawLogin(page)).toEqual({ login: false, header: false, now: false });

    // 2. the session key rotated: every token issued before is refused, the kiosk exchanges its secret again
    const tokenBefore = await monitors[0]!.evaluate(() => JSON.parse(localStorage.getItem('tiergate.session') ?? 'null')?.accessToken as string);
    const exchangesBefore = await Promise.all(monitors.map(async (p) => (await kioskState(p)).exchanges as number));
    await tg.stop();
    tg = await startTiergate(ROTATED_SESSION_KEY);
    expect((await tg.call('GET', '/api/cameras', { token: tokenBefore })).status).toBe(401);
    // every person's session ended too: log in again
    admin = await tg.login();
    northAdmin = await tg.login('north-admin', 'north-admin-pass');
    // The windows share the browser's session (localStorage): whichever is refused first exchanges the secret, the
    // other takes the new token from storage. Between them at least one exchange, and both running again.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const states = await Promise.all(monitors.map(kioskState));
      const token = await monitors[0]!.evaluate(() => JSON.parse(localStorage.getItem('tiergate.session') ?? 'null')?.accessToken as string);
      const exchanged = states.reduce((n, st) => n + st.exchanges, 0) > exchangesBefore.reduce((n, x) => n + x, 0);
      if (exchanged && token && token !== tokenBefore && states.every((st) => st.state === 'running')) break;
      if (Date.now() > deadline) throw new Error(`the kiosk did not renew its session after the rotation: ${JSON.stringify(states.map((st) => ({ ...st, players: undefined, device: undefined })))}`);
      await monitors[0]!.waitForTimeout(500);
    }
    for (const [i, page] of monitors.entries()) await untilPlaying(page, `monitor ${i + 1} after the session key rotation`);
    const tokenAfter = await monitors[0]!.evaluate(() => JSON.parse(localStorage.getItem('tiergate.session') ?? 'null')?.accessToken as string);
    expect(tokenAfter).not.toBe(tokenBefore);
    expect((await tg.call('GET', '/api/cameras', { token: tokenAfter })).status).toBe(200);
    for (const page of monitors) expect(await sawLogin(page)).toEqual({ login: false, header: false, now: false });
    const [one, two] = await Promise.all(monitors.map(kioskState));
    expect([one.page, two.page]).toEqual([0, 1]);
    await shot(monitors[0]!, 'after-rotation');
  });

  itIf('revoking the device shows "此屏幕已被撤销" on every monitor within seconds; its secret opens no session any more', async () => {
    const started = Date.now();
    expect((await tg.call('DELETE', `/api/wall-devices/${device.id}`, { token: northAdmin })).status).toBe(204);
    for (const page of monitors) {
      await page.waitForSelector('#kiosk-sentence[data-kind=revoked]', { timeout: 10_000 });
      expect((await page.textContent('#kiosk-sentence p'))!.trim()).toBe('此屏幕已被撤销。');
      expect(await page.locator('#kiosk-grid').count()).toBe(0);
    }
    expect(Date.now() - started).toBeLessThan(10_000);
    for (const page of monitors) expect(await sawLogin(page)).toEqual({ login: false, header: false, now: false });
    await shot(monitors[0]!, 'revoked');
    expect((await exchange({ deviceId: device.id, secret })).status).toBe(403);
    expect((await exchange({ deviceId: device.id, secret: 'A'.repeat(43) })).status).toBe(401);
    const listed = (await tg.call('GET', '/api/wall-devices', { token: northAdmin })).body;
    expect(listed[0]).toEqual(expect.objectContaining({ id: device.id, revoked: true }));
    expect(listed[0].lastSeenAt).not.toBeNull();
    const audit = (await tg.call('GET', `/api/audit?targetId=${device.id}`, { token: admin })).body.map((e: { action: string }) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['wall-device.enrol', 'auth.device', 'wall-device.revoke']));
    expect(errors).toEqual([]);
  });
});
