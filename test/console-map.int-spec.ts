/**
 * The map screen (issue 15, docs/map.md) in a real browser (headless Chromium through playwright-core, 1366×768,
 * zh-CN) against a real gateway configured with a GeoJSON basemap and no tiles: jurisdiction names as labels (stations
 * at the first view, posts once zoomed in), a cluster that shows how many cameras it holds, three cameras at one spot
 * spread out on a click, legend counts equal to the API's statuses, unticking "offline" hides the offline cameras
 * from markers and clusters and updates the counts, the search jumps to a camera (its popup) and to a post, the
 * basemap's streets and landmarks are drawn, a status pushed from the bus recolours a marker and moves the counts,
 * and axe-core finds no serious violation. Screenshots test-artifacts/console/map-*.png.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { Topics } from '@tiergate/contracts';
import { MqttBus } from '@tiergate/messaging';
import { startCameraFleet, type Fleet } from '../apps/camera-sim/src/fleet';
import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { PartitionerModule } from '../apps/partitioner/src/partitioner.module';
import { ADMIN_PASSWORD, startTestProcess, TestProcess } from './support/harness';
import { hasChromium, launchChromium } from './support/chromium';

jest.setTimeout(120_000);

const ARTIFACTS = join(__dirname, '..', 'test-artifacts', 'console');
const itIf = hasChromium ? it : it.skip;
// Embedded and external runs may overlap: each uses its own loopback block.
const BLOCK = process.env.TIERGATE_TEST_MODE === 'external' ? 141 : 140;

const square = (w: number, s: number, e: number, n: number) => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const DISTRICT = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { code: 'SB', name: '河畔分局', tier: 'sub-bureau', parentCode: null }, geometry: square(116.28, 39.86, 116.40, 39.96) },
    { type: 'Feature', properties: { code: 'ST1', name: 'North Station', tier: 'station', parentCode: 'SB' }, geometry: square(116.30, 39.90, 116.36, 39.94) },
    { type: 'Feature', properties: { code: 'P1', name: 'Elm Post', tier: 'post', parentCode: 'ST1' }, geometry: square(116.30, 39.90, 116.33, 39.93) },
    { type: 'Feature', properties: { code: 'P2', name: '和平里警务室', tier: 'post', parentCode: 'ST1' }, geometry: square(116.33, 39.90, 116.36, 39.93) },
    { type: 'Feature', properties: { code: 'ST2', name: 'South Station', tier: 'station', parentCode: 'SB' }, geometry: square(116.30, 39.87, 116.36, 39.90) },
    { type: 'Feature', properties: { code: 'P3', name: 'Birch Post', tier: 'post', parentCode: 'ST2' }, geometry: square(116.30, 39.87, 116.36, 39.90) },
  ],
};
const BASEMAP = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { name: 'Elm Road', highway: 'primary' }, geometry: { type: 'LineString', coordinates: [[116.29, 39.905], [116.35, 39.905], [116.39, 39.91]] } },
    { type: 'Feature', properties: { highway: 'residential' }, geometry: { type: 'LineString', coordinates: [[116.32, 39.87], [116.32, 39.95]] } },
    { type: 'Feature', properties: { name: '人民公园' }, geometry: square(116.365, 39.92, 116.38, 39.935) },
    { type: 'Feature', properties: { name: 'City Hall' }, geometry: { type: 'Point', coordinates: [116.37, 39.885] } },
  ],
};

type Kind = 'online' | 'offline' | 'unauthorized' | 'unknown';
/** [name, lat, lon, status it gets]: online and unauthorized are simulated cameras, offline an RTSP address nobody serves. */
const CAMERAS: [string, number, number, Kind][] = [
  // four cameras within 300 m in Elm Post: one cluster at the first view
  ['Elm gate', 39.912, 116.31, 'online'],
  ['Elm garage A', 39.913, 116.312, 'offline'],
  ['Elm garage B', 39.9125, 116.3115, 'offline'],
  ['Elm corner', 39.9112, 116.3104, 'offline'],
  // three at one spot in Birch Post
  ['Birch pole 1', 39.88, 116.32, 'online'],
  ['Birch pole 2', 39.88, 116.32, 'offline'],
  ['Birch pole 3', 39.88, 116.32, 'unauthorized'],
  ['Birch garage', 39.885, 116.345, 'offline'],
  ['北门岗亭', 39.912, 116.345, 'online'],
  ['Station yard', 39.935, 116.34, 'unknown'],
];

