/**
 * The device tree beside the wall (issue 15) in a real browser (headless Chromium through playwright-core) against a
 * real gateway: a station user's tree holds exactly that station's posts and cameras with the online/offline counts
 * the API gives (computed here from GET /api/jurisdictions and GET /api/cameras), the search narrows it (substring,
 * case-insensitive, pinyin initials), a camera dragged onto tile 2 shows there, a post dragged onto the wall fills it
 * from the first tile, the keyboard reaches a camera and puts it on the focused tile, and a status change on the bus
 * moves the counts. Screenshots in test-artifacts/console/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { Topics } from '@tiergate/contracts';
import { MqttBus } from '@tiergate/messaging';
import { startCameraFleet, type Fleet } from '../apps/camera-sim/src/fleet';
import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { PartitionerModule } from '../apps/partitioner/src/partitioner.module';
import { startTestProcess, TestProcess } from './support/harness';
import { hasChromium, launchChromium } from './support/chromium';

jest.setTimeout(90_000);

const ARTIFACTS = join(__dirname, '..', 'test-artifacts', 'console');
const itIf = hasChromium ? it : it.skip;
// Embedded and external runs may overlap: each uses its own loopback block.
const BLOCK = process.env.TIERGATE_TEST_MODE === 'external' ? 49 : 48;

const square = (w: number, s: number, e: number, n: number) => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const DISTRICT = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { code: 'SB', name: 'River Sub-bureau', tier: 'sub-bureau', parentCode: null }, geometry: square(116.28, 39.86, 116.40, 39.96) },
    { type: 'Feature', properties: { code: 'ST1', name: 'North Station', tier: 'station', parentCode: 'SB' }, geometry: square(116.30, 39.90, 116.36, 39.94) },
    { type: 'Feature', properties: { code: 'P1', name: 'Elm Post', tier: 'post', parentCode: 'ST1' }, geometry: square(116.30, 39.90, 116.33, 39.93) },
    { type: 'Feature', properties: { code: 'P2', name: '和平里警务室', tier: 'post', parentCode: 'ST1' }, geometry: square(116.33, 39.90, 116.36, 39.93) },
    { type: 'Feature', properties: { code: 'ST2', name: 'South Station', tier: 'station', parentCode: 'SB' }, geometry: square(116.30, 39.87, 116.36, 39.90) },
    { type: 'Feature', properties: { code: 'P3', name: 'Birch Post', tier: 'post', parentCode: 'ST2' }, geometry: square(116.30, 39.87, 116.36, 39.90) },
  ],
};
/** Cameras: [name, lat, lon, simulated (answers ONVIF: online) or an RTSP address nobody serves (offline)]. */
const CAMERAS: [string, number, number, boolean][] = [
  ['Elm gate', 39.912, 116.31, true],
  ['Elm garage A', 39.913, 116.312, false],
  ['Elm garage B', 39.915, 116.315, false],
  ['北门岗亭', 39.912, 116.345, true],
  ['东门车库', 39.914, 116.347, false],
  ['Station yard', 39.935, 116.34, false], // in North Station, outside both posts
  ['Birch lane', 39.88, 116.32, true], // South Station: never in north-op's tree
  ['Birch garage', 39.885, 116.33, false],
];

interface Api { jurisdictions: { id: string; name: string; parentId: string | null }[]; cameras: { id: string; name: string; jurisdictionId: string; status: string }[] }
type Counts = { online: number; offline: number; total: number };

/** Online/offline/total per visible node over its subtree, from the API's answers (independent of the console's model). */
function expectedCounts(api: Api, override: Record<string, string> = {}): Record<string, Counts> {
  const parent = new Map(api.jurisdictions.map((j) => [j.id, j.parentId]));
  const out: Record<string, Counts> = Object.fromEntries(api.jurisdictions.map((j) => [j.id, { online: 0, offline: 0, total: 0 }]));
  for (const c of api.cameras) {
    const status = override[c.id] ?? c.status;
    for (let id: string | null | undefined = c.jurisdictionId; id && out[id]; id = parent.get(id)) {
      out[id]!.total++;
      if (status === 'online') out[id]!.online++;
      if (status === 'offline') out[id]!.offline++;
    }
  }
  return out;
}

