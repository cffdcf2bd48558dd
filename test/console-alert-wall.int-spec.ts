/**
 * Issue 16: a raised alert level changes what the jurisdiction's walls show (docs/methods.md "Alert levels"):
 * its hotspot cameras first, then its garages, a shorter tour dwell. In a real browser (headless Chromium through
 * playwright-core) against a real gateway (embedded mode). Screenshot: test-artifacts/console/alert-wall.png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { PartitionerModule } from '../apps/partitioner/src/partitioner.module';
import { startTestProcess, TestProcess } from './support/harness';
import { hasChromium, launchChromium } from './support/chromium';

jest.setTimeout(120_000);

const ARTIFACTS = join(__dirname, '..', 'test-artifacts', 'console');
const itIf = hasChromium ? it : it.skip;
/** How soon a level set by the station must reorder a viewer's wall. */
const REORDER_WITHIN_MS = 2000;
/** The wall's tour dwell (seconds) before any level: the console's default. */
const BASE_DWELL_S = 20;

const square = (w: number, s: number, e: number, n: number) => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const DISTRICT = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { code: 'SB', name: 'River Sub-bureau', tier: 'sub-bureau', parentCode: null }, geometry: square(116.28, 39.88, 116.42, 39.96) },
    { type: 'Feature', properties: { code: 'ST1', name: 'North Station', tier: 'station', parentCode: 'SB' }, geometry: square(116.30, 39.90, 116.36, 39.93) },
    { type: 'Feature', properties: { code: 'ST2', name: 'South Station', tier: 'station', parentCode: 'SB' }, geometry: square(116.36, 39.90, 116.42, 39.93) },
  ],
};
/** The planted cluster of incidents in North Station. */
const HOT = { lat: 39.925, lon: 116.305 };

