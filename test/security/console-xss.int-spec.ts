/**
 * Issue 11, item 3: stored XSS in the console. Markup goes in through every path a name reaches the console by
 * (camera name, jurisdiction name, the device's own WS-Discovery name scope, tag, wall preset name) and every
 * screen that shows them is visited in Chromium, tooltips hovered: nothing may execute, the policy must not
 * refuse any of our own code, and the text must be shown literally. Every answer carries the security headers.
 */
import { request } from 'node:http';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startCameraFleet, type Fleet } from '../../apps/camera-sim/src';
import { DiscoveryModule } from '../../apps/discovery/src/discovery.module';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { PartitionerModule } from '../../apps/partitioner/src/partitioner.module';
import { ADMIN_PASSWORD, startTestProcess, type TestProcess } from '../support/harness';
import { hasChromium, launchChromium } from '../support/chromium';

jest.setTimeout(60_000);

const itBrowser = hasChromium ? it : (name: string, fn: () => unknown) => it.skip(`${name} [skipped: Chromium is not installed]`, fn as never);

// Embedded and external runs may overlap: each uses its own loopback block.
const BLOCK = process.env.TIERGATE_TEST_MODE === 'external' ? 87 : 86;

/**
 * Markup that runs code if it is ever parsed as HTML: an event handler, a script, a javascript: link. Device
 * names use `window.pwned` (a name scope's `_` reads as a space, as ONVIF devices mean it).
 */
const markup = (where: string, flag = '__pwned') =>
  `${where} <img src=x onerror="window.${flag}='${where}'"><script>window.${flag}='${where}'</script><a href="javascript:window.${flag}='${where}'">go</a>`;
const TAG = `<img src=x onerror="window.__pwned='tag'">`; // tags are at most 64 characters
const NAMES = {
  SB: markup('sub-bureau'),
  ST1: markup('station'),
  P1: markup('post-1'),
  P2: `<svg onload="window.__pwned='post-2'"></svg>`,
};
const CAMERAS: [string, number, number][] = [
  [markup('camera-1'), 39.912, 116.31],
  [markup('camera-2'), 39.921, 116.322],
  [`<iframe srcdoc="<script>parent.__pwned='camera-3'</script>"></iframe>`, 39.905, 116.352],
];
const SWEPT = [markup('device-1', 'pwned'), markup('device-2', 'pwned')]; // the devices' WS-Discovery name scopes
const MODELS = [`<img src=x onerror="window.pwned='model-1'">M1`, `<script>window.pwned='model-2'</script>M2`]; // hardware scope and device information
const PRESET = markup('wall-preset');

const square = (w: number, s: number, e: number, n: number) => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const DISTRICT = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { code: 'SB', name: NAMES.SB, tier: 'sub-bureau', parentCode: null }, geometry: square(116.28, 39.88, 116.40, 39.96) },
    { type: 'Feature', properties: { code: 'ST1', name: NAMES.ST1, tier: 'station', parentCode: 'SB' }, geometry: square(116.30, 39.90, 116.36, 39.93) },
    { type: 'Feature', properties: { code: 'P1', name: NAMES.P1, tier: 'post', parentCode: 'ST1' }, geometry: square(116.30, 39.90, 116.33, 39.93) },
    { type: 'Feature', properties: { code: 'P2', name: NAMES.P2, tier: 'post', parentCode: 'ST1' }, geometry: square(116.33, 39.90, 116.36, 39.93) },
  ],
};