interface MapState { clusters: number[]; markers: { id: string; status: string; x: number; y: number }[]; labels: Record<string, string[]> }

describe('console map', () => {
  let tg: TestProcess;
  let fleet: Fleet;
  let browser: Browser | undefined;
  let dir: string;
  const jur: Record<string, string> = {};
  const cam: Record<string, string> = {};
  let api: { id: string; name: string; status: string; location: { lat: number; lon: number } | null }[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'tg-map-'));
    writeFileSync(join(dir, 'basemap.geojson'), JSON.stringify(BASEMAP));
    fleet = await startCameraFleet({ count: 4, firstAddress: `127.0.${BLOCK}.1`, password: 'sim-pass', labelPerCamera: false });
    tg = await startTestProcess(
      { name: 'console-map-test', modules: [PartitionerModule, GatewayModule], http: true },
      { 'health.intervalSeconds': 3600, 'console.basemapFile': join(dir, 'basemap.geojson') },
    );
    const token = await tg.login();
    const imported = await tg.call('POST', '/api/jurisdictions/import', { token, raw: JSON.stringify(DISTRICT), contentType: 'application/geo+json' });
    if (imported.status >= 300) throw new Error(`jurisdiction import failed: ${imported.status} ${imported.text}`);
    for (const j of (await tg.call('GET', '/api/jurisdictions', { token })).body) jur[j.code] = j.id;
    let sim = 0;
    for (const [i, [name, lat, lon, kind]] of CAMERAS.entries()) {
      const device = kind === 'online' || kind === 'unauthorized' ? fleet.cameras[sim++]! : undefined;
      const body = device
        ? { name, location: { lat, lon }, onvif: { host: device.host, port: device.onvifPort, username: 'admin', password: kind === 'online' ? 'sim-pass' : 'wrong-pass' } }
        : { name, location: { lat, lon }, rtspUrl: `rtsp://127.0.${BLOCK}.${100 + i}:8554/main` };
      const res = await tg.call('POST', '/api/cameras', { token, body });
      if (res.status !== 201) throw new Error(`camera ${name}: ${res.status} ${res.text}`);
      cam[name] = res.body.id;
    }
    // A camera nobody has checked yet: unknown (in the database and on the bus, which the push channel replays).
    const unknownId = cam['Station yard']!;
    await tg.running.app.get(DataSource, { strict: false }).query(`UPDATE cameras SET status = 'unknown', "statusReason" = NULL WHERE id = $1`, [unknownId]);
    await tg.running.app.get(MqttBus, { strict: false }).publish(Topics.cameraStatus(unknownId), { status: 'unknown', at: new Date().toISOString() }, { retain: true, qos: 1 });
    // One camera without a location: counted apart, not on the map.
    const off = await tg.call('POST', '/api/cameras', { token, body: { name: 'Somewhere', rtspUrl: `rtsp://127.0.${BLOCK}.99:8554/main`, jurisdictionId: jur.P3 } });
    if (off.status !== 201) throw new Error(`camera Somewhere: ${off.status} ${off.text}`);
    api = (await tg.call('GET', '/api/cameras', { token })).body;
    const want: Record<string, Kind> = Object.fromEntries(CAMERAS.map(([n, , , k]) => [n, k]));
    for (const c of api) if (want[c.name]) expect(`${c.name}: ${c.status}`).toBe(`${c.name}: ${want[c.name]}`);
    if (hasChromium) {
      browser = await launchChromium();
    }
  }, 150_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await tg?.stop();
    await fleet?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function openMap({ bypassCSP = false } = {}): Promise<{ page: Page; errors: string[] }> {
    const context = await browser!.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', bypassCSP });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // The console's CSP has no inline styles or scripts: Leaflet and the cluster plug-in must do without them.
    page.on('console', (m) => { if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) errors.push(m.text()); });
    await page.route(/^(?!(http|ws):\/\/127\.0\.0\.1[:/]).*/, (r) => { errors.push(`external request ${r.request().url()}`); return r.abort(); });
    await page.goto(`${tg.url}/#/map`);
    await page.fill('#login-form input[name=username]', 'admin');
    await page.fill('#login-form input[name=password]', ADMIN_PASSWORD);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#main-map[data-ready=true]');
    await settle(page);
    return { page, errors };
  }

  /** Clusters' counts, the single markers (camera id, status, screen position) and the labels shown, once nothing moves. */
  async function state(page: Page): Promise<MapState> {
    return page.evaluate(() => {
      const el = document.querySelector('#main-map') as HTMLElement;
      const labels: Record<string, string[]> = {};
      for (const l of el.querySelectorAll('.map-label')) {
        const kind = [...l.classList].find((c) => c.startsWith('map-label-'))!.slice('map-label-'.length);
        (labels[kind] ??= []).push(l.textContent ?? '');
      }
      for (const k of Object.keys(labels)) labels[k]!.sort();
      return {
        // a spread-out cluster stays behind its markers, faded (opacity 0.3): not counted as a cluster
        clusters: [...el.querySelectorAll('.camera-cluster')].filter((c) => Number(getComputedStyle(c).opacity) === 1)
          .map((c) => Number((c.querySelector('.camera-cluster-inner') as HTMLElement).dataset.count)).sort((a, b) => a - b),
        markers: [...el.querySelectorAll('.camera-marker')].map((m) => {
          const r = m.getBoundingClientRect();
          return { id: (m as HTMLElement).dataset.cameraId!, status: [...m.classList].find((c) => c.startsWith('status-'))!.slice(7), x: r.x + r.width / 2, y: r.y + r.height / 2 };
        }),
        labels,
      };
    });
  }

  /** Waits until markercluster's animations are over and two readings 300 ms apart agree. */
  async function settle(page: Page): Promise<MapState> {
    let last = '';
    for (let i = 0; i < 40; i++) {
      await page.waitForTimeout(300);
      const busy = await page.evaluate(() => !!document.querySelector('#main-map .leaflet-cluster-anim, #main-map .leaflet-zoom-anim'));
      const now = JSON.stringify(await state(page));
      if (!busy && now === last) return JSON.parse(now);
      last = now;
    }
    throw new Error(`the map did not settle: ${last}`);
  }

  const located = () => api.filter((c) => c.location);
  const countOf = (status: string) => located().filter((c) => c.status === status).length;
  const shownOnMap = (s: MapState) => s.clusters.reduce((a, b) => a + b, 0) + s.markers.length;

  itIf('labels stations at the first view, a cluster counts its cameras, the legend counts match the API, the basemap is drawn', async () => {
    const { page, errors } = await openMap();
    const s = await settle(page);
    // Station names at an interior point of their boundary; posts' names wait for zoom 14 (docs/map.md).
    expect(s.labels.station).toEqual(['North Station', 'South Station']);
    expect(s.labels.post ?? []).toEqual([]);
    for (const name of ['North Station', 'South Station']) expect(await page.isVisible(`#main-map .map-label-station .map-label-text:has-text("${name}")`)).toBe(true);
    // The four Elm cameras within 300 m are one cluster saying 4; the three at one spot one saying 3.
    expect(s.clusters).toEqual([3, 4]);
    expect(await page.textContent('#main-map .camera-cluster-inner[data-count="4"]')).toBe('4');
    expect(shownOnMap(s)).toBe(located().length);
    expect(s.markers.map((m) => m.id).sort()).toEqual([cam['Birch garage'], cam['北门岗亭'], cam['Station yard']].sort());
    // Legend: per-status counts as the API says, names in Chinese.
    const legend = await page.$$eval('#map-legend .legend-item', (items) => items.map((i) => [(i as HTMLElement).dataset.status, i.querySelector('.legend-name')!.textContent, i.querySelector('.legend-count')!.textContent]));
    expect(legend).toEqual([
      ['online', '在线', String(countOf('online'))],
      ['offline', '离线', String(countOf('offline'))],
      ['unauthorized', '未授权', String(countOf('unauthorized'))],
      ['unknown', '未知', String(countOf('unknown'))],
    ]);
    expect(countOf('unknown')).toBe(1);
    expect(await page.textContent('#map-shown')).toBe(`显示 ${located().length} / ${located().length} 路`);
    expect(await page.textContent('#map-info')).toBe(`6 个辖区，地图上 ${located().length} 路摄像机`);
    expect(await page.textContent('#map-unlocated')).toBe('1 路摄像机无位置，未显示');
    // The basemap under the boundaries: two streets (one major), the park, City Hall, and the landmarks' names.
    expect(await page.$$('#main-map .leaflet-basemap-pane path.basemap-street')).toHaveLength(2);
    expect(await page.$$('#main-map .leaflet-basemap-pane path.basemap-street-major')).toHaveLength(1);
    expect(await page.$$('#main-map .leaflet-basemap-pane path.basemap-area')).toHaveLength(1);
    expect(await page.$$('#main-map .leaflet-basemap-pane path.basemap-landmark')).toHaveLength(1);
    expect(s.labels.landmark).toEqual(['City Hall', '人民公园']);
    expect(s.labels.street ?? []).toEqual([]); // street names from zoom 15
    expect(await page.$$('#main-map .leaflet-tile')).toHaveLength(0);
    await page.screenshot({ path: join(ARTIFACTS, 'map-overview.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  itIf('three cameras at one spot spread out on a click, each its own marker', async () => {
    const { page, errors } = await openMap();
    await page.click('#main-map .camera-cluster-inner[data-count="3"]');
    const s = await settle(page);
    const birch = ['Birch pole 1', 'Birch pole 2', 'Birch pole 3'].map((n) => cam[n]!);
    const spread = s.markers.filter((m) => birch.includes(m.id));
    expect(spread.map((m) => m.id).sort()).toEqual([...birch].sort());
    expect(spread.map((m) => m.status).sort()).toEqual(['offline', 'online', 'unauthorized']);
    // On a circle of 35 px around the spot (docs/map.md), 120° apart: about 60 px from each other, clear of one another.
    for (let i = 0; i < spread.length; i++) {
      for (let j = i + 1; j < spread.length; j++) expect(Math.hypot(spread[i]!.x - spread[j]!.x, spread[i]!.y - spread[j]!.y)).toBeGreaterThan(50);
    }
    expect(s.clusters).toEqual([4]); // the spread cluster is gone, the other stays
    // Each spread marker opens its camera's popup.
    await page.click(`#main-map .camera-marker[data-camera-id="${cam['Birch pole 3']}"]`);
    await page.waitForSelector(`.camera-popup[data-camera-id="${cam['Birch pole 3']}"]`);
    expect(await page.textContent('.camera-popup .camera-popup-name')).toBe('Birch pole 3');
    expect(await page.textContent('.camera-popup .status')).toBe('未授权');
    await page.waitForTimeout(400); // the popup's fade-in
    await page.screenshot({ path: join(ARTIFACTS, 'map-spread.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  itIf('unticking "offline" hides the offline cameras from markers and clusters and updates the counts', async () => {
    const { page, errors } = await openMap();
    await page.uncheck('#map-legend input[data-status=offline]');
    const s = await settle(page);
    const rest = located().length - countOf('offline');
    expect(shownOnMap(s)).toBe(rest);
    expect(s.markers.filter((m) => m.status === 'offline')).toEqual([]);
    // Elm's cluster of 4 had 3 offline: Elm gate alone is left; the spot of three keeps two (online, unauthorized).
    expect(s.clusters).toEqual([2]);
    expect(s.markers.map((m) => m.id)).toContain(cam['Elm gate']);
    expect(await page.textContent('#map-shown')).toBe(`显示 ${rest} / ${located().length} 路`);
    expect(await page.getAttribute('#map-legend .legend-item[data-status=offline]', 'class')).toContain('off');
    expect(await page.textContent('#map-legend .legend-item[data-status=offline] .legend-count')).toBe(String(countOf('offline')));
    await page.screenshot({ path: join(ARTIFACTS, 'map-filter.png') });
    // Kept for the next visit in this browser; ticking it again brings them back.
    await page.reload();
    await page.waitForSelector('#main-map[data-ready=true]');
    expect(await page.isChecked('#map-legend input[data-status=offline]')).toBe(false);
    expect(shownOnMap(await settle(page))).toBe(rest);
    await page.check('#map-legend input[data-status=offline]');
    const back = await settle(page);
    expect(shownOnMap(back)).toBe(located().length);
    expect(back.clusters).toEqual([3, 4]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  itIf('the search jumps to a camera (its popup) and to a post (its name labelled once zoomed in)', async () => {
    const { page, errors } = await openMap();
    await page.fill('#map-search', 'ELM GAR');
    const hits = await page.$$eval('#map-search-results [data-kind]', (li) => li.map((l) => `${(l as HTMLElement).dataset.kind}:${l.querySelector('.map-search-name')!.textContent}`));
    expect(hits).toEqual(['camera:Elm garage A', 'camera:Elm garage B']);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForSelector(`.camera-popup[data-camera-id="${cam['Elm garage B']}"]`);
    const s = await settle(page);
    expect(s.markers.map((m) => m.id)).toContain(cam['Elm garage B']); // out of its cluster
    expect(await page.textContent('.camera-popup .camera-popup-name')).toBe('Elm garage B');
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(ARTIFACTS, 'map-search-camera.png') });
    // The live button of the popup opens the full-screen view of that camera.
    await page.click('.camera-popup-live');
    await page.waitForSelector(`#overlay:not([hidden]) .overlay-video[data-camera-id="${cam['Elm garage B']}"]`);
    await page.keyboard.press('Escape');
    await page.waitForSelector('#overlay', { state: 'hidden' });

    await page.fill('#map-search', '和平');
    expect(await page.$$eval('#map-search-results [data-kind]', (li) => li.map((l) => (l as HTMLElement).dataset.id))).toEqual([jur.P2]);
    await page.keyboard.press('Enter');
    const post = await settle(page);
    expect(post.labels.post).toEqual(expect.arrayContaining(['和平里警务室']));
    expect(post.labels.station ?? []).toEqual([]); // the station's name gives way to its posts' (docs/map.md)
    expect(await page.isVisible('#main-map .map-label-post .map-label-text:has-text("和平里警务室")')).toBe(true);
    expect(post.markers.map((m) => m.id)).toContain(cam['北门岗亭']);
    await page.screenshot({ path: join(ARTIFACTS, 'map-search-post.png') });

    await page.fill('#map-search', 'no such place');
    expect(await page.textContent('#map-search-results')).toBe('没有匹配的摄像机或辖区');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  itIf('axe-core finds no serious or critical violation on the map, its search results open, or a camera popup', async () => {
    // bypassCSP: the test injects axe-core, the console never loads it.
    const { page, errors } = await openMap({ bypassCSP: true });
    await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
    const serious = async () => page.evaluate(async () => {
      const r = await (window as any).axe.run(document.querySelector('#screen-map'), { resultTypes: ['violations'] });
      return r.violations.filter((v: any) => v.impact === 'serious' || v.impact === 'critical')
        .map((v: any) => `${v.id}: ${v.nodes.slice(0, 3).map((n: any) => n.target.join(' ')).join(', ')}`);
    });
    expect(await serious()).toEqual([]);
    await page.fill('#map-search', 'birch pole 2');
    await page.waitForSelector('#map-search-results [data-kind]');
    expect(await serious()).toEqual([]);
    await page.keyboard.press('Enter');
    await page.waitForSelector('.camera-popup');
    await page.waitForTimeout(400); // the popup's fade-in: contrast is measured at full opacity
    expect(await serious()).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  itIf('a status change from the push channel recolours the marker and moves the legend counts', async () => {
    const { page, errors } = await openMap();
    const id = cam['北门岗亭']!;
    await page.waitForSelector(`#main-map .camera-marker.status-online[data-camera-id="${id}"]`);
    const legendCount = (status: string) => page.textContent(`#map-legend .legend-item[data-status=${status}] .legend-count`);
    expect([await legendCount('online'), await legendCount('offline')]).toEqual([String(countOf('online')), String(countOf('offline'))]);
    // As the health monitor does it: the row, then the retained status on the bus (the push channel's source).
    await tg.running.app.get(DataSource, { strict: false }).query(`UPDATE cameras SET status = 'offline', "statusReason" = 'test' WHERE id = $1`, [id]);
    await tg.running.app.get(MqttBus, { strict: false }).publish(Topics.cameraStatus(id), { status: 'offline', at: new Date().toISOString(), reason: 'test' }, { retain: true, qos: 1 });
    await page.waitForSelector(`#main-map .camera-marker.status-offline[data-camera-id="${id}"]`, { timeout: 5000 });
    expect([await legendCount('online'), await legendCount('offline')]).toEqual([String(countOf('online') - 1), String(countOf('offline') + 1)]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('serves the configured basemap to a logged-in console only', async () => {
    expect((await tg.call('GET', '/api/console/config')).body).toEqual({ tileUrl: null, basemapUrl: '/api/console/basemap' });
    expect((await tg.call('GET', '/api/console/basemap')).status).toBe(401);
    const res = await tg.call('GET', '/api/console/basemap', { token: await tg.login() });
    expect(res.status).toBe(200);
    const body = typeof res.body === 'object' && res.body ? res.body : JSON.parse(res.text);
    expect(res.headers.get('content-type')).toMatch(/^application\/geo\+json/);
    expect(body.features.map((f: any) => f.properties)).toEqual([
      { role: 'street', name: 'Elm Road', major: true },
      { role: 'street' },
      { role: 'landmark', name: '人民公园' },
      { role: 'landmark', name: 'City Hall' },
    ]);
    const doc = await tg.call('GET', '/api/docs/openapi.json');
    if (doc.status === 200) expect(Object.keys(doc.body.paths['/api/console/basemap'] ?? {})).toEqual(['get']);
  });
});
