/**
 * PTZ (issue 15, docs/ptz.md) end to end: a simulated ONVIF PTZ camera, a whole Tiergate process (partitioner and
 * gateway, embedded) and the console in headless Chromium. The API: what a camera offers, 403 for a viewer, 404 for
 * another station exactly as for a missing camera, 400 for bad velocities. The console: an operator presses "right",
 * drags on the picture and zooms with the keyboard, and the simulator's head moves; saves a preset; a second operator
 * (zh-CN) is refused with who steers and until when, and after the first closes the view goes to the preset; a viewer
 * sees no controls; the audit rows (one per period of control, one per preset action).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page, type Response } from 'playwright-core';
import { startCameraFleet, type Fleet } from '../apps/camera-sim/src/fleet';
import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { PartitionerModule } from '../apps/partitioner/src/partitioner.module';
import { startTestProcess, TestProcess } from './support/harness';
import { hasChromium, launchChromium } from './support/chromium';

jest.setTimeout(120_000);

const ARTIFACTS = join(__dirname, '..', 'test-artifacts', 'console');
const itIf = hasChromium ? it : it.skip;
// Embedded and external runs may overlap: each uses its own loopback block.
const BLOCK = process.env.TIERGATE_TEST_MODE === 'external' ? 133 : 132;
const MISSING = '00000000-0000-4000-8000-000000000000';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs: number, everyMs = 50): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

const square = (w: number, s: number, e: number, n: number) => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const DISTRICT = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { code: 'SB', name: 'River Sub-bureau', tier: 'sub-bureau', parentCode: null }, geometry: square(116.28, 39.88, 116.4, 39.96) },
    { type: 'Feature', properties: { code: 'ST1', name: 'North Station', tier: 'station', parentCode: 'SB' }, geometry: square(116.3, 39.9, 116.36, 39.93) },
    { type: 'Feature', properties: { code: 'P1', name: 'Elm Post', tier: 'post', parentCode: 'ST1' }, geometry: square(116.3, 39.9, 116.36, 39.93) },
    { type: 'Feature', properties: { code: 'ST2', name: 'South Station', tier: 'station', parentCode: 'SB' }, geometry: square(116.3, 39.88, 116.36, 39.9) },
  ],
};
const USERS: [string, string, string][] = [
  ['op-a', 'operator', 'ST1'],
  ['op-b', 'operator', 'ST1'],
  ['viewer-a', 'viewer', 'ST1'],
  ['op-south', 'operator', 'ST2'],
];
const password = (u: string) => `${u}-password-7`;

describe('PTZ: steering a simulated PTZ camera from the API and the console', () => {
  let tg: TestProcess;
  let fleet: Fleet;
  let browser: Browser | undefined;
  const jur: Record<string, string> = {};
  const tokens: Record<string, string> = {};
  let ptzId = '';
  let fixedId = '';
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  const head = () => fleet.cameras[0]!.ptz!.position();

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // 0: a PTZ dome, 1: a fixed camera; both in Elm Post
    fleet = await startCameraFleet({ count: 2, firstAddress: `127.0.${BLOCK}.1`, password: 'sim-pass', labelPerCamera: false, ptz: [0] });
    tg = await startTestProcess({ name: 'ptz-test', modules: [PartitionerModule, GatewayModule], http: true }, { 'health.intervalSeconds': 3600, 'health.timeoutMs': 1500, 'http.docs': 'on' });
    const admin = await tg.login();
    tokens.admin = admin;
    const imported = await tg.call('POST', '/api/jurisdictions/import', { token: admin, raw: JSON.stringify(DISTRICT), contentType: 'application/geo+json' });
    if (imported.status >= 300) throw new Error(`jurisdiction import failed: ${imported.status} ${imported.text}`);
    for (const j of (await tg.call('GET', '/api/jurisdictions', { token: admin })).body) jur[j.code] = j.id;
    for (const [username, role, code] of USERS) {
      const res = await tg.call('POST', '/api/users', { token: admin, body: { username, password: password(username), role, jurisdictionId: jur[code] } });
      if (res.status !== 201) throw new Error(`user ${username}: ${res.status} ${res.text}`);
      tokens[username] = await tg.login(username, password(username));
    }
    for (const [i, name] of [[0, 'Gate dome'], [1, 'Fixed cam']] as const) {
      const cam = fleet.cameras[i]!;
      const res = await tg.call('POST', '/api/cameras', {
        token: admin,
        body: { name, onvif: { host: cam.host, port: cam.onvifPort, username: 'admin', password: 'sim-pass' }, location: { lat: 39.915, lon: 116.33 + i * 0.01 } },
      });
      if (res.status !== 201 || res.body.jurisdictionId !== jur.P1) throw new Error(`camera ${name}: ${res.status} ${res.text}`);
      if (i === 0) ptzId = res.body.id;
      else fixedId = res.body.id;
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

  const ptz = (user: string, method: string, path = '', body?: unknown, id = ptzId) => tg.call(method, `/api/cameras/${id}/ptz${path}`, { token: tokens[user], body });

  it('the API: what the camera offers; 403 for a viewer, 404 for another station as for a missing camera, 400 for bad input', async () => {
    const a = await ptz('op-a', 'GET');
    expect(a.status).toBe(200);
    expect(a.body).toEqual({ available: true, canSteer: true, status: { pan: 0, tilt: 0, zoom: 0, moving: false }, presets: [], lease: null, leaseSeconds: 30 });
    expect((await ptz('op-a', 'GET', '', undefined, fixedId)).body).toMatchObject({ available: false, canSteer: false, status: null });
    expect((await ptz('op-a', 'POST', '/move', { pan: 0.5, tilt: 0, zoom: 0 }, fixedId)).status).toBe(400);

    const viewer = await ptz('viewer-a', 'GET');
    expect(viewer.body).toMatchObject({ available: true, canSteer: false });
    const refused = await ptz('viewer-a', 'POST', '/move', { pan: 0.5, tilt: 0, zoom: 0 });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe('steering a camera needs the admin or operator role; a viewer may watch it but not move it');
    expect((await ptz('viewer-a', 'POST', '/presets', { name: 'x' })).status).toBe(403);

    const missing = await ptz('op-south', 'GET', '', undefined, MISSING);
    const calls: { method: string; path: string; body?: unknown }[] = [
      { method: 'GET', path: '' },
      { method: 'POST', path: '/move', body: { pan: 1, tilt: 0, zoom: 0 } },
      { method: 'POST', path: '/stop' },
      { method: 'POST', path: '/presets', body: { name: 'x' } },
      { method: 'POST', path: '/presets/preset_1/goto' },
      { method: 'POST', path: '/release' },
    ];
    for (const { method, path, body } of calls) {
      const hidden = await ptz('op-south', method, path, body);
      expect([path, hidden.status, hidden.body]).toEqual([path, 404, missing.body]);
    }
    expect(missing.status).toBe(404);

    for (const bad of [{ pan: 2, tilt: 0, zoom: 0 }, { pan: 0.5, tilt: 0 }, { pan: 'left', tilt: 0, zoom: 0 }, { pan: 0.5, tilt: 0, zoom: 0, durationMs: 9000 }]) {
      expect((await ptz('op-a', 'POST', '/move', bad)).status).toBe(400);
    }
    expect((await ptz('op-a', 'POST', '/presets', { name: '' })).status).toBe(400);
    expect((await ptz('op-a', 'POST', '/presets', { name: 'x'.repeat(65) })).status).toBe(400);
    expect(head()).toEqual({ x: 0, y: 0, zoom: 0 }); // nothing of the above moved the camera
    expect((await ptz('op-a', 'GET')).body.lease).toBeNull(); // nor took the lease

    const doc = await tg.call('GET', '/api/docs/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/cameras/{id}/ptz', '/api/cameras/{id}/ptz/move', '/api/cameras/{id}/ptz/stop', '/api/cameras/{id}/ptz/presets', '/api/cameras/{id}/ptz/presets/{token}/goto', '/api/cameras/{id}/ptz/release']));
  });

  /** One PC: a browser context in `lang`, logged in through the form, the camera's tile on the wall, opened full screen. */
  async function fullScreen(username: string, lang = 'en-GB'): Promise<{ page: Page; ptzAnswer: Promise<Response> }> {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 800 }, locale: lang });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(`${username}: ${e.message}`));
    await page.route(/^(?!(http|ws):\/\/127\.0\.0\.1[:/]).*/, (r) => (errors.push(`external request ${r.request().url()}`), r.abort()));
    await page.goto(`${tg.url}/#/wall?cameras=${ptzId}`);
    await page.fill('#login-form input[name=username]', username);
    await page.fill('#login-form input[name=password]', password(username));
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#header:not([hidden])');
    const ptzAnswer = page.waitForResponse((r) => r.url().endsWith(`/api/cameras/${ptzId}/ptz`) && r.request().method() === 'GET');
    await page.dblclick(`#wall-grid .tile[data-camera-id="${ptzId}"]`);
    await page.waitForSelector(`#overlay:not([hidden]) .overlay-video[data-camera-id="${ptzId}"]`);
    return { page, ptzAnswer };
  }
  const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `ptz-${name}.png`) });
  /** Holds the mouse down on `selector` for `ms`. */
  async function press(page: Page, selector: string, ms: number) {
    await page.hover(selector);
    await page.mouse.down();
    await sleep(ms);
    await page.mouse.up();
  }
  /** Waits until the head has stopped (two equal readings 300 ms apart) and answers where. */
  const settled = () =>
    until('the head at rest', async () => {
      const a = head();
      await sleep(300);
      const b = head();
      return a.x === b.x && a.y === b.y && a.zoom === b.zoom && b;
    }, 5000, 0);

  itIf('an operator pans with the button, tilts by dragging, zooms with the keyboard and saves a preset; a second operator is refused, then goes to it', async () => {
    const { page: a } = await fullScreen('op-a');
    await a.waitForSelector('#ptz-panel:not([hidden]) .ptz-right');

    // "right" held for 0.8 s: the head pans right (0.5 velocity, 0.5 units/s: ~0.2) and stops on release
    await press(a, '#ptz-panel .ptz-right', 800);
    const panned = await settled();
    expect(panned.x).toBeGreaterThan(0.08);
    expect(panned.x).toBeLessThan(0.5);
    expect(panned.y).toBe(0);

    // drag up from the middle of the picture by a quarter of its height: tilt up at ~0.5
    const box = (await a.locator('#overlay .overlay-video').boundingBox())!;
    await a.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await a.mouse.down();
    await a.mouse.move(box.x + box.width / 2, box.y + box.height / 4, { steps: 5 });
    await sleep(900); // the console repeats the move while the mouse is held
    await a.mouse.up();
    const tilted = await settled();
    expect(tilted.y).toBeGreaterThan(0.1);
    expect(tilted.x).toBeCloseTo(panned.x, 1);

    // "+" held: zoom in
    await a.locator('#overlay .overlay-video').hover();
    await a.keyboard.down('+');
    await sleep(700);
    await a.keyboard.up('+');
    const zoomed = await settled();
    expect(zoomed.zoom).toBeGreaterThan(0.03);

    const shown = (Math.round(zoomed.x * 100) / 100).toFixed(2);
    await a.waitForFunction((pan) => document.getElementById('ptz-position')?.textContent?.includes(`Pan ${pan}`), shown, { timeout: 6000 });
    expect(await a.textContent('#ptz-lease')).toMatch(/^You are steering this camera \(until \d\d:\d\d:\d\d\)\.$/);

    // save the position as a preset
    await a.fill('#ptz-panel input[name=ptz-preset-name]', 'North gate');
    await a.click('#ptz-save');
    await a.waitForSelector('#ptz-presets .ptz-preset:has-text("North gate")');
    expect(await a.textContent('#ptz-message')).toBe('Preset "North gate" saved.');
    const gate = head();
    await shot(a, 'operator');

    // a second operator (zh-CN) is refused while op-a holds the lease: a sentence with who and until when
    const { page: b } = await fullScreen('op-b', 'zh-CN');
    await b.waitForSelector('#ptz-panel:not([hidden]) .ptz-right');
    await press(b, '#ptz-panel .ptz-right', 500);
    await b.waitForFunction(() => /^正在由 op-a 控制，至 \d\d:\d\d:\d\d$/.test(document.getElementById('ptz-message')?.textContent ?? ''), undefined, { timeout: 5000 });
    const api409 = await ptz('op-b', 'POST', '/move', { pan: 1, tilt: 0, zoom: 0 });
    expect(api409.status).toBe(409);
    expect(api409.body).toMatchObject({ code: 'CONFLICT', reason: 'ptz-lease', lease: { username: 'op-a', until: expect.any(String) } });
    const left = Date.parse(api409.body.lease.until) - Date.now();
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(31_000);
    expect(head()).toEqual(gate); // op-b moved nothing
    await shot(b, 'refused');

    // op-a moves away and closes the view: the camera stops and the lease is given up
    await press(a, '#ptz-panel .ptz-left', 600);
    const away = await settled();
    expect(away.x).toBeLessThan(gate.x);
    await a.click('#overlay .overlay-close');
    await until('the lease given up', async () => (await ptz('op-b', 'GET')).body.lease === null, 5000);

    // op-b goes to the preset from the list (refreshed by its view): exactly the saved position
    await b.waitForSelector('#ptz-presets .ptz-preset:has-text("North gate")', { timeout: 6000 });
    await b.click('#ptz-presets .ptz-preset:has-text("North gate")');
    await until('the head at the preset', () => {
      const p = head();
      return p.x === gate.x && p.y === gate.y && p.zoom === gate.zoom;
    }, 5000);
    await b.waitForFunction(() => (document.getElementById('ptz-lease')?.textContent ?? '').startsWith('您正在控制此摄像机'), undefined, { timeout: 5000 });
    const lease = (await ptz('op-a', 'GET')).body.lease;
    expect(lease).toMatchObject({ username: 'op-b', mine: false });
    await shot(b, 'preset');
    expect((await ptz('op-a', 'POST', '/stop')).status).toBe(409); // now op-a waits
    expect(errors).toEqual([]);
  });

  itIf('a viewer sees the picture without controls', async () => {
    const { page: v, ptzAnswer } = await fullScreen('viewer-a');
    const answer = await ptzAnswer;
    expect(await answer.json()).toMatchObject({ available: true, canSteer: false });
    await sleep(300); // the answer is applied
    expect(await v.locator('#ptz-panel').isHidden()).toBe(true);
    const before = head();
    await v.keyboard.down('ArrowRight');
    await sleep(300);
    await v.keyboard.up('ArrowRight');
    expect(head()).toEqual(before);
    await shot(v, 'viewer');
    expect(errors).toEqual([]);
  });

  itIf('the audit log: one ptz.control row per period of control, one per preset saved and gone to', async () => {
    const rows = async (action: string) => {
      const res = await tg.call('GET', `/api/audit?action=${encodeURIComponent(action)}&targetId=${ptzId}`, { token: tokens.admin });
      expect(res.status).toBe(200);
      return res.body as any[];
    };
    expect((await rows('ptz.control')).map((r) => r.actorName).reverse()).toEqual(['op-a', 'op-b']);
    expect(await rows('ptz.preset.save')).toEqual([expect.objectContaining({ actorName: 'op-a', targetType: 'camera', targetId: ptzId, details: expect.objectContaining({ name: 'North gate', replaced: false }) })]);
    expect(await rows('ptz.preset.goto')).toEqual([expect.objectContaining({ actorName: 'op-b', details: expect.objectContaining({ name: 'North gate' }) })]);
    expect((await rows('ptz.*')).length).toBe(4);
  });
});
