/**
 * Accessibility of the console (issue 15) in a real browser (headless Chromium through playwright-core, 1366×768, zh-CN)
 * against a whole Tiergate process with simulated cameras and a transcoder (live tiles): the skip link is the first Tab
 * stop and moves the focus into the screen, the menu is reached and used by keyboard; the wall's tiles are one tab
 * stop (a roving tabindex), the arrows, Home and End move between them with a visible outline, each tile is named by
 * its place, camera, post and status, Enter or F opens full screen with the focus inside, Escape closes it and gives the
 * focus back to the tile; the device tree is a WAI-ARIA tree (levels, expanded state, arrows open, close and move,
 * type-ahead) and Enter puts a camera on the tile focused last; axe-core (injected by the test only) finds no serious or
 * critical violation on each main screen, as the role that uses it sees it: login, wall (and its full-screen view),
 * garages, map, operators, patrol, recording (operator); hotspots, rates (analyst); admin (admin). Keys and rules:
 * docs/accessibility.md. Screenshots test-artifacts/console/a11y-*.png.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startCameraFleet, type Fleet } from '../apps/camera-sim/src/fleet';
import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { PartitionerModule } from '../apps/partitioner/src/partitioner.module';
import { TranscoderModule } from '../apps/transcoder/src/transcoder.module';
import { hasChromium, itWithChromium as itIf, launchChromium } from './support/chromium';
import { ADMIN_PASSWORD, startTestProcess, TestProcess } from './support/harness';

jest.setTimeout(120_000);

const ARTIFACTS = join(__dirname, '..', 'test-artifacts', 'console');
const AXE = require.resolve('axe-core/axe.min.js');
// Embedded and external runs may overlap: each uses its own loopback block.
const BLOCK = process.env.TIERGATE_TEST_MODE === 'external' ? 145 : 144;

const square = (w: number, s: number, e: number, n: number) => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const DISTRICT = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { code: 'SB', name: 'River Sub-bureau', tier: 'sub-bureau', parentCode: null }, geometry: square(116.28, 39.86, 116.40, 39.96) },
    { type: 'Feature', properties: { code: 'ST1', name: 'North Station', tier: 'station', parentCode: 'SB' }, geometry: square(116.30, 39.90, 116.36, 39.94) },
    { type: 'Feature', properties: { code: 'P1', name: 'Elm Post', tier: 'post', parentCode: 'ST1' }, geometry: square(116.30, 39.90, 116.33, 39.93) },
    { type: 'Feature', properties: { code: 'P2', name: '和平里警务室', tier: 'post', parentCode: 'ST1' }, geometry: square(116.33, 39.90, 116.36, 39.93) },
  ],
};
/** [name, lat, lon, simulated (live video) or an RTSP address nobody serves (offline)]. */
const CAMERAS: [string, number, number, boolean][] = [
  ['Elm gate', 39.912, 116.31, true],
  ['北门岗亭', 39.912, 116.345, true],
  ['Elm garage', 39.913, 116.312, false],
  ['东门车库', 39.914, 116.347, false],
  ['Station yard', 39.935, 116.34, false], // in North Station, outside both posts
];
const USERS: [string, string, string, string | null][] = [
  ['north-op', 'north-op-pass', 'operator', 'ST1'],
  ['analyst', 'analyst-pass', 'analyst', 'SB'],
];

/** The screens axe checks, each as the role that uses it (the admin is the built-in one). */
const SCREENS: [route: string, user: string][] = [
  ['wall', 'north-op'], ['garages', 'north-op'], ['map', 'north-op'], ['operators', 'north-op'], ['patrol', 'north-op'], ['recording', 'north-op'],
  ['hotspots', 'analyst'], ['rates', 'analyst'], ['admin', 'admin'],
];

interface AxeNode { target: string[]; html: string; failureSummary?: string }
interface AxeResult { id: string; impact: string | null; help: string; nodes: AxeNode[] }