describe('console device tree beside the wall', () => {
  let tg: TestProcess;
  let fleet: Fleet;
  let browser: Browser | undefined;
  const jur: Record<string, string> = {};
  const cam: Record<string, string> = {};
  const contexts: BrowserContext[] = [];
  const figures: Record<string, unknown> = {};
  let north: Api;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    fleet = await startCameraFleet({ count: 3, firstAddress: `127.0.${BLOCK}.1`, password: 'sim-pass', labelPerCamera: false });
    tg = await startTestProcess(
      { name: 'console-tree-test', modules: [PartitionerModule, GatewayModule], http: true },
      { 'health.intervalSeconds': 3600 },
    );
    const token = await tg.login();
    const imported = await tg.call('POST', '/api/jurisdictions/import', { token, raw: JSON.stringify(DISTRICT), contentType: 'application/geo+json' });
    if (imported.status >= 300) throw new Error(`jurisdiction import failed: ${imported.status} ${imported.text}`);
    for (const j of (await tg.call('GET', '/api/jurisdictions', { token })).body) jur[j.code] = j.id;
    const user = await tg.call('POST', '/api/users', { token, body: { username: 'north-op', password: 'north-op-pass', role: 'operator', jurisdictionId: jur.ST1 } });
    if (user.status !== 201) throw new Error(`user: ${user.status} ${user.text}`);
    let sim = 0;
    for (const [i, [name, lat, lon, simulated]] of CAMERAS.entries()) {
      const device = simulated ? fleet.cameras[sim++]! : undefined;
      const body = device
        ? { name, location: { lat, lon }, onvif: { host: device.host, port: device.onvifPort, username: 'admin', password: 'sim-pass' } }
        : { name, location: { lat, lon }, rtspUrl: `rtsp://127.0.${BLOCK}.${100 + i}:8554/main` };
      const res = await tg.call('POST', '/api/cameras', { token, body });
      if (res.status !== 201) throw new Error(`camera ${name}: ${res.status} ${res.text}`);
      cam[name] = res.body.id;
    }
    const userToken = await tg.login('north-op', 'north-op-pass');
    north = {
      jurisdictions: (await tg.call('GET', '/api/jurisdictions', { token: userToken })).body,
      cameras: (await tg.call('GET', '/api/cameras', { token: userToken })).body,
    };
    if (hasChromium) {
      browser = await launchChromium();
    }
  }, 120_000);

  afterAll(async () => {
    writeFileSync(join(ARTIFACTS, 'device-tree-figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
    // eslint-disable-next-line no-console
    console.log(`device tree figures: ${JSON.stringify(figures)}`);
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await tg?.stop();
    await fleet?.stop();
  });

  async function pc(viewport = { width: 1366, height: 768 }): Promise<{ page: Page; errors: string[] }> {
    const context = await browser!.newContext({ viewport });
    contexts.push(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.route(/^(?!(http|ws):\/\/127\.0\.0\.1[:/]).*/, (r) => { errors.push(`external request ${r.request().url()}`); return r.abort(); });
    await page.goto(`${tg.url}/#/wall`);
    await page.fill('#login-form input[name=username]', 'north-op');
    await page.fill('#login-form input[name=password]', 'north-op-pass');
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#device-tree [data-camera-id]');
    await page.waitForFunction(() => document.querySelectorAll('#wall-grid .tile[data-camera-id]').length > 0);
    return { page, errors };
  }
  /** Opens every place of the tree (a click on a closed one). */
  async function expandAll(page: Page) {
    for (let i = 0; i < 20; i++) {
      // A locator: the tree is drawn again when the push channel's first 'ready' asks for the list again.
      const closed = page.locator('#device-tree [role=treeitem][aria-expanded=false] > .tree-row');
      if (!(await closed.count())) return;
      await closed.first().click();
    }
  }
  const treeState = (page: Page) => page.evaluate(() => ({
    nodes: Object.fromEntries([...document.querySelectorAll<HTMLElement>('#device-tree [data-node-id]')].map((el) => {
      const c = el.querySelector<HTMLElement>(':scope > .tree-row > .tree-counts')!;
      return [el.dataset.nodeId, {
        online: Number(c.dataset.online), offline: Number(c.dataset.offline), total: Number(c.dataset.total),
        shown: [c.querySelector('.tree-online')!.textContent, c.querySelector('.tree-offline')!.textContent, c.querySelector('.tree-total')!.textContent].map(Number),
      }];
    })),
    cameras: [...document.querySelectorAll<HTMLElement>('#device-tree [data-camera-id]')].map((el) => el.dataset.cameraId!),
  }));
  const tileCameras = (page: Page) => page.$$eval('#wall-grid .tile', (ts) => ts.map((t) => (t as HTMLElement).dataset.cameraId ?? null));
  /** Types into the search box and waits until the tree has applied it (it runs 120 ms after the last key). */
  const search = async (page: Page, text: string) => {
    await page.fill('#device-tree-search', text);
    await page.waitForFunction((q) => (document.querySelector('#device-tree') as HTMLElement).dataset.query === q, text);
  };

  itIf('a station user sees only their station\'s posts and cameras, with the online/offline counts the API gives', async () => {
    const { page, errors } = await pc({ width: 1600, height: 900 });
    await expandAll(page);
    const state = await treeState(page);
    // Exactly the user's nodes and cameras; nothing of South Station.
    expect(Object.keys(state.nodes).sort()).toEqual(north.jurisdictions.map((j) => j.id).sort());
    expect(Object.keys(state.nodes).sort()).toEqual([jur.ST1, jur.P1, jur.P2].sort());
    expect([...state.cameras].sort()).toEqual(north.cameras.map((c) => c.id).sort());
    expect(state.cameras).not.toContain(cam['Birch lane']);
    expect(state.cameras).not.toContain(cam['Birch garage']);
    // Counts per node, from the API, are what the tree says and shows.
    const want = expectedCounts(north);
    expect(want[jur.ST1!]!.online).toBeGreaterThan(0);
    expect(want[jur.ST1!]!.offline).toBeGreaterThan(0);
    for (const [id, counts] of Object.entries(want)) {
      const got = state.nodes[id]!;
      expect([id, got.online, got.offline, got.total]).toEqual([id, counts.online, counts.offline, counts.total]);
      expect([id, ...got.shown]).toEqual([id, counts.online, counts.offline, counts.total]);
    }
    // Each camera row's badge is the API's status.
    for (const c of north.cameras) {
      expect(await page.$eval(`#device-tree [data-camera-id="${c.id}"] .status`, (el) => (el as HTMLElement).dataset.status)).toBe(c.status);
    }
    // Tiles say camera name, post and status.
    const first = await page.$eval('#wall-grid .tile[data-camera-id]', (el) => ({
      id: (el as HTMLElement).dataset.cameraId, name: el.querySelector('.tile-name')?.textContent, post: el.querySelector('.tile-post')?.textContent, status: (el.querySelector('.tile-label .status') as HTMLElement)?.dataset.status,
    }));
    const api = north.cameras.find((c) => c.id === first.id)!;
    expect(first).toEqual({ id: api.id, name: api.name, post: north.jurisdictions.find((j) => j.id === api.jurisdictionId)!.name, status: api.status });
    await page.screenshot({ path: join(ARTIFACTS, 'device-tree.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  itIf('the search narrows the tree: substring and case-insensitive over cameras and places, pinyin initials, ancestors kept', async () => {
    const { page, errors } = await pc();
    const visible = async () => (await treeState(page)).cameras.sort();
    const nodes = async () => Object.keys((await treeState(page)).nodes).sort();
    const named = (test: (name: string) => boolean) => north.cameras.filter((c) => test(c.name)).map((c) => c.id).sort();

    await search(page, 'GARAGE');
    expect(await visible()).toEqual(named((n) => n.toLowerCase().includes('garage')));
    expect(await nodes()).toEqual([jur.ST1, jur.P1].sort()); // Elm Post and its station; not 和平里警务室
    await search(page, 'bmgt'); // 北门岗亭: Bei Men Gang Ting
    expect(await visible()).toEqual([cam['北门岗亭']]);
    expect(await nodes()).toEqual([jur.ST1, jur.P2].sort());
    await search(page, '和平'); // a place's name: all its cameras
    expect(await visible()).toEqual(north.cameras.filter((c) => c.jurisdictionId === jur.P2).map((c) => c.id).sort());
    await search(page, 'no such camera');
    expect(await visible()).toEqual([]);
    expect(await page.textContent('#device-tree-result')).toMatch(/nothing matches/i);
    await search(page, '');
    expect(await page.textContent('#device-tree-result')).toBe(`${north.cameras.length} cameras`);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  itIf('a camera dragged onto tile 2 shows there; a post dragged onto the wall fills it from the first tile', async () => {
    let { page, errors } = await pc();
    await page.selectOption('#wall-layout', '4');
    await page.waitForFunction(() => document.querySelectorAll('#wall-grid .tile').length === 4);
    await expandAll(page);
    const id = cam['Station yard']!;
    await page.dragAndDrop(`#device-tree [data-camera-id="${id}"] > .tree-row`, '#wall-grid .tile:nth-child(2)');
    await page.waitForFunction((cid) => (document.querySelector('#wall-grid .tile:nth-child(2)') as HTMLElement)?.dataset.cameraId === cid, id, { timeout: 5000 });
    expect(await page.textContent('#wall-grid .tile:nth-child(2) .tile-name')).toBe('Station yard');
    expect(await page.textContent('#wall-grid .tile:nth-child(2) .tile-post')).toBe('North Station');
    expect((await tileCameras(page)).filter((c) => c === id)).toHaveLength(1);

    // Elm Post dropped on tile 4 of a fresh wall: its cameras (the API's, in its order) from tile 1, the rest of the
    // wall empty. (A second PC: on the same page the first drop was once applied again after the second on CI, a
    // race left in the closing note of the stop that added this test.)
    expect(errors).toEqual([]);
    ({ page, errors } = await pc());
    await page.selectOption('#wall-layout', '4');
    await page.waitForFunction(() => document.querySelectorAll('#wall-grid .tile').length === 4);
    await expandAll(page);
    await page.dragAndDrop(`#device-tree [data-node-id="${jur.P1}"] > .tree-row`, '#wall-grid .tile:nth-child(4)');
    const elm = (await tg.call('GET', `/api/cameras?jurisdictionId=${jur.P1}`, { token: await tg.login('north-op', 'north-op-pass') })).body.map((c: { id: string }) => c.id);
    expect(elm.length).toBe(3);
    // (15 s: with CI's other lane running its own browser tests, a drop and the wall's re-render took over 5 s once)
    await page
      .waitForFunction((want) => [...document.querySelectorAll('#wall-grid .tile')].map((t) => (t as HTMLElement).dataset.cameraId ?? null).join() === want.join(), [...elm, null], { timeout: 15_000 })
      .catch(() => undefined); // the assertion below says what the wall shows instead
    const nameOf = (ids: (string | null)[]) => ids.map((i) => (i && north.cameras.find((c) => c.id === i)?.name) ?? i);
    expect(nameOf(await tileCameras(page))).toEqual(nameOf([...elm, null])); // names: a failure says what the wall shows
    expect(await page.$$eval('#wall-grid .tile .tile-post', (els) => els.map((e) => e.textContent))).toEqual(['Elm Post', 'Elm Post', 'Elm Post']);
    await page.screenshot({ path: join(ARTIFACTS, 'device-tree-1366x768.png') });

    // Folded away, the tiles take the width back.
    const before = await page.$eval('#wall-grid .tile', (el) => el.getBoundingClientRect().width);
    await page.click('#device-tree-toggle');
    await page.waitForSelector('#device-tree-body', { state: 'hidden' });
    const after = await page.$eval('#wall-grid .tile', (el) => el.getBoundingClientRect().width);
    expect(after).toBeGreaterThan(before + 100);
    figures.tileWidth1366 = { treeOpen: Math.round(before), treeFolded: Math.round(after) };
    figures.tileHeight1366 = await page.$eval('#wall-grid .tile', (el) => Math.round(el.getBoundingClientRect().height));
    await page.screenshot({ path: join(ARTIFACTS, 'device-tree-1366x768-folded.png') });
    await page.click('#device-tree-toggle');
    await page.waitForSelector('#device-tree-body', { state: 'visible' });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  itIf('keyboard: arrows move through the tiles and the tree with a visible focus, Enter puts a camera on the focused tile', async () => {
    const { page, errors } = await pc();
    await page.selectOption('#wall-layout', '4');
    await page.waitForFunction(() => document.querySelectorAll('#wall-grid .tile').length === 4);
    // Tiles: tile 1 focused, two steps right: tile 3, marked as the target.
    await page.focus('#wall-grid .tile:nth-child(1)');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.index)).toBe('2');
    expect(await page.$eval('#wall-grid .tile:nth-child(3)', (el) => el.classList.contains('tile-target'))).toBe(true);
    await page.keyboard.press('ArrowDown'); // 2×2: tile 3 → nothing below
    expect(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.index)).toBe('2');

    // The tree: into it from the search box, then down (and right to open 和平里警务室) to 北门岗亭.
    const target = cam['北门岗亭']!;
    await page.focus('#device-tree-search');
    await page.keyboard.press('ArrowDown');
    for (let i = 0; i < 20; i++) {
      const at = await page.evaluate(() => { const el = document.activeElement as HTMLElement; return { camera: el.dataset.cameraId, node: el.dataset.nodeId, expanded: el.getAttribute('aria-expanded') }; });
      if (at.camera === target) break;
      if (at.node === jur.P2 && at.expanded === 'false') await page.keyboard.press('ArrowRight');
      else await page.keyboard.press('ArrowDown');
    }
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const row = getComputedStyle(el.querySelector('.tree-row')!);
      return { camera: el.dataset.cameraId, role: el.getAttribute('role'), tabIndex: el.tabIndex, outline: row.outlineStyle, outlineWidth: row.outlineWidth, others: document.querySelectorAll('#device-tree [tabindex="0"]').length };
    });
    expect(focused).toEqual({ camera: target, role: 'treeitem', tabIndex: 0, outline: 'solid', outlineWidth: '2px', others: 1 });
    await page.screenshot({ path: join(ARTIFACTS, 'device-tree-keyboard.png') });
    await page.keyboard.press('Enter');
    await page.waitForFunction((cid) => (document.querySelector('#wall-grid .tile:nth-child(3)') as HTMLElement)?.dataset.cameraId === cid, target, { timeout: 5000 });
    expect(await page.textContent('#wall-grid .tile:nth-child(3) .tile-name')).toBe('北门岗亭');
    // The next Enter goes to the next tile: another camera, up the tree.
    let nextId: string | undefined;
    for (let i = 0; i < 10 && !nextId; i++) {
      await page.keyboard.press('ArrowUp');
      const at = await page.evaluate(() => (document.activeElement as HTMLElement).dataset.cameraId);
      if (at && at !== target) nextId = at;
    }
    expect(nextId).toBeTruthy();
    await page.keyboard.press('Enter');
    await page.waitForFunction((cid) => (document.querySelector('#wall-grid .tile:nth-child(4)') as HTMLElement)?.dataset.cameraId === cid, nextId, { timeout: 5000 });
    expect(await page.$eval('#wall-grid .tile:nth-child(3)', (el) => (el as HTMLElement).dataset.cameraId)).toBe(target);
    // Left goes up to the place, Left again closes it, Right opens it.
    await page.click(`#device-tree [data-camera-id="${target}"] > .tree-row`);
    await page.keyboard.press('ArrowLeft');
    expect(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.nodeId)).toBe(jur.P2);
    await page.keyboard.press('ArrowLeft');
    expect(await page.$eval(`#device-tree [data-node-id="${jur.P2}"]`, (el) => el.getAttribute('aria-expanded'))).toBe('false');
    expect(await page.$(`#device-tree [data-camera-id="${target}"]`)).toBeNull();
    await page.keyboard.press('ArrowRight');
    expect(await page.$eval(`#device-tree [data-node-id="${jur.P2}"]`, (el) => el.getAttribute('aria-expanded'))).toBe('true');
    // Shift+Enter on a camera, double-click on a camera and Enter on a tile: full screen on that camera.
    await page.keyboard.press('ArrowDown');
    const fsId = await page.evaluate(() => (document.activeElement as HTMLElement).dataset.cameraId);
    await page.keyboard.press('Shift+Enter');
    await page.waitForSelector(`#overlay:not([hidden]) .overlay-video[data-camera-id="${fsId}"]`);
    await page.keyboard.press('Escape');
    await page.waitForSelector('#overlay', { state: 'hidden' });
    await page.dblclick(`#device-tree [data-camera-id="${target}"] > .tree-row`);
    await page.waitForSelector(`#overlay:not([hidden]) .overlay-video[data-camera-id="${target}"]`);
    await page.keyboard.press('Escape');
    await page.focus('#wall-grid .tile:nth-child(3)');
    await page.keyboard.press('Enter');
    await page.waitForSelector(`#overlay:not([hidden]) .overlay-video[data-camera-id="${target}"]`);
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  itIf('a status change from the push channel moves the counts of the camera\'s post and station and its badge', async () => {
    const { page, errors } = await pc();
    await expandAll(page);
    const id = cam['Elm gate']!;
    const before = north.cameras.find((c) => c.id === id)!.status;
    expect(before).toBe('online');
    const bus = tg.running.app.get(MqttBus, { strict: false });
    // As discovery records a change (this process has no discovery): the row first, then the message. With the
    // message alone, a refetch of the camera list (after any camera notice) read the row's old status back.
    await tg.running.app.get(DataSource, { strict: false }).query(`UPDATE cameras SET status = 'offline', "statusReason" = 'test' WHERE id = $1`, [id]);
    const sent = Date.now();
    await bus.publish(Topics.cameraStatus(id), { status: 'offline', at: new Date().toISOString(), reason: 'test' }, { retain: true, qos: 1 });
    const want = expectedCounts(north, { [id]: 'offline' });
    await page.waitForFunction(([pid, off]) => document.querySelector<HTMLElement>(`#device-tree [data-node-id="${pid}"] > .tree-row > .tree-counts`)?.dataset.offline === String(off), [jur.P1!, want[jur.P1!]!.offline] as const, { timeout: 5000 });
    figures.statusToCountMs = Date.now() - sent;
    const state = await treeState(page);
    for (const [nid, counts] of Object.entries(want)) expect([nid, ...state.nodes[nid]!.shown]).toEqual([nid, counts.online, counts.offline, counts.total]);
    expect(state.nodes[jur.P1!]!.online).toBe(expectedCounts(north)[jur.P1!]!.online - 1);
    expect(await page.$eval(`#device-tree [data-camera-id="${id}"] .status`, (el) => (el as HTMLElement).dataset.status)).toBe('offline');
    // The count is not shaken by a search (the counts stay those of the whole place).
    await search(page, 'elm');
    expect((await treeState(page)).nodes[jur.P1!]!).toMatchObject({ online: want[jur.P1!]!.online, offline: want[jur.P1!]!.offline });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  itIf('the model builds and searches a district-sized tree (130 places, 3,000 cameras) quickly in the browser', async () => {
    const { page, errors } = await pc();
    const timing = await page.evaluate(async (url) => {
      const m = await import(url);
      const jurisdictions: { id: string; name: string; tier: string; parentId: string | null }[] = [{ id: 'sb', name: '河畔分局', tier: 'sub-bureau', parentId: null }];
      for (let s = 0; s < 14; s++) {
        jurisdictions.push({ id: `st${s}`, name: `第${s + 1}派出所`, tier: 'station', parentId: 'sb' });
        for (let p = 0; p < 8; p++) jurisdictions.push({ id: `p${s}-${p}`, name: `社区${s}-${p}警务室`, tier: 'post', parentId: `st${s}` });
      }
      const posts = jurisdictions.filter((j) => j.tier === 'post');
      const cameras = Array.from({ length: 3000 }, (_, i) => ({ id: `c${i}`, name: `${i % 3 ? 'Gate' : '北门'} ${i}`, jurisdictionId: posts[i % posts.length]!.id, status: i % 5 ? 'online' : 'offline' }));
      const t0 = performance.now();
      const tree = m.buildTree(jurisdictions, cameras, { compare: new Intl.Collator('zh-CN').compare });
      const t1 = performance.now();
      const initials = m.makePinyinInitials(new Intl.Collator('zh-CN'));
      const hit = m.filterTree(tree, 'bm 12', { initials });
      const t2 = performance.now();
      return { buildMs: t1 - t0, searchMs: t2 - t1, online: tree.nodes.get('sb').counts.online, hits: hit.matches };
    }, '/device-tree-model.js');
    expect(timing.online).toBe(2400);
    expect(timing.hits).toBeGreaterThan(0);
    figures.model3000 = { buildMs: Math.round(timing.buildMs), pinyinSearchMs: Math.round(timing.searchMs) };
    expect(timing.buildMs + timing.searchMs).toBeLessThan(1000);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
