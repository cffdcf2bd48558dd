/**
 * The web console in a real browser (headless Chromium through playwright-core) against a real gateway.
 * Screens whose API is not registered yet are skipped with the reason (decided from the module's routes).
 */
import { mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod, Type } from '@nestjs/common';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startCameraFleet, type Fleet } from '../apps/camera-sim/src/fleet';
import { DiscoveryModule } from '../apps/discovery/src/discovery.module';
import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { PartitionerModule } from '../apps/partitioner/src/partitioner.module';
import { TranscoderModule } from '../apps/transcoder/src/transcoder.module';
import { ADMIN_PASSWORD, startTestProcess, TestProcess } from './support/harness';
import { hasChromium, launchChromium } from './support/chromium';

jest.setTimeout(60_000);

const ARTIFACTS = join(__dirname, '..', 'test-artifacts');

/** Every "METHOD /path" a module tree declares (controllers of the module and its imports). */
function routesOf(root: Type<unknown>): Set<string> {
  const routes = new Set<string>();
  const seen = new Set<unknown>();
  const visit = (mod: any) => {
    if (!mod || seen.has(mod)) return;
    seen.add(mod);
    const m = mod.module ?? mod; // dynamic modules
    for (const imp of [...(Reflect.getMetadata('imports', m) ?? []), ...(mod.imports ?? [])]) visit(imp);
    for (const ctrl of [...(Reflect.getMetadata('controllers', m) ?? []), ...(mod.controllers ?? [])]) {
      const base = String(Reflect.getMetadata(PATH_METADATA, ctrl) ?? '').replace(/^\/|\/$/g, '');
      for (const key of Object.getOwnPropertyNames(ctrl.prototype)) {
        const fn = ctrl.prototype[key];
        if (typeof fn !== 'function' || Reflect.getMetadata(PATH_METADATA, fn) === undefined) continue;
        const sub = String(Reflect.getMetadata(PATH_METADATA, fn)).replace(/^\/|\/$/g, '');
        routes.add(`${RequestMethod[Reflect.getMetadata(METHOD_METADATA, fn)]} /${[base, sub].filter(Boolean).join('/')}`);
      }
    }
  };
  visit(root);
  return routes;
}

const ROUTES = routesOf(GatewayModule);
const has = (...routes: string[]) => hasChromium && routes.every((r) => ROUTES.has(r));
const itIf = (cond: boolean, why: string) => (cond ? it : (name: string, fn: () => unknown) => it.skip(`${name} [skipped: ${why}]`, fn as never));

const CAMERAS_API = ['GET /api/cameras', 'POST /api/cameras'];
const LIVE = has(...CAMERAS_API, 'POST /api/cameras/:id/live');
const SWEEPS = has(...CAMERAS_API, 'POST /api/discovery/sweeps', 'GET /api/discovery/sweeps/:id', 'POST /api/cameras/from-sweep');
// Embedded and external runs may overlap: each uses its own loopback block.
const BLOCK = process.env.TIERGATE_TEST_MODE === 'external' ? 17 : 7;

// A small district: a sub-bureau square, one station, two posts side by side (lon/lat).
const square = (w: number, s: number, e: number, n: number) => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const DISTRICT = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { code: 'P1', name: 'Elm Post', tier: 'post', parentCode: 'ST1' }, geometry: square(116.30, 39.90, 116.33, 39.93) },
    { type: 'Feature', properties: { code: 'SB', name: 'River Sub-bureau', tier: 'sub-bureau', parentCode: null }, geometry: square(116.28, 39.88, 116.40, 39.96) },
    { type: 'Feature', properties: { code: 'ST1', name: 'North Station', tier: 'station', parentCode: 'SB' }, geometry: square(116.30, 39.90, 116.36, 39.93) },
    { type: 'Feature', properties: { code: 'P2', name: 'Oak Post', tier: 'post', parentCode: 'ST1' }, geometry: square(116.33, 39.90, 116.36, 39.93) },
  ],
};

