/**
 * The web console in a real browser (headless Chromium through playwright-core) against a real gateway.
 * Screens whose API is not registered yet are skipped with the reason (decided from the module's routes).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod, Type } from '@nestjs/common';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { ADMIN_PASSWORD, startTestProcess, TestProcess } from './support/harness';

jest.setTimeout(60_000);

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '..', 'test-artifacts');
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  // eslint-disable-next-line no-console
  console.warn(`console browser tests skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);
}

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
const LIVE_SIM = join(__dirname, '..', 'apps', 'camera-sim', 'src', 'fleet.ts');
const TRANSCODER = join(__dirname, '..', 'apps', 'transcoder', 'src', 'transcoder.module.ts');

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
  let profileDir: string | undefined;
  let admin: string;
  const jur: Record<string, string> = {};

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const t0 = Date.now();
    tg = await startTestProcess({ name: 'gateway', modules: [GatewayModule], http: true });
    console.log('started', Date.now() - t0);
    admin = await tg.login();
    const imported = await tg.call('POST', '/api/jurisdictions/import', { token: admin, body: DISTRICT, contentType: 'application/geo+json' });
    if (imported.status >= 300) throw new Error(`jurisdiction import failed: ${imported.status} ${imported.text}`);
    console.log('imported', Date.now() - t0, imported.status);
    const list = await tg.call('GET', '/api/jurisdictions', { token: admin });
    for (const j of list.body) jur[j.code] = j.id;
    const users: [string, string, string][] = [['north-op', 'operator', 'ST1'], ['elm-viewer', 'viewer', 'P1'], ['crime-analyst', 'analyst', 'SB']];
    for (const [username, role, code] of users) {
      const res = await tg.call('POST', '/api/users', { token: admin, body: { username, password: `${username}-pass`, role, jurisdictionId: jur[code] } });
      if (res.status !== 201) throw new Error(`user ${username}: ${res.status} ${res.text}`);
    }
    if (hasChromium) {
      profileDir = mkdtempSync(join(tmpdir(), 'tiergate-chromium-'));
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
          '--disable-component-update', '--disable-sync', `--user-data-dir=${profileDir}`].filter((a) => !a.startsWith('--user-data-dir')),
      });
    }
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
    await tg?.stop();
  });

  /** A fresh browser context (no shared storage), logged in through the form. */
  async function loginPage(username: string, password: string): Promise<{ page: Page; context: BrowserContext; errors: string[] }> {
    const context = await browser!.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // Nothing may leave loopback: no CDN, no tiles.
    await page.route(/^(?!http:\/\/127\.0\.0\.1[:/]).*/, (route) => {
      errors.push(`external request ${route.request().url()}`);
      return route.abort();
    });
    await page.goto(`${tg.url}/`);
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
    expect(await tg.call('GET', '/api/console/config')).toEqual(expect.objectContaining({ status: 200, body: { tileUrl: null } }));
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

    const station = await loginPage('north-op', 'north-op-pass');
    expect(await station.page.textContent('#user-name')).toBe('north-op');
    expect(await station.page.textContent('#user-role')).toBe('operator');
    expect(await station.page.textContent('#user-jurisdiction')).toContain('North Station');
    expect(await station.page.$$eval('#nav a', (as) => as.map((a) => a.getAttribute('data-route')))).not.toContain('hotspots');
    await station.page.screenshot({ path: join(ARTIFACTS, 'console-station-header.png') });
    await station.page.click('#logout');
    await station.page.waitForSelector('#login-form');
    expect(station.errors).toEqual([]);
    await station.context.close();

    const root = await loginPage('admin', ADMIN_PASSWORD);
    expect(await root.page.textContent('#user-jurisdiction')).toBe('All jurisdictions');
    expect(await root.page.$$eval('#nav a', (as) => as.map((a) => a.getAttribute('data-route')))).toEqual(['wall', 'garages', 'operators', 'map', 'hotspots']);
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
        const res = await tg.call('POST', '/api/cameras', { token: admin, body: { name, rtspUrl: `rtsp://127.0.9.${Object.keys(cameraIds).length + 1}:8554/main`, location: { lat, lon }, tags } });
        if (res.status !== 201) throw new Error(`camera ${name}: ${res.status} ${res.text}`);
        cameraIds[name] = res.body.id;
      }
    });

    itIf(has(...CAMERAS_API), 'the cameras API is not registered yet')('the operators screen lists the station cameras and filters them', async () => {
      const { page, context, errors } = await loginPage('north-op', 'north-op-pass');
      await page.click('#nav a[data-route=operators]');
      await page.waitForFunction(() => document.querySelectorAll('#camera-rows tr').length === 4);
      const names = await page.$$eval('#camera-rows .cam-name', (tds) => tds.map((td) => td.textContent).sort());
      expect(names).toEqual(['Elm garage A', 'Elm garage B', 'Elm gate', 'Oak garage']);
      await page.fill('#ops-tag', 'entrance');
      await page.dispatchEvent('#ops-tag', 'change');
      await page.waitForFunction(() => document.querySelectorAll('#camera-rows tr').length === 1);
      expect(await page.textContent('#camera-rows .cam-name')).toBe('Elm gate');
      await page.screenshot({ path: join(ARTIFACTS, 'console-operators.png'), fullPage: true });
      expect(errors).toEqual([]);
      await context.close();
    });

    itIf(has(...CAMERAS_API), 'the cameras API is not registered yet')('a post user sees only the garages of its own post', async () => {
      const { page, context, errors } = await loginPage('elm-viewer', 'elm-viewer-pass');
      expect(await page.textContent('#user-jurisdiction')).toContain('Elm Post');
      await page.click('#nav a[data-route=garages]');
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
        spots.forEach(([lat, lon], i) => rows.push(`bg-${i},theft,2026-03-10T08:00:00Z,${lat},${lon}`));
        const seeded = await tg.call('POST', '/api/incidents/import', { token: admin, raw: `${rows.join('\n')}\n`, contentType: 'text/csv' });
        expect(seeded.status).toBeLessThan(300);
        const api = await tg.call('GET', '/api/hotspots', { token: admin });
        const hottest = api.body.cells[0];
        expect(hottest.count).toBeGreaterThanOrEqual(20);

        const { page, context, errors } = await loginPage('crime-analyst', 'crime-analyst-pass');
        await page.click('#nav a[data-route=hotspots]');
        await page.waitForFunction((n) => document.querySelectorAll('#hotspot-map path.hotspot-cell').length === n, api.body.cells.length);
        const hot = await page.$$eval('#hotspot-map path.hotspot-cell.hot-99', (ps) => ps.map((p) => (p as SVGElement).dataset.count));
        expect(hot).toContain(String(hottest.count));
        await page.waitForSelector('#hs-heatmap rect');
        expect(await page.$$('#hs-heatmap rect')).toHaveLength(7 * 24);
        await page.waitForSelector('#hs-type-mix .bar-row');
        await page.screenshot({ path: join(ARTIFACTS, 'console-hotspots.png') });
        if (hottest.cameras?.length) {
          await page.click('#hs-list .open-wall');
          await page.waitForFunction((n) => document.querySelectorAll('#wall-grid .tile[data-camera-id]').length === n, hottest.cameras.length);
          const onWall = await page.$$eval('#wall-grid .tile[data-camera-id]', (ts) => ts.map((t) => (t as HTMLElement).dataset.cameraId));
          expect(onWall).toEqual(hottest.cameras.slice(0, 25));
        }
        expect(errors).toEqual([]);
        await context.close();
      },
    );
  });
});