describe('console wall under a raised alert level (issue 16)', () => {
  let tg: TestProcess;
  let browser: Browser | undefined;
  const jur: Record<string, string> = {};
  const cam: Record<string, string> = {};
  const contexts: BrowserContext[] = [];
  const token = (username: string) => tg.login(username, `${username}-pass`);

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    tg = await startTestProcess({ name: 'console-alert-wall-test', modules: [PartitionerModule, GatewayModule], http: true }, { 'health.intervalSeconds': 3600 });
    const admin = await tg.login();
    const imported = await tg.call('POST', '/api/jurisdictions/import', { token: admin, raw: JSON.stringify(DISTRICT), contentType: 'application/geo+json' });
    if (imported.status >= 300) throw new Error(`jurisdiction import failed: ${imported.status} ${imported.text}`);
    for (const j of (await tg.call('GET', '/api/jurisdictions', { token: admin })).body) jur[j.code] = j.id;
    for (const [username, role, code] of [['north-admin', 'admin', 'ST1'], ['north-viewer', 'viewer', 'ST1'], ['south-admin', 'admin', 'ST2'], ['south-viewer', 'viewer', 'ST2']]) {
      const res = await tg.call('POST', '/api/users', { token: admin, body: { username, password: `${username}-pass`, role, jurisdictionId: jur[code] } });
      if (res.status !== 201) throw new Error(`user ${username}: ${res.status} ${res.text}`);
    }
    // Unreachable RTSP addresses: the tiles show the cameras offline, the order is what is tested. Names sort the
    // hotspot cameras last and the garages after the plain ones, so the base order is not the alert order.
    const cams: [string, number, number, string[]][] = [
      ['A north gate', 39.905, 116.35, ['entrance']],
      ['B north lane', 39.908, 116.345, []],
      ['C north yard', 39.902, 116.355, []],
      ['Y garage east', 39.906, 116.352, ['garage']],
      ['Y garage west', 39.904, 116.33, ['garage']],
      ['Z market', HOT.lat + 0.0002, HOT.lon + 0.0003, []],
      ['Z market garage', HOT.lat - 0.0003, HOT.lon - 0.0002, ['garage']],
      ['S south gate', 39.91, 116.39, []],
      ['S south garage', 39.915, 116.40, ['garage']],
    ];
    for (const [i, [name, lat, lon, tags]] of cams.entries()) {
      const res = await tg.call('POST', '/api/cameras', { token: admin, body: { name, rtspUrl: `rtsp://127.0.28.${i + 1}:8554/main`, location: { lat, lon }, tags } });
      if (res.status !== 201) throw new Error(`camera ${name}: ${res.status} ${res.text}`);
      cam[name] = res.body.id;
    }
    // 30 incidents of the last days around the market, a thin background over both stations.
    const day = 86_400_000;
    const rows = ['id,type,occurred_at,lat,lon'];
    for (let i = 0; i < 30; i++) rows.push(`hot-${i},burglary,${new Date(Date.now() - (1 + (i % 20)) * day).toISOString()},${HOT.lat + (i % 3) * 0.0001},${HOT.lon + (i % 4) * 0.0001}`);
    const spots = [[39.905, 116.35], [39.915, 116.32], [39.91, 116.34], [39.92, 116.355], [39.91, 116.39], [39.92, 116.41]];
    spots.forEach(([lat, lon], i) => rows.push(`bg-${i},robbery,${new Date(Date.now() - 10 * day).toISOString()},${lat},${lon}`));
    // Old ones (past 90 days) far from the market: they must not make a hot cell.
    for (let i = 0; i < 30; i++) rows.push(`old-${i},burglary,${new Date(Date.now() - 200 * day).toISOString()},39.905,116.35`);
    const seeded = await tg.call('POST', '/api/incidents/import', { token: admin, raw: `${rows.join('\n')}\n`, contentType: 'text/csv' });
    if (seeded.status >= 300) throw new Error(`incident import: ${seeded.status} ${seeded.text}`);
    if (hasChromium) {
      browser = await launchChromium();
    }
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await tg?.stop();
  });

  async function pc(username: string, locale: string): Promise<{ page: Page; errors: string[] }> {
    const context = await browser!.newContext({ viewport: { width: 1366, height: 768 }, locale });
    contexts.push(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.route(/^(?!http:\/\/127\.0\.0\.1[:/]).*/, (r) => { errors.push(`external request ${r.request().url()}`); return r.abort(); });
    await page.goto(`${tg.url}/#/wall?layout=9`);
    await page.fill('#login-form input[name=username]', username);
    await page.fill('#login-form input[name=password]', `${username}-pass`);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#header:not([hidden])');
    return { page, errors };
  }
  const tileIds = (page: Page) => page.$$eval('#wall-grid .tile[data-camera-id]', (ts) => ts.map((t) => (t as HTMLElement).dataset.cameraId!));
  const waitOrder = (page: Page, ids: string[], timeout: number) =>
    page.waitForFunction((want) => JSON.stringify([...document.querySelectorAll('#wall-grid .tile[data-camera-id]')].map((t) => (t as HTMLElement).dataset.cameraId)) === want, JSON.stringify(ids), { timeout });
  const put = async (username: string, node: string, level: number) =>
    tg.call('PUT', `/api/jurisdictions/${node}/alert-level`, { token: await token(username), body: { level, reason: 'market thefts' } });

  itIf("a station's raised level puts its hotspot cameras, then its garages first on its viewers' walls with a shorter dwell; another station cannot", async () => {
    const viewer = await token('north-viewer');
    // The wall's base order: the server's list of the viewer's cameras (North's seven).
    const base: { id: string; tags: string[] }[] = (await tg.call('GET', '/api/cameras?limit=500', { token: viewer })).body;
    const baseOrder = base.map((c) => c.id);
    expect([...baseOrder].sort()).toEqual(Object.entries(cam).filter(([n]) => !n.startsWith('S ')).map(([, id]) => id).sort());

    const north = await pc('north-viewer', 'zh-CN');
    const south = await pc('south-viewer', 'en-US');
    await waitOrder(north.page, baseOrder, 10_000);
    await south.page.waitForFunction(() => document.querySelectorAll('#wall-grid .tile[data-camera-id]').length === 2, undefined, { timeout: 10_000 });
    const southOrder = await tileIds(south.page);
    expect([...southOrder].sort()).toEqual([cam['S south gate'], cam['S south garage']].sort());
    expect(await north.page.isHidden('#wall-alert')).toBe(true);

    // Level 3 by the station's admin: the wall reorders within 2 s.
    const set = await put('north-admin', jur.ST1, 3);
    expect(set.status).toBe(200);
    const t0 = Date.now();
    const effects = (await tg.call('GET', `/api/jurisdictions/${jur.ST1}/alert-effects`, { token: viewer })).body;
    expect(effects).toMatchObject({ level: 3, sourceJurisdictionId: jur.ST1, effects: { hotspotsFirst: true } });
    // The hotspot cameras are the two at the market (not the garages far off, not the old incidents' corner).
    expect([...effects.hotspotCameraIds].sort()).toEqual([cam['Z market'], cam['Z market garage']].sort());
    const hot: string[] = effects.hotspotCameraIds.filter((id: string) => baseOrder.includes(id));
    const tags: string[] = effects.effects.priorityTags;
    expect(tags.length).toBeGreaterThan(0);
    const tagged = base.filter((c) => !hot.includes(c.id) && c.tags.some((t) => tags.includes(t))).map((c) => c.id);
    const rest = base.filter((c) => !hot.includes(c.id) && !tagged.includes(c.id)).map((c) => c.id);
    const expected = [...hot, ...tagged, ...rest];
    expect(expected).not.toEqual(baseOrder);
    expect(tagged).toEqual([cam['Y garage east'], cam['Y garage west']]);
    await waitOrder(north.page, expected, REORDER_WITHIN_MS - (Date.now() - t0));
    const reorderMs = Date.now() - t0;
    const dwell = Math.max(3, Math.round(BASE_DWELL_S * effects.effects.dwellFactor));
    expect(dwell).toBeLessThan(BASE_DWELL_S);
    await north.page.waitForSelector('#wall-alert:not([hidden])', { timeout: 1000 });
    expect(await north.page.$eval('#wall-alert', (e) => (e as HTMLElement).dataset.dwellSeconds)).toBe(String(dwell));
    expect(await north.page.textContent('#wall-alert')).toBe(`警情等级 3：热点摄像机优先，其次 ${tags.join(', ')}，轮巡 ${dwell} 秒`);
    await north.page.screenshot({ path: join(ARTIFACTS, 'alert-wall.png') });
    console.log(`alert wall: reordered ${reorderMs} ms after the PUT answered; dwell ${BASE_DWELL_S} s -> ${dwell} s`);

    // Back to 1: the base order and no level on the toolbar.
    expect((await put('north-admin', jur.ST1, 1)).status).toBe(200);
    await waitOrder(north.page, baseOrder, REORDER_WITHIN_MS + 1000);
    await north.page.waitForSelector('#wall-alert[hidden]', { state: 'attached', timeout: 1000 });

    // Another station's admin: 404 on North's node, which stays at 1 with its wall in the base order.
    expect((await put('south-admin', jur.ST1, 3)).status).toBe(404);
    await north.page.waitForTimeout(REORDER_WITHIN_MS);
    expect((await tg.call('GET', `/api/jurisdictions/${jur.ST1}/alert-level`, { token: viewer })).body.effective.level).toBe(1);
    expect(await tileIds(north.page)).toEqual(baseOrder);
    expect(await north.page.isHidden('#wall-alert')).toBe(true);
    // South's wall saw none of North's levels.
    expect(await tileIds(south.page)).toEqual(southOrder);
    expect(await south.page.isHidden('#wall-alert')).toBe(true);
    expect([...north.errors, ...south.errors]).toEqual([]);
  });
});