/** Raw GET with an unnormalised path (fetch would resolve `..`). */
function rawGet(base: string, path: string, accept = '*/*'): Promise<{ status: number; body: string; type: string }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, headers: { accept } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, type: String(res.headers['content-type'] ?? '') }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('web console', () => {
  let tg: TestProcess;
  let browser: Browser | undefined;
  let fleet: Fleet | undefined;
  let admin: string;
  const jur: Record<string, string> = {};

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // Cameras .1-.4 feed the wall, .5-.6 are found by the discovery sweep.
    if (LIVE || SWEEPS) fleet = await startCameraFleet({ count: 6, firstAddress: `127.0.${BLOCK}.1`, password: 'sim-pass' });
    tg = await startTestProcess(
      { name: 'console-test', modules: [PartitionerModule, ...(SWEEPS ? [DiscoveryModule] : []), GatewayModule, ...(LIVE ? [TranscoderModule] : [])], http: true },
      { 'transcoder.startTimeoutMs': 10000, 'transcoder.idleCloseMs': 3000, 'discovery.probeTimeoutMs': 250, 'discovery.ports': [8080], 'health.intervalSeconds': 3600, 'auth.streamTokenTtlSeconds': 10 },
    );
    admin = await tg.login();
    const imported = await tg.call('POST', '/api/jurisdictions/import', { token: admin, raw: JSON.stringify(DISTRICT), contentType: 'application/geo+json' });
    if (imported.status >= 300) throw new Error(`jurisdiction import failed: ${imported.status} ${imported.text}`);
    const list = await tg.call('GET', '/api/jurisdictions', { token: admin });
    for (const j of list.body) jur[j.code] = j.id;
    const users: [string, string, string][] = [['north-op', 'operator', 'ST1'], ['elm-viewer', 'viewer', 'P1'], ['crime-analyst', 'analyst', 'SB'], ['leaving-viewer', 'viewer', 'ST1']];
    for (const [username, role, code] of users) {
      const res = await tg.call('POST', '/api/users', { token: admin, body: { username, password: `${username}-pass`, role, jurisdictionId: jur[code] } });
      if (res.status !== 201) throw new Error(`user ${username}: ${res.status} ${res.text}`);
    }
    if (hasChromium) {
      // launch() gives the browser a fresh temporary profile (--user-data-dir) and removes it on close.
      browser = await launchChromium();
    }
  }, 120_000); // PGlite, the fleet and a password hash per user: slow on a busy machine

  afterAll(async () => {
    await (await stationTab)?.context.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await tg?.stop();
    await fleet?.stop();
  });

  /** The station operator's tab, logged in once and shared by the station tests (logins cost a password hash each). */
  let stationTab: Promise<{ page: Page; context: BrowserContext; errors: string[] }> | undefined;
  async function station(route: string) {
    stationTab ??= loginPage('north-op', 'north-op-pass', route);
    const tab = await stationTab;
    // A fresh mount of the screen: a reload when it is already shown (the session survives in localStorage).
    if (await tab.page.evaluate((r) => location.hash === `#/${r}`, route)) await tab.page.reload();
    else await tab.page.evaluate((r) => { location.hash = `#/${r}`; }, route);
    await tab.page.waitForSelector(`#screen-${route}`);
    tab.errors.length = 0;
    return tab;
  }

  /** A fresh browser context (no shared storage), logged in through the form. */
  async function loginPage(username: string, password: string, route = 'map'): Promise<{ page: Page; context: BrowserContext; errors: string[] }> {
    const context = await browser!.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // Nothing may leave loopback: no CDN, no tiles.
    await page.route(/^(?!http:\/\/127\.0\.0\.1[:/]).*/, (route) => {
      errors.push(`external request ${route.request().url()}`);
      return route.abort();
    });
    await page.goto(`${tg.url}/#/${route}`);
    await page.fill('#login-form input[name=username]', username);
    await page.fill('#login-form input[name=password]', password);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#header:not([hidden])');
    return { page, context, errors };
  }

  it('serves the console, its vendor files and the SPA shell without shadowing the API', async () => {
    const index = await rawGet(tg.url, '/', 'text/html');
    expect(index.status).toBe(200);
    expect(index.body).toContain('<script type="module" src="/app.js">');
    expect((await rawGet(tg.url, '/app.js')).type).toMatch(/text\/javascript/);
    expect((await rawGet(tg.url, '/vendor/hls.min.js')).status).toBe(200);
    expect((await rawGet(tg.url, '/vendor/leaflet/leaflet.css')).type).toMatch(/text\/css/);
    expect((await rawGet(tg.url, '/vendor/leaflet/images/marker-icon.png')).status).toBe(200);
    const deep = await rawGet(tg.url, '/wall/station-7', 'text/html');
    expect(deep.body).toBe(index.body);
    for (const probe of ['/vendor/../package.json', '/vendor/%2e%2e/%2e%2e/package.json', '/vendor/leaflet/../../package.json', '/vendor/', '/..%2fpackage.json']) {
      const res = await rawGet(tg.url, probe);
      expect(res.body).not.toMatch(/"name":\s*"tiergate|"dependencies"/);
      expect(res.body).not.toMatch(/<a href/); // no directory listing
    }
    const api = await rawGet(tg.url, '/api/no-such-route', 'text/html');
    expect(api.status).toBe(404);
    expect(JSON.parse(api.body)).toEqual(expect.objectContaining({ code: 'NOT_FOUND' }));
    const hls = await rawGet(tg.url, '/hls/nothing/sub/index.m3u8', 'text/html');
    expect(hls.status).toBe(404);
    expect(hls.body).not.toContain('<html');
    expect((await rawGet(tg.url, '/metrics', 'text/html')).body).toMatch(/tiergate_process_cpu_seconds_total/);
    expect(await tg.call('GET', '/api/console/config')).toEqual(expect.objectContaining({ status: 200, body: { tileUrl: null, basemapUrl: null } }));
  });

  itIf(hasChromium, 'Chromium is not installed')('logs in, shows name, role and jurisdiction, refuses a wrong password, logs out', async () => {
    const context = await browser!.newContext();
    const page = await context.newPage();
    await page.goto(`${tg.url}/`);
    await page.fill('#login-form input[name=username]', 'north-op');
    await page.fill('#login-form input[name=password]', 'wrong');
    await page.click('#login-form button[type=submit]');
    await expect(page.waitForSelector('#login-error:has-text("UNAUTHENTICATED")')).resolves.toBeTruthy();
    await context.close();

    const op = await station('map');
    expect(await op.page.textContent('#user-name')).toBe('north-op');
    expect(await op.page.textContent('#user-role')).toBe('operator');
    expect(await op.page.textContent('#user-jurisdiction')).toContain('North Station');
    expect(await op.page.$$eval('#nav a', (as) => as.map((a) => a.getAttribute('data-route')))).not.toContain('hotspots');
    await op.page.screenshot({ path: join(ARTIFACTS, 'console-station-header.png') });
    // Logging out ends the session on the server too: the token the page held is refused afterwards.
    const leaver = await loginPage('leaving-viewer', 'leaving-viewer-pass');
    const opToken = await leaver.page.evaluate(() => JSON.parse(localStorage.getItem('tiergate.session') ?? 'null')?.accessToken as string);
    expect((await tg.call('GET', '/api/jurisdictions', { token: opToken })).status).toBe(200);
    await leaver.page.click('#logout');
    await leaver.page.waitForSelector('#login-form');
    expect(await leaver.page.evaluate(() => localStorage.getItem('tiergate.session'))).toBeNull();
    let after = 0;
    for (const end = Date.now() + 5000; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
      after = (await tg.call('GET', '/api/jurisdictions', { token: opToken })).status;
      if (after === 401) break;
    }
    expect(after).toBe(401);
    await leaver.context.close();

    const root = await loginPage('admin', ADMIN_PASSWORD);
    expect(await root.page.textContent('#user-jurisdiction')).toBe('All jurisdictions');
    // The screens of this test in their order; other screens (administration, rates, patrol…) follow.
    const rootRoutes = await root.page.$$eval('#nav a', (as) => as.map((a) => a.getAttribute('data-route')));
    expect(rootRoutes.slice(0, 5)).toEqual(['wall', 'garages', 'operators', 'map', 'hotspots']);
    expect(rootRoutes).toContain('admin');
    // The map draws one vector boundary per jurisdiction, offline (no tile layer configured).
    await root.page.click('#nav a[data-route=map]');
    await root.page.waitForFunction(() => document.querySelectorAll('#main-map path.boundary').length === 4);
    expect(await root.page.$$('#main-map .leaflet-tile')).toHaveLength(0);
    expect(root.errors).toEqual([]);
    await root.context.close();
  });

  describe('with cameras', () => {
    const cameraIds: Record<string, string> = {};
    beforeAll(async () => {
      if (!has(...CAMERAS_API)) return;
      const cams: [string, number, number, string[]][] = [
        ['Elm garage A', 39.912, 116.31, ['garage']],
        ['Elm garage B', 39.915, 116.315, ['garage']],
        ['Elm gate', 39.917, 116.318, ['entrance']],
        ['Oak garage', 39.912, 116.345, ['garage']],
      ];
      for (const [name, lat, lon, tags] of cams) {
        const res = await tg.call('POST', '/api/cameras', { token: admin, body: { name, rtspUrl: `rtsp://127.0.${BLOCK + 1}.${Object.keys(cameraIds).length + 1}:8554/main`, location: { lat, lon }, tags } });
        if (res.status !== 201) throw new Error(`camera ${name}: ${res.status} ${res.text}`);
        cameraIds[name] = res.body.id;
      }
    });

    itIf(has(...CAMERAS_API), 'the cameras API is not registered yet')('the operators screen lists the station cameras and filters them', async () => {
      const { page, errors } = await station('operators');
      await page.waitForFunction(() => document.querySelectorAll('#camera-rows tr').length === 4);
      const names = await page.$$eval('#camera-rows .cam-name', (tds) => tds.map((td) => td.textContent).sort());
      expect(names).toEqual(['Elm garage A', 'Elm garage B', 'Elm gate', 'Oak garage']);
      await page.fill('#ops-tag', 'entrance');
      await page.dispatchEvent('#ops-tag', 'change');
      await page.waitForFunction(() => document.querySelectorAll('#camera-rows tr').length === 1);
      expect(await page.textContent('#camera-rows .cam-name')).toBe('Elm gate');
      await page.screenshot({ path: join(ARTIFACTS, 'console-operators.png'), fullPage: true });
      expect(errors).toEqual([]);
    });

    itIf(has(...CAMERAS_API), 'the cameras API is not registered yet')('a post user sees only the garages of its own post', async () => {
      const { page, context, errors } = await loginPage('elm-viewer', 'elm-viewer-pass', 'garages');
      expect(await page.textContent('#user-jurisdiction')).toContain('Elm Post');
      await page.waitForSelector('#garage-grid .garage-card');
      await page.waitForFunction(() => document.querySelectorAll('#garage-grid .garage-card').length === 2);
      const ids = await page.$$eval('#garage-grid .garage-card', (cards) => cards.map((c) => (c as HTMLElement).dataset.cameraId).sort());
      expect(ids).toEqual([cameraIds['Elm garage A'], cameraIds['Elm garage B']].sort());
      // Each card shows a snapshot or, without one, the name and status.
      await page.waitForFunction(() => [...document.querySelectorAll('.garage-card')].every((c) => c.querySelector('img:not([hidden])') || c.querySelector('.snapshot-placeholder:not([hidden]) .status')));
      await page.screenshot({ path: join(ARTIFACTS, 'console-garages.png') });
      expect(errors).toEqual([]);
      await context.close();
    });

    itIf(has(...CAMERAS_API, 'POST /api/incidents/import', 'GET /api/hotspots'), 'the incidents or hotspots API is not registered yet')(
      'the hotspot map shows a planted hotspot and opens the wall on its cameras',
      async () => {
        // 24 burglaries around Elm garage A, a thin background elsewhere in the sub-bureau.
        const rows = ['id,type,occurred_at,lat,lon'];
        for (let i = 0; i < 24; i++) rows.push(`hot-${i},burglary,2026-03-0${1 + (i % 7)}T1${i % 10}:00:00Z,${39.9121 + (i % 3) * 0.0001},${116.3101 + (i % 4) * 0.0001}`);
        const spots = [[39.885, 116.29], [39.95, 116.39], [39.94, 116.30], [39.89, 116.38], [39.925, 116.35], [39.955, 116.285]];
        spots.forEach(([lat, lon], i) => rows.push(`bg-${i},robbery,2026-03-10T08:00:00Z,${lat},${lon}`));
        const seeded = await tg.call('POST', '/api/incidents/import', { token: admin, raw: `${rows.join('\n')}\n`, contentType: 'text/csv' });
        if (seeded.status >= 300) throw new Error(`incident import: ${seeded.status} ${seeded.text}`);
        const api = await tg.call('GET', '/api/hotspots', { token: admin });
        const cells: { count: number; confidence: string; cameras?: string[] }[] = api.body.cells;
        const planted = cells.reduce((a, b) => (b.count > a.count ? b : a));
        expect(planted.count).toBeGreaterThanOrEqual(12);
        expect(planted.confidence).toMatch(/^hot-/);
        const hot99 = cells.filter((c) => c.confidence === 'hot-99').length;
        expect(hot99).toBeGreaterThan(0);

        const { page, context, errors } = await loginPage('crime-analyst', 'crime-analyst-pass', 'hotspots');
        // One square per answered cell, classed by confidence, the planted cell among them.
        await page.waitForFunction((n) => document.querySelectorAll('#hotspot-map path.hotspot-cell').length === n, cells.length);
        expect(await page.$$('#hotspot-map path.hotspot-cell.hot-99')).toHaveLength(hot99);
        const drawn = await page.$$eval('#hotspot-map path.hotspot-cell', (ps) => ps.map((p) => `${(p as SVGElement).dataset.count} ${p.getAttribute('class')}`));
        expect(drawn.some((d) => d.startsWith(`${planted.count} `) && d.includes(`hotspot-cell ${planted.confidence}`))).toBe(true);
        // The "three highs": hour x weekday grid and type mix.
        await page.waitForSelector('#hs-heatmap rect');
        expect(await page.$$('#hs-heatmap rect')).toHaveLength(7 * 24);
        expect(await page.$$eval('#hs-type-mix .bar-label', (ls) => ls.map((l) => l.textContent).sort())).toEqual(['burglary', 'robbery']);
        await page.screenshot({ path: join(ARTIFACTS, 'console-hotspots.png') });
        // "Open wall" on the first listed hotspot shows exactly its nearest cameras.
        const firstHot = cells.find((c) => c.confidence.startsWith('hot-') && c.cameras?.length);
        if (firstHot?.cameras) {
          await page.click('#hs-list .open-wall');
          await page.waitForFunction((n) => document.querySelectorAll('#wall-grid .tile[data-camera-id]').length === n, firstHot.cameras.length);
          const onWall = await page.$$eval('#wall-grid .tile[data-camera-id]', (ts) => ts.map((t) => (t as HTMLElement).dataset.cameraId));
          expect(onWall).toEqual(firstHot.cameras.slice(0, 25));
        }
        expect(errors).toEqual([]);
        await context.close();
      },
    );
    itIf(SWEEPS && has('PATCH /api/cameras/:id', 'POST /api/cameras/import'), 'the discovery, import or camera update API is not registered yet')(
      'operators: CSV errors per line, a discovery sweep to 100 % with findings added, a location set on the map',
      async () => {
        const { page, errors } = await station('operators');
        await page.waitForFunction(() => document.querySelectorAll('#camera-rows tr').length === 4);
        // CSV with a bad second row: nothing is created and the line is named.
        const csv = 'name,lat,lon,tags,onvif_host,onvif_port,username,password,rtsp_url\nCsv ok,39.911,116.311,garage,,,,,rtsp://127.0.9.1:8554/a\nCsv bad,north,116.311,garage,,,,,rtsp://127.0.9.2:8554/a\n';
        await page.setInputFiles('#csv-file', { name: 'cams.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
        await page.click('#csv-form button[type=submit]');
        await page.waitForSelector('#csv-result .csv-errors tbody tr');
        expect(await page.$$eval('#csv-result .csv-errors tbody tr td:first-child', (tds) => tds.map((t) => t.textContent))).toEqual(['3']);
        expect((await tg.call('GET', '/api/cameras?q=Csv', { token: admin })).body).toEqual([]);

        // Sweep the block of cameras 5 and 6: the bar reaches 100 %, both are found and added with one set of credentials.
        const [c5, c6] = [fleet!.cameras[4], fleet!.cameras[5]];
        await page.fill('#sweep-cidr', `${c5.host.replace(/\.\d+$/, '')}.4/30`);
        await page.fill('#sweep-ports', String(c5.onvifPort));
        await page.click('#sweep-form button[type=submit]');
        await page.waitForFunction(() => (document.querySelector('#sweep-progress-text') as HTMLElement)?.dataset.state === 'done', undefined, { timeout: 20_000 });
        expect(await page.$eval('#sweep-progress', (p) => (p as HTMLProgressElement).value)).toBe(100);
        for (const cam of [c5, c6]) await page.check(`#sweep-findings tr[data-host="${cam.host}"] input[type=checkbox]`);
        await page.fill('#sweep-username', 'admin');
        await page.fill('#sweep-password', 'sim-pass');
        await page.fill('#sweep-tags', 'swept');
        await page.click('#sweep-add');
        await page.waitForFunction(() => document.querySelectorAll('#sweep-result .ok').length === 2, undefined, { timeout: 20_000 });
        expect(await page.$$('#sweep-result .error')).toHaveLength(0);
        const swept = (await tg.call('GET', '/api/cameras?tag=swept', { token: admin })).body;
        expect(swept).toHaveLength(2);

        // Edit: a click on the map sets the location, Save patches it.
        const gate = page.locator('#camera-rows tr', { hasText: 'Elm gate' });
        await gate.locator('button.edit').click();
        await page.waitForSelector('#camera-editor .edit-map.leaflet-container');
        await page.click('#camera-editor .edit-map', { position: { x: 200, y: 100 } });
        const lat = Number(await page.inputValue('#camera-editor input[name=lat]'));
        const lon = Number(await page.inputValue('#camera-editor input[name=lon]'));
        expect(lat).not.toBeCloseTo(39.917, 4);
        await page.click('#camera-editor button:has-text("Save")');
        await page.waitForSelector('#camera-editor .result.ok');
        const gateId = cameraIds['Elm gate'];
        const stored = (await tg.call('GET', `/api/cameras/${gateId}`, { token: admin })).body;
        expect(stored.location.lat).toBeCloseTo(lat, 5);
        expect(stored.location.lon).toBeCloseTo(lon, 5);
        await page.screenshot({ path: join(ARTIFACTS, 'console-operators-edit.png'), fullPage: true });
        expect(errors).toEqual([]);
      },
    );

    itIf(LIVE, 'the live-video API is not registered yet')('the station wall plays 4 live tiles, opens the main stream and releases every player', async () => {
      for (const [i, cam] of fleet!.cameras.slice(0, 4).entries()) {
        const res = await tg.call('POST', '/api/cameras', {
          token: admin,
          body: { name: `Wall cam ${i + 1}`, onvif: { host: cam.host, port: cam.onvifPort, username: 'admin', password: 'sim-pass' }, location: { lat: 39.92, lon: 116.302 + i * 0.001 }, tags: ['wall-test'] },
        });
        if (res.status !== 201) throw new Error(`sim camera ${i}: ${res.status} ${res.text}`);
      }
      const { page, errors } = await station('wall');
      await page.selectOption('#wall-layout', '4');
      await page.fill('#wall-tag', 'wall-test');
      await page.dispatchEvent('#wall-tag', 'change');
      await page.waitForFunction(() => document.querySelectorAll('#wall-grid .tile[data-camera-id]').length === 4);
      const stats = () => page.evaluate(() => (window as any).__tiergate.wallStats() as { cameraId: string; currentTime: number; playing: boolean; decodedFrames: number; restarts: number; renewals: number }[]);
      await page.waitForFunction(() => {
        const s = (window as any).__tiergate.wallStats();
        return s.length === 4 && s.every((t: any) => t.playing && t.decodedFrames > 0);
      }, undefined, { timeout: 25_000 });
      const before = await stats();
      await page.waitForTimeout(2500);
      const after = await stats();
      expect(after.map((t) => t.cameraId)).toEqual(before.map((t) => t.cameraId));
      after.forEach((t, i) => {
        expect(t.currentTime).toBeGreaterThan(before[i].currentTime);
        expect(t.decodedFrames).toBeGreaterThan(before[i].decodedFrames);
      });
      await page.screenshot({ path: join(ARTIFACTS, 'console-wall.png') });
      // Double-click: the main stream full screen; closing it releases its player.
      await page.dblclick('#wall-grid .tile[data-camera-id]');
      await page.waitForFunction(() => {
        const v = document.querySelector('#overlay:not([hidden]) video') as HTMLVideoElement | null;
        return !!v && v.currentTime > 0 && v.videoWidth === 1280;
      }, undefined, { timeout: 20_000 });
      expect(await page.evaluate(() => (window as any).__tiergate.activePlayers())).toBe(5);
      await page.keyboard.press('Escape');
      expect(await page.evaluate(() => (window as any).__tiergate.activePlayers())).toBe(4);
      // Stream tokens live 10 s here: the tiles renew them and keep playing without a restart.
      await page.waitForFunction(() => (window as any).__tiergate.wallStats().every((t: any) => t.renewals >= 2), undefined, { timeout: 25_000 });
      const renewed = await stats();
      renewed.forEach((t, i) => {
        expect(t.restarts).toBe(0);
        expect(t.playing).toBe(true);
        expect(t.currentTime).toBeGreaterThan(after[i].currentTime);
      });
      // Leaving the wall destroys every player and video element.
      await page.click('#nav a[data-route=map]');
      await page.waitForSelector('#screen-map'); // the screen changes on the (asynchronous) hashchange
      expect(await page.evaluate(() => (window as any).__tiergate.activePlayers())).toBe(0);
      expect(await page.$$('video')).toHaveLength(0);
      // The map shows every located camera of the station, as a marker or in a cluster's count (docs/map.md), and
      // the legend counts them by status.
      const located = (await tg.call('GET', `/api/cameras?jurisdictionId=${jur.ST1}`, { token: admin })).body.filter((c: any) => c.location);
      await page.waitForFunction((n) => document.querySelector<HTMLElement>('#main-map')?.dataset.ready === 'true'
        && [...document.querySelectorAll<HTMLElement>('#main-map .camera-cluster-inner')].reduce((a, c) => a + Number(c.dataset.count), 0)
          + document.querySelectorAll('#main-map .camera-marker').length === n, located.length);
      const online = located.filter((c: any) => c.status === 'online').length;
      expect(await page.textContent('#map-legend .legend-item[data-status=online] .legend-count')).toBe(String(online));
      expect(errors).toEqual([]);
    });
  });
});