describe('console accessibility: keyboard, focus, names, contrast', () => {
  let tg: TestProcess;
  let fleet: Fleet;
  let browser: Browser | undefined;
  const jur: Record<string, string> = {};
  const cam: Record<string, string> = {};
  const contexts: BrowserContext[] = [];
  const figures: Record<string, unknown> = {};

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    fleet = await startCameraFleet({ count: 2, firstAddress: `127.0.${BLOCK}.1`, password: 'sim-pass' });
    tg = await startTestProcess(
      { name: 'console-a11y-test', modules: [PartitionerModule, GatewayModule, TranscoderModule], http: true },
      { 'transcoder.startTimeoutMs': 15000, 'transcoder.idleCloseMs': 20000, 'health.intervalSeconds': 3600 },
    );
    const token = await tg.login();
    const imported = await tg.call('POST', '/api/jurisdictions/import', { token, raw: JSON.stringify(DISTRICT), contentType: 'application/geo+json' });
    if (imported.status >= 300) throw new Error(`jurisdiction import failed: ${imported.status} ${imported.text}`);
    for (const j of (await tg.call('GET', '/api/jurisdictions', { token })).body) jur[j.code] = j.id;
    for (const [username, password, role, code] of USERS) {
      const res = await tg.call('POST', '/api/users', { token, body: { username, password, role, jurisdictionId: code ? jur[code] : undefined } });
      if (res.status !== 201) throw new Error(`user ${username}: ${res.status} ${res.text}`);
    }
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
    // Incidents, so the hotspots screen has hot cells, areas and their chips to check (not only its empty state):
    // 40 bike thefts at one corner of Elm Post, 12 spread over the station, in the last 30 days.
    const rows = ['id,type,occurred_at,lat,lon'];
    for (let i = 0; i < 52; i++) {
      const [lat, lon] = i < 40 ? [39.911 + (i % 4) * 0.0003, 116.305 + (i % 5) * 0.0003] : [39.901 + (i % 6) * 0.005, 116.301 + (i % 4) * 0.015];
      rows.push(`a11y-${i},bike_theft,${new Date(Date.now() - (i % 30) * 86_400_000 - 3_600_000).toISOString()},${lat.toFixed(5)},${lon.toFixed(5)}`);
    }
    const incidents = await tg.call('POST', '/api/incidents/import', { token, raw: `${rows.join('\n')}\n`, contentType: 'text/csv' });
    if (incidents.status >= 300) throw new Error(`incidents: ${incidents.status} ${incidents.text.slice(0, 300)}`);
    if (hasChromium) browser = await launchChromium({ autoplay: true });
  }, 150_000);

  afterAll(async () => {
    writeFileSync(join(ARTIFACTS, 'a11y-figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
    // eslint-disable-next-line no-console
    console.log(`console a11y figures: ${JSON.stringify(figures)}`);
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await tg?.stop();
    await fleet?.stop();
  });

  /** A zh-CN PC at 1366×768 at the login form of `route` (bypassCSP: the test injects axe-core, the console never loads it). */
  async function open(route: string): Promise<{ page: Page; errors: string[] }> {
    const context = await browser!.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', bypassCSP: true });
    contexts.push(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', (d) => void d.dismiss());
    await page.route(/^(?!(http|ws):\/\/127\.0\.0\.1[:/]).*/, (r) => { errors.push(`external request ${r.request().url()}`); return r.abort(); });
    await page.goto(`${tg.url}/#/${route}`);
    await page.waitForSelector('#login-form');
    return { page, errors };
  }
  async function login(page: Page, username: string) {
    const password = username === 'admin' ? ADMIN_PASSWORD : USERS.find((u) => u[0] === username)![1];
    await page.fill('#login-form input[name=username]', username);
    await page.fill('#login-form input[name=password]', password);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#header:not([hidden])');
  }
  async function wall(): Promise<{ page: Page; errors: string[] }> {
    const { page, errors } = await open('wall');
    await login(page, 'north-op');
    await page.waitForSelector('#device-tree [data-camera-id]');
    await page.selectOption('#wall-layout', '4');
    await page.waitForFunction(() => document.querySelectorAll('#wall-grid .tile[data-camera-id]').length === 4);
    return { page, errors };
  }
  const active = (page: Page) => page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const style = el ? getComputedStyle(el) : null;
    return {
      id: el?.id ?? '', tag: el?.tagName ?? '', index: el?.dataset.index, cameraId: el?.dataset.cameraId, nodeId: el?.dataset.nodeId,
      isTile: !!el?.classList.contains('tile'), label: el?.getAttribute('aria-label') ?? '', inOverlay: !!el?.closest('#overlay'),
      outline: style ? { style: style.outlineStyle, width: style.outlineWidth, color: style.outlineColor } : null,
    };
  });
  /** Every tile: its tab index and accessible name. */
  const tiles = (page: Page) => page.$$eval('#wall-grid .tile', (ts) => ts.map((t) => ({ tabIndex: (t as HTMLElement).tabIndex, label: t.getAttribute('aria-label') ?? '', cameraId: (t as HTMLElement).dataset.cameraId ?? null })));

  /** axe-core's verdict on the page as it is now: the serious and critical violations, and a count of the rest. */
  async function axe(page: Page, name: string): Promise<AxeResult[]> {
    if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
    const result = await page.evaluate(async () => {
      const r = await (window as any).axe.run(document, { resultTypes: ['violations'] });
      return { violations: r.violations as AxeResult[], incomplete: (r.incomplete as AxeResult[]).map((v) => v.id) };
    });
    const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    figures[`axe:${name}`] = {
      serious: serious.map((v) => `${v.id} (${v.nodes.length})`),
      minor: result.violations.filter((v) => !serious.includes(v)).map((v) => `${v.id}/${v.impact} (${v.nodes.length})`),
      incomplete: result.incomplete,
      details: serious.flatMap((v) => v.nodes.slice(0, 8).map((n) => `${v.id}: ${n.target.join(' ')} ${(n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 240)}`)),
    };
    return serious.map((v) => ({ ...v, nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, html: n.html.slice(0, 200), failureSummary: n.failureSummary })) }));
  }

  itIf('the skip link is the first Tab stop and moves the focus into the screen; the menu works by keyboard', async () => {
    const { page, errors } = await wall();
    // A fresh page (the session stays): the first Tab from the top of the document.
    await page.reload();
    await page.waitForSelector('#wall-grid .tile[data-camera-id]');
    await page.keyboard.press('Tab');
    let at = await active(page);
    expect(at.id).toBe('skip-link');
    // Shown while focused (it sits off screen otherwise), in the page's language, with the focus ring.
    const skip = await page.$eval('#skip-link', (el) => ({ top: el.getBoundingClientRect().top, text: el.textContent }));
    expect(skip).toEqual({ top: 0, text: '跳到主要内容' });
    expect(at.outline).toMatchObject({ style: 'solid', width: '3px' });
    await page.screenshot({ path: join(ARTIFACTS, 'a11y-skip-link.png') });
    await page.keyboard.press('Enter');
    at = await active(page);
    expect(at.id).toBe('main');
    expect(await page.evaluate(() => location.hash)).toBe('#/wall'); // not taken for a route
    // The menu: the next stop after the skip link is its first screen; Tab along it to the map and Enter opens it.
    await page.evaluate(() => (document.getElementById('skip-link') as HTMLElement).focus());
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('nav')?.getAttribute('aria-label'))).toBe('页面');
    let reached = false;
    for (let i = 0; i < 12 && !reached; i++) {
      reached = await page.evaluate(() => (document.activeElement as HTMLElement).dataset.route === 'map');
      if (!reached) await page.keyboard.press('Tab');
    }
    expect(reached).toBe(true);
    expect((await active(page)).outline).toMatchObject({ style: 'solid', width: '3px' });
    await page.keyboard.press('Enter');
    await page.waitForSelector('#screen-map');
    expect(await page.evaluate(() => location.hash)).toBe('#/map');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  itIf('wall: one tab stop, arrows move between tiles with a visible outline, Enter/F full screen, Escape gives the focus back', async () => {
    const { page, errors } = await wall();
    // Tab from the toolbar's last button into the grid: the first tile, the grid's only tab stop.
    await page.focus('#wall-next');
    let at = await active(page);
    for (let i = 0; i < 10 && !at.isTile; i++) { await page.keyboard.press('Tab'); at = await active(page); }
    expect(at.isTile).toBe(true);
    expect(at.index).toBe('0');
    expect((await tiles(page)).map((t) => t.tabIndex)).toEqual([0, -1, -1, -1]);
    // A visible outline: 3 px solid, the focus yellow (drawn in the gap between the tiles, above nothing).
    expect(at.outline).toEqual({ style: 'solid', width: '3px', color: 'rgb(255, 213, 79)' });
    // Each tile is named by its place, camera, post and status (zh-CN).
    const api = (await tg.call('GET', '/api/cameras', { token: await tg.login('north-op', 'north-op-pass') })).body as { id: string; name: string; jurisdictionId: string; status: string }[];
    const names: Record<string, string> = { online: '在线', offline: '离线', unauthorized: '未授权', unknown: '未知' };
    const post: Record<string, string> = { [jur.ST1!]: 'North Station', [jur.P1!]: 'Elm Post', [jur.P2!]: '和平里警务室' };
    for (const [i, tile] of (await tiles(page)).entries()) {
      const c = api.find((x) => x.id === tile.cameraId)!;
      expect(tile.label).toBe(`第 ${i + 1}/4 格：${c.name}，${post[c.jurisdictionId]}，${names[c.status]}`);
    }
    // The words on a tile hold 4.5:1 over any picture (white to black) under its translucent band: axe cannot judge
    // text over video (it says "incomplete"), so the console's WCAG formula (wcag-contrast.js) does, for each colour used.
    const overVideo = await page.evaluate(async () => {
      const m = await import('/wcag-contrast.js' as string);
      const label = document.querySelector('#wall-grid .tile .tile-label')!;
      const band = m.parseColor(getComputedStyle(label).backgroundColor);
      const out: Record<string, number> = {};
      for (const el of document.querySelectorAll<HTMLElement>('#wall-grid .tile-label *')) {
        if (el.classList.contains('status') || !el.textContent?.trim()) continue; // badges are opaque: axe checks them
        const key = `${el.className || el.tagName}:${getComputedStyle(el).color}`;
        out[key] = Math.round(m.worstContrastOverPicture(m.parseColor(getComputedStyle(el).color), band) * 100) / 100;
      }
      out[`label:${getComputedStyle(label).color}`] = Math.round(m.worstContrastOverPicture(m.parseColor(getComputedStyle(label).color), band) * 100) / 100;
      return out;
    });
    figures.tileLabelWorstContrast = overVideo;
    expect(Object.keys(overVideo).length).toBeGreaterThanOrEqual(3); // the label, the name, the post, the live state
    for (const [what, ratio] of Object.entries(overVideo)) expect([what, ratio >= 4.5]).toEqual([what, true]);
    // 2×2: Right → 2, Down → 4, Left → 3, Up → 1, End → 4, Home → 1; the tab stop follows the focus.
    const path: string[] = [];
    for (const key of ['ArrowRight', 'ArrowDown', 'ArrowLeft', 'ArrowUp', 'End', 'Home', 'ArrowUp']) {
      await page.keyboard.press(key);
      const now = await active(page);
      expect(now.isTile).toBe(true);
      expect(now.outline).toEqual({ style: 'solid', width: '3px', color: 'rgb(255, 213, 79)' });
      path.push(now.index!);
      expect((await tiles(page)).filter((t) => t.tabIndex === 0).length).toBe(1);
    }
    expect(path).toEqual(['1', '3', '2', '0', '3', '0', '0']);
    await page.keyboard.press('ArrowRight');
    expect((await tiles(page)).map((t) => t.tabIndex)).toEqual([-1, 0, -1, -1]);
    await page.screenshot({ path: join(ARTIFACTS, 'a11y-wall-focus.png') });
    // Tab leaves the grid through the focused tile's own buttons, never stopping on another tile.
    const visited = new Set<string>();
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      const now = await page.evaluate(() => (document.activeElement?.closest('#wall-grid .tile') as HTMLElement | null)?.dataset.index ?? 'out');
      visited.add(now);
      if (now === 'out') break;
    }
    expect([...visited].filter((v) => v !== 'out' && v !== '1')).toEqual([]);
    expect(visited.has('out')).toBe(true);

    // Enter: full screen on the focused tile's camera, the focus inside it (its close button); Escape: back on the tile.
    await page.focus('#wall-grid .tile:nth-child(2)');
    const second = (await tiles(page))[1]!.cameraId!;
    await page.keyboard.press('Enter');
    await page.waitForSelector(`#overlay:not([hidden]) .overlay-video[data-camera-id="${second}"]`);
    expect(await page.$eval('#overlay', (el) => [el.getAttribute('role'), el.getAttribute('aria-modal')])).toEqual(['dialog', 'true']);
    at = await active(page);
    expect(at.inOverlay).toBe(true);
    // Tab stays inside the full-screen view.
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      expect((await active(page)).inOverlay).toBe(true);
    }
    // axe on the full-screen view too.
    expect(await axe(page, 'wall-fullscreen')).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'a11y-fullscreen.png') });
    await page.keyboard.press('Escape');
    await page.waitForSelector('#overlay', { state: 'hidden' });
    at = await active(page);
    expect([at.isTile, at.index]).toEqual([true, '1']);
    expect(at.outline?.style).toBe('solid');
    // F does the same on another tile.
    await page.keyboard.press('ArrowDown');
    const fourth = (await tiles(page))[3]!.cameraId!;
    await page.keyboard.press('f');
    await page.waitForSelector(`#overlay:not([hidden]) .overlay-video[data-camera-id="${fourth}"]`);
    await page.keyboard.press('Escape');
    await page.waitForSelector('#overlay', { state: 'hidden' });
    expect((await active(page)).index).toBe('3');
    // Page Down / Page Up turn the wall's page (5 cameras on 4 tiles: 2 pages); the focus stays on the same place.
    const pageText = () => page.textContent('#wall-page');
    const before = await pageText();
    await page.keyboard.press('PageDown');
    await page.waitForFunction((b) => document.getElementById('wall-page')?.textContent !== b, before);
    expect(await pageText()).toBe('第 2 / 2 页');
    expect((await active(page))).toMatchObject({ isTile: true, index: '3' });
    expect((await tiles(page)).filter((t) => t.cameraId).length).toBe(1);
    await page.keyboard.press('PageUp');
    await page.waitForFunction((b) => document.getElementById('wall-page')?.textContent === b, before);
    expect((await active(page))).toMatchObject({ isTile: true, index: '3' });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  itIf('device tree: a WAI-ARIA tree; arrows open, close and move, letters jump, Enter puts a camera on the tile focused last', async () => {
    const { page, errors } = await wall();
    // The tile Enter will fill: tile 3, focused by keyboard (then the focus goes to the tree).
    await page.focus('#wall-grid .tile:nth-child(1)');
    await page.keyboard.press('ArrowDown');
    expect((await active(page)).index).toBe('2');
    const tree = await page.$eval('#device-tree', (el) => ({
      role: el.getAttribute('role'), label: el.getAttribute('aria-label'),
      groups: el.querySelectorAll('[role=group]').length, items: el.querySelectorAll('[role=treeitem]').length,
      stops: el.querySelectorAll('[role=treeitem][tabindex="0"]').length,
      outside: [...el.querySelectorAll('[role=treeitem]')].filter((li) => li.parentElement !== el && li.parentElement?.getAttribute('role') !== 'group').length,
    }));
    expect(tree).toMatchObject({ role: 'tree', label: '设备', stops: 1, outside: 0 });
    expect(tree.groups).toBeGreaterThan(0);
    await page.focus('#device-tree-search');
    await page.keyboard.press('ArrowDown');
    const item = () => page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const name = el.querySelector(':scope > .tree-row')?.textContent ?? null;
      return { role: el.getAttribute('role'), level: el.getAttribute('aria-level'), expanded: el.getAttribute('aria-expanded'), node: el.dataset.nodeId, camera: el.dataset.cameraId, name, groups: el.querySelectorAll(':scope > [role=group]').length };
    });
    let at = await item();
    // The station, open at the start: level 1, its group of posts and cameras under it.
    expect(at).toMatchObject({ role: 'treeitem', level: '1', expanded: 'true', node: jur.ST1, groups: 1 });
    expect(at.name).toContain('North Station');
    await page.keyboard.press('ArrowLeft');
    at = await item();
    expect([at.node, at.expanded, at.groups]).toEqual([jur.ST1, 'false', 0]);
    await page.keyboard.press('ArrowRight');
    at = await item();
    expect([at.node, at.expanded, at.groups]).toEqual([jur.ST1, 'true', 1]);
    await page.keyboard.press('ArrowRight'); // on an open place: its first child
    at = await item();
    expect(at.level).toBe('2');
    await page.keyboard.press('ArrowLeft'); // on a child: up to its parent
    expect((await item()).node).toBe(jur.ST1);
    await page.keyboard.press('End');
    const last = await item();
    await page.keyboard.press('Home');
    expect((await item()).node).toBe(jur.ST1);
    expect(last.node ?? last.camera).not.toBe(jur.ST1);
    // Type-ahead: "st" goes to the camera "Station yard" (the station itself is "North Station").
    await page.keyboard.type('st');
    at = await item();
    expect(at.camera).toBe(cam['Station yard']);
    expect(at.level).toBe('2');
    expect(at.name).toContain('Station yard');
    const row = await page.evaluate(() => getComputedStyle((document.activeElement as HTMLElement).querySelector('.tree-row')!).outlineStyle);
    expect(row).toBe('solid');
    await page.screenshot({ path: join(ARTIFACTS, 'a11y-tree.png') });
    // Enter: the camera goes onto tile 3 (the one focused last), whose name now says so.
    await page.keyboard.press('Enter');
    await page.waitForFunction((cid) => (document.querySelector('#wall-grid .tile:nth-child(3)') as HTMLElement)?.dataset.cameraId === cid, cam['Station yard'], { timeout: 5000 });
    expect((await tiles(page))[2]!.label).toBe('第 3/4 格：Station yard，North Station，离线');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  itIf('axe-core finds no serious or critical violation on the login page and each main screen', async () => {
    const found: Record<string, AxeResult[]> = {};
    const { page: loginPage } = await open('wall');
    found.login = await axe(loginPage, 'login');
    await loginPage.screenshot({ path: join(ARTIFACTS, 'a11y-login.png') });
    await loginPage.context().close();
    const errors: string[] = [];
    // One PC per user in turn, through that user's screens by the menu's routes.
    let pc = null as { page: Page; errors: string[]; user: string } | null;
    for (const [route, user] of SCREENS) {
      if (pc?.user !== user) {
        if (pc) { errors.push(...pc.errors); await pc.page.context().close(); }
        pc = { ...(await open(route)), user };
        await login(pc.page, user);
      } else {
        await pc.page.evaluate((r) => { location.hash = `#/${r}`; }, route);
      }
      const { page } = pc;
      await page.waitForSelector(`#screen-${route}`);
      // Let the screen load its data and draw (lists, the map's layers, the tree).
      await page.waitForTimeout(2000);
      found[route] = await axe(page, route);
      await page.screenshot({ path: join(ARTIFACTS, `a11y-${route}.png`) });
    }
    figures.screens = ['login', ...SCREENS.map(([r, u]) => `${r} (${u})`)];
    // Every screen at once, so one run names all that is wrong.
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])));
    if (pc) { errors.push(...pc.errors); await pc.page.context().close(); }
    expect(errors).toEqual([]);
  });
});