function rawGet(base: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

interface Tab { page: Page; context: BrowserContext; errors: string[] }

describe('console: stored XSS and security headers', () => {
  let tg: TestProcess;
  let fleet: Fleet;
  let browser: Browser | undefined;
  let admin: string;
  let tab: Tab | undefined;

  beforeAll(async () => {
    fleet = await startCameraFleet({ count: 2, firstAddress: `127.0.${BLOCK}.1`, names: SWEPT, models: MODELS, labelPerCamera: false });
    tg = await startTestProcess(
      { name: 'console-xss', modules: [PartitionerModule, DiscoveryModule, GatewayModule], http: true },
      { 'discovery.probeTimeoutMs': 250, 'discovery.ports': [8080], 'health.intervalSeconds': 3600 },
    );
    admin = await tg.login();
    const imported = await tg.call('POST', '/api/jurisdictions/import', { token: admin, raw: JSON.stringify(DISTRICT), contentType: 'application/geo+json' });
    if (imported.status >= 300) throw new Error(`jurisdiction import failed: ${imported.status} ${imported.text}`);
    const st1 = (await tg.call('GET', '/api/jurisdictions', { token: admin })).body.find((j: { code: string }) => j.code === 'ST1').id;
    const op = await tg.call('POST', '/api/users', { token: admin, body: { username: 'xss-op', password: 'xss-operator-pass-1', role: 'operator', jurisdictionId: st1 } });
    if (op.status !== 201) throw new Error(`user: ${op.status} ${op.text}`);
    for (const [i, [name, lat, lon]] of CAMERAS.entries()) {
      const res = await tg.call('POST', '/api/cameras', { token: admin, body: { name, rtspUrl: `rtsp://127.0.${BLOCK + 10}.${i + 1}:8554/main`, location: { lat, lon }, tags: ['garage', TAG] } });
      if (res.status !== 201) throw new Error(`camera ${i}: ${res.status} ${res.text}`);
    }
    // A hotspot around camera 1, so the hotspot list names its nearest cameras.
    const rows = ['id,type,occurred_at,lat,lon'];
    for (let i = 0; i < 24; i++) rows.push(`hot-${i},burglary,2026-03-0${1 + (i % 7)}T1${i % 10}:00:00Z,${39.9121 + (i % 3) * 0.0001},${116.3101 + (i % 4) * 0.0001}`);
    [[39.885, 116.29], [39.95, 116.39], [39.94, 116.30], [39.89, 116.38], [39.925, 116.35]].forEach(([lat, lon], i) => rows.push(`bg-${i},robbery,2026-03-10T08:00:00Z,${lat},${lon}`));
    const seeded = await tg.call('POST', '/api/incidents/import', { token: admin, raw: `${rows.join('\n')}\n`, contentType: 'text/csv' });
    if (seeded.status >= 300) throw new Error(`incident import: ${seeded.status} ${seeded.text}`);
    if (hasChromium) {
      browser = await launchChromium();
    }
  }, 120_000);

  afterAll(async () => {
    await tab?.context.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await tg?.stop();
    await fleet?.stop();
  });

  /** A fresh context logged in through the form; records CSP violations, page errors and external requests. */
  async function open(username: string, password: string, route: string): Promise<Tab> {
    const context = await browser!.newContext({ viewport: { width: 1400, height: 900 } });
    await context.addInitScript(() => {
      (window as any).__violations = [];
      document.addEventListener('securitypolicyviolation', (e) => (window as any).__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(`pageerror ${e.message}`));
    page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) errors.push(`console ${m.text()}`); });
    await page.route(/^(?!http:\/\/127\.0\.0\.1[:/]).*/, (r) => { errors.push(`external request ${r.request().url()}`); return r.abort(); });
    await page.goto(`${tg.url}/#/${route}`);
    await page.fill('#login-form input[name=username]', username);
    await page.fill('#login-form input[name=password]', password);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#header:not([hidden])');
    return { page, context, errors };
  }

  async function adminTab(route: string): Promise<Tab> {
    tab ??= await open('admin', ADMIN_PASSWORD, route);
    await tab.page.evaluate((r) => { location.hash = `#/${r}`; }, route);
    await tab.page.waitForSelector(`#screen-${route}`);
    return tab;
  }

  /** Nothing ran, nothing was refused, no injected element exists. */
  async function expectClean(t: Tab) {
    const state = await t.page.evaluate(() => ({
      pwned: (window as any).__pwned ?? (window as any).pwned,
      violations: (window as any).__violations as string[],
      injected: document.querySelectorAll('img[src="x"], iframe, svg[onload], [onerror], a[href^="javascript:" i], body script').length,
    }));
    expect(state).toEqual({ pwned: undefined, violations: [], injected: 0 });
    expect(t.errors).toEqual([]);
  }

  it('sends the security headers on the console, the API, metrics and video paths', async () => {
    const token = `Bearer ${admin}`;
    for (const [path, headers] of [['/', { accept: 'text/html' }], ['/app.js', {}], ['/wall/7', { accept: 'text/html' }], ['/api/health', {}], ['/api/cameras', {}], ['/api/cameras', { authorization: token }], ['/api/nope', {}], ['/metrics', {}], ['/hls/x/sub/index.m3u8', {}]] as const) {
      const res = await rawGet(tg.url, path, headers);
      const csp = String(res.headers['content-security-policy']);
      for (const d of ["default-src 'self'", "script-src 'self';", "script-src-attr 'none'", "style-src 'self';", "style-src-attr 'none'", "img-src 'self' data: blob:;", "media-src 'self' blob:", "worker-src 'self' blob:", "connect-src 'self';", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"]) {
        expect(`${path}: ${csp}`).toContain(d);
      }
      expect(`${path}: ${csp}`).not.toMatch(/unsafe-(inline|eval)/);
      expect([path, res.headers['referrer-policy'], res.headers['x-content-type-options'], res.headers['x-frame-options'], res.headers['x-powered-by']]).toEqual([path, 'no-referrer', 'nosniff', 'DENY', undefined]);
    }
  });

  itBrowser('map: search hits, popups, tooltips and labels show the names as text; the popup opens the camera by its literal name', async () => {
    const t = await adminTab('map');
    const { page } = t;
    await page.waitForSelector('#main-map[data-ready=true]');
    // Every camera by its literal name through the search (markers may sit in a cluster): the hit, the popup and the
    // marker's tooltip all show the name as text.
    for (const [name] of CAMERAS) {
      await page.fill('#map-search', name);
      const hit = page.locator('#map-search-results [data-kind=camera]').filter({ has: page.locator('.map-search-name', { hasText: name }) });
      const names = await page.$$eval('#map-search-results [data-kind=camera] .map-search-name', (els) => els.map((e) => e.textContent));
      expect(names).toContain(name);
      await hit.first().click();
      await page.waitForFunction((n) => document.querySelector('.camera-popup .camera-popup-name')?.textContent === n, name);
      const id = await page.getAttribute('.camera-popup', 'data-camera-id');
      await page.click('.camera-popup-wrap .leaflet-popup-close-button');
      await page.waitForSelector('.camera-popup', { state: 'detached' });
      // The marker's tooltip (hovered again until it shows: the cluster may still be moving the marker into place).
      const tooltipShown = (n: string) => page.waitForFunction((x) => [...document.querySelectorAll('.leaflet-tooltip-pane .camera-tooltip')].some((e) => e.textContent?.startsWith(`${x} · `)), n, { timeout: 2000 }).then(() => true, () => false);
      let tooltip = false;
      for (let attempt = 0; attempt < 5 && !tooltip; attempt++) {
        await page.mouse.move(5, 890);
        await page.locator(`#main-map .camera-marker[data-camera-id="${id}"]`).hover({ force: true });
        tooltip = await tooltipShown(name);
      }
      expect(tooltip).toBe(true);
      await page.mouse.move(5, 890);
    }
    // The boundaries under the pointer (the topmost one answers the hover) and the name labels.
    const boundaryTexts = new Set<string>();
    for (const cls of ['boundary-post', 'boundary-station', 'boundary-sub-bureau']) {
      const paths = page.locator(`#main-map path.${cls}`);
      for (let i = 0; i < (await paths.count()); i++) {
        await paths.nth(i).hover({ force: true, position: { x: 8, y: 8 } });
        await page.waitForTimeout(100);
        for (const text of await page.$$eval('.leaflet-tooltip-pane .boundary-tooltip', (els) => els.map((e) => e.textContent ?? ''))) boundaryTexts.add(text);
      }
    }
    const expected = [[NAMES.SB, 'sub-bureau'], [NAMES.ST1, 'station'], [NAMES.P1, 'post'], [NAMES.P2, 'post']].map(([n, tier]) => `${n} (${tier})`);
    expect(boundaryTexts.size).toBeGreaterThan(0);
    for (const text of boundaryTexts) expect(expected).toContain(text);
    const labels = await page.$$eval('#main-map .map-label-text', (els) => els.map((e) => e.textContent ?? ''));
    for (const text of labels) expect(Object.values(NAMES)).toContain(text);
    // The popup's live button opens the full-screen player titled with the literal name.
    const [first] = CAMERAS[0]!;
    await page.fill('#map-search', first);
    await page.locator('#map-search-results [data-kind=camera]').filter({ has: page.locator('.map-search-name', { hasText: first }) }).first().click();
    await page.waitForFunction((n) => document.querySelector('.camera-popup .camera-popup-name')?.textContent === n, first);
    await page.click('.camera-popup-live');
    await page.waitForSelector('#overlay:not([hidden]) .overlay-bar strong');
    expect(await page.textContent('#overlay .overlay-bar strong')).toBe(first);
    await page.keyboard.press('Escape');
    await expectClean(t);
  });

  itBrowser('cameras list, editor and a discovery sweep of devices that name themselves with markup', async () => {
    const t = await adminTab('operators');
    const { page } = t;
    await page.waitForFunction((n) => document.querySelectorAll('#camera-rows tr').length === n, CAMERAS.length);
    expect((await page.$$eval('#camera-rows .cam-name', (tds) => tds.map((td) => td.textContent))).sort()).toEqual(CAMERAS.map(([n]) => n).sort());
    const rowTexts = await page.$$eval('#camera-rows tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
    for (const text of rowTexts) {
      expect(text).toContain(`garage, ${TAG}`);
      expect(text).toMatch(/post-1 <img|<svg onload/); // the jurisdiction column
    }
    expect(await page.$$eval('#ops-jurisdiction option', (os) => os.map((o) => o.textContent))).toEqual(expect.arrayContaining([`${NAMES.P2} (post)`]));
    await page.locator('#camera-rows tr').first().locator('button.edit').click();
    await page.waitForSelector('#camera-editor:not([hidden]) h3');
    expect(await page.textContent('#camera-editor h3')).toMatch(/^Edit .*(camera-\d <img|<iframe)/);

    // The sweep: findings show the devices' own names (WS-Discovery name scope) as text; adding them names the cameras so.
    await page.fill('#sweep-cidr', `127.0.${BLOCK}.0/30`);
    await page.fill('#sweep-ports', '8080');
    await page.click('#sweep-form button[type=submit]');
    await page.waitForFunction(() => (document.querySelector('#sweep-progress-text') as HTMLElement)?.dataset.state === 'done', undefined, { timeout: 20_000 });
    const devices = await page.$$eval('#sweep-findings tr td:nth-child(4)', (tds) => tds.map((td) => td.textContent));
    expect(devices.sort()).toEqual([...MODELS].sort());
    for (const cam of fleet.cameras) await page.check(`#sweep-findings tr[data-host="${cam.host}"] input[type=checkbox]`);
    await page.fill('#sweep-username', 'admin');
    await page.fill('#sweep-password', 'sim-pass');
    await page.fill('#sweep-tags', TAG);
    await page.click('#sweep-add');
    await page.waitForFunction(() => document.querySelectorAll('#sweep-result .ok').length === 2, undefined, { timeout: 20_000 });
    const added = await page.$$eval('#sweep-result .ok', (ds) => ds.map((d) => d.textContent));
    expect(added.sort()).toEqual(SWEPT.map((n) => `added ${n} (online)`).sort());
    await page.waitForFunction((n) => document.querySelectorAll('#camera-rows tr').length === n, CAMERAS.length + SWEPT.length);
    await expectClean(t);
  });

  itBrowser('wall: tiles, post list and a preset named with markup; garages: cards', async () => {
    const t = await adminTab('garages');
    const { page } = t;
    await page.waitForFunction((n) => document.querySelectorAll('#garage-grid .garage-card').length === n, CAMERAS.length);
    const labels = await page.$$eval('#garage-grid .garage-label', (ls) => ls.map((l) => (l.textContent ?? '').trim()));
    expect(labels.sort()).toEqual(CAMERAS.map(([n]) => n).sort());

    const ids = (await tg.call('GET', `/api/cameras`, { token: admin })).body.map((c: { id: string }) => c.id);
    // Presets are the server's walls (POST /api/walls), listed by name on every PC of the station.
    expect((await tg.call('POST', '/api/walls', { token: admin, body: { name: PRESET, cameraIds: ids } })).status).toBe(201);
    await page.evaluate(() => { location.hash = '#/wall'; });
    await page.waitForSelector('#screen-wall');
    await page.waitForFunction(() => document.querySelectorAll('#wall-preset option').length === 2);
    expect(await page.$$eval('#wall-preset option', (os) => os.map((o) => o.textContent))).toEqual(['No preset', PRESET]);
    expect(await page.$$eval('#wall-post option', (os) => os.map((o) => o.textContent))).toEqual(expect.arrayContaining([`${NAMES.ST1} (station)`, `${NAMES.P1} (post)`]));
    await page.selectOption('#wall-preset', { label: PRESET });
    await page.waitForFunction((n) => document.querySelectorAll('#wall-grid .tile[data-camera-id]').length === n, ids.length);
    const names = await page.$$eval('#wall-grid .tile-name', (ns) => ns.map((n) => n.textContent));
    expect(names.sort()).toEqual([...CAMERAS.map(([n]) => n), ...SWEPT].sort());
    await page.dblclick('#wall-grid .tile[data-camera-id]');
    await page.waitForSelector('#overlay:not([hidden]) .overlay-bar strong');
    expect(names).toContain(await page.textContent('#overlay .overlay-bar strong'));
    await page.keyboard.press('Escape');
    await expectClean(t);
  });

  itBrowser('hotspots: nearest-camera names, top areas and cell tooltips as text', async () => {
    const t = await adminTab('hotspots');
    const { page } = t;
    await page.waitForSelector('#hs-list .hs-cells li');
    await page.waitForSelector('#hs-top-areas li');
    const nearest = await page.textContent('#hs-list .hs-cells li .muted');
    expect(nearest).toContain(CAMERAS[0]![0]);
    const areas = await page.$$eval('#hs-top-areas li', (ls) => ls.map((l) => l.textContent ?? ''));
    expect(areas.some((a) => Object.values(NAMES).some((n) => a.startsWith(`${n}:`)))).toBe(true);
    await page.locator('#hotspot-map path.hotspot-cell').first().hover({ force: true });
    await page.waitForSelector('.leaflet-tooltip-pane .leaflet-tooltip');
    // Leaflet's boundary and cell tooltips are text only.
    for (const text of await page.$$eval('.leaflet-tooltip-pane .leaflet-tooltip', (els) => els.map((e) => e.innerHTML))) expect(text).not.toMatch(/<(img|script|svg|iframe|a )/);
    await expectClean(t);
  });

  itBrowser('header: a station user sees its jurisdiction name as text', async () => {
    const op = await open('xss-op', 'xss-operator-pass-1', 'wall');
    try {
      expect(await op.page.textContent('#user-jurisdiction')).toBe(`${NAMES.ST1} (station)`);
      await op.page.waitForFunction(() => document.querySelectorAll('#wall-grid .tile').length > 0);
      await expectClean(op);
    } finally {
      await op.context.close();
    }
  });
});
