/**
 * The video patrol screen (issue 16) in a real browser (headless Chromium through playwright-core) against a whole
 * Tiergate process (gateway, partitioner, a transcoder, simulated cameras, real ffmpeg): a station admin creates a
 * route of three camera stops in the form, runs a round (each stop plays its camera full-size, the next stop's
 * stream staged beforehand; N marks normal, the Abnormal button with a note marks abnormal and shows the camera's
 * snapshot and, with "Raise an alarm" ticked by default, puts a patrol alarm with the note in the alarm panel, the
 * third stop is skipped), finishes it; the API's round has the marks, the skipped stop and the
 * actual times, and the round log shows it. The admin raises the station's alert level with a reason and a post
 * PC of the station (a viewer at one of its posts, on the wall) shows the banner within 2 s over the push channel;
 * another station's admin has no control for it and the API refuses (404), the post's viewer too (403).
 * Screenshots in test-artifacts/console/patrol-*.png.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { Topics } from '@tiergate/contracts';
import { startCameraFleet, type Fleet } from '../apps/camera-sim/src/fleet';
import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { PartitionerModule } from '../apps/partitioner/src/partitioner.module';
import { TranscoderModule } from '../apps/transcoder/src/transcoder.module';
import { startTestProcess, TestProcess } from './support/harness';
import { hasChromium, launchChromium } from './support/chromium';

jest.setTimeout(180_000);

const ARTIFACTS = join(__dirname, '..', 'test-artifacts', 'console');
const itIf = hasChromium ? it : it.skip;
// Embedded and external runs may overlap: each uses its own loopback block.
const BLOCK = process.env.TIERGATE_TEST_MODE === 'external' ? 47 : 46;
const NOTE = 'side door forced open';
const REASON = 'armed robbery reported near Elm market';

const square = (w: number, s: number, e: number, n: number) => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const DISTRICT = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { code: 'SB', name: 'River Sub-bureau', tier: 'sub-bureau', parentCode: null }, geometry: square(116.28, 39.88, 116.40, 39.96) },
    { type: 'Feature', properties: { code: 'ST1', name: 'North Station', tier: 'station', parentCode: 'SB' }, geometry: square(116.30, 39.90, 116.36, 39.93) },
    { type: 'Feature', properties: { code: 'P1', name: 'Elm Post', tier: 'post', parentCode: 'ST1' }, geometry: square(116.30, 39.90, 116.33, 39.93) },
    { type: 'Feature', properties: { code: 'P2', name: 'Oak Post', tier: 'post', parentCode: 'ST1' }, geometry: square(116.33, 39.90, 116.36, 39.93) },
    { type: 'Feature', properties: { code: 'ST2', name: 'South Station', tier: 'station', parentCode: 'SB' }, geometry: square(116.30, 39.88, 116.36, 39.90) },
  ],
};
const USERS: Array<[string, string, string, string]> = [
  ['north-admin', 'north-admin-pass', 'admin', 'ST1'],
  ['elm-officer', 'elm-officer-pass', 'viewer', 'P1'],
  ['south-admin', 'south-admin-pass', 'admin', 'ST2'],
];

interface PatrolTile { stopIndex: number; tileCamera: string | null; staged: string | null; cameraId?: string; state: string; presentedFrames: number; firstFrameMs: number | null }

describe('console video patrol: routes, a round, the log, alert levels', () => {
  let tg: TestProcess;
  let fleet: Fleet;
  let browser: Browser | undefined;
  let token: string;
  const jur: Record<string, string> = {};
  const cams: string[] = [];
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  const figures: Record<string, unknown> = {};
  let adminPage: Page;
  let roundId = '';

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    fleet = await startCameraFleet({ count: 3, firstAddress: `127.0.${BLOCK}.1`, password: 'sim-pass' });
    tg = await startTestProcess(
      { name: 'console-patrol-test', modules: [PartitionerModule, GatewayModule, TranscoderModule], http: true },
      { 'transcoder.startTimeoutMs': 15000, 'transcoder.idleCloseMs': 20000, 'health.intervalSeconds': 3600 },
    );
    token = await tg.login();
    const imported = await tg.call('POST', '/api/jurisdictions/import', { token, raw: JSON.stringify(DISTRICT), contentType: 'application/geo+json' });
    if (imported.status >= 300) throw new Error(`jurisdiction import failed: ${imported.status} ${imported.text}`);
    for (const j of (await tg.call('GET', '/api/jurisdictions', { token })).body) jur[j.code] = j.id;
    for (const [username, password, role, code] of USERS) {
      const res = await tg.call('POST', '/api/users', { token, body: { username, password, role, jurisdictionId: jur[code] } });
      if (res.status !== 201) throw new Error(`user ${username}: ${res.status} ${res.text}`);
    }
    // Two cameras at Elm Post, one at Oak Post (North Station), each a simulated ONVIF camera with real RTSP video.
    const where = [{ lat: 39.915, lon: 116.31 }, { lat: 39.915, lon: 116.32 }, { lat: 39.915, lon: 116.345 }];
    for (const [i, cam] of fleet.cameras.entries()) {
      const res = await tg.call('POST', '/api/cameras', {
        token,
        body: { name: `Patrol cam ${i + 1}`, onvif: { host: cam.host, port: cam.onvifPort, username: 'admin', password: 'sim-pass' }, location: where[i] },
      });
      if (res.status !== 201) throw new Error(`camera ${i}: ${res.status} ${res.text}`);
      cams.push(res.body.id);
    }
    if (hasChromium) {
      browser = await launchChromium({ autoplay: true });
    }
  }, 150_000);

  afterAll(async () => {
    writeFileSync(join(ARTIFACTS, 'patrol-figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
    // eslint-disable-next-line no-console
    console.log(`console patrol figures: ${JSON.stringify(figures)}`);
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    if (jur.ST1) await tg?.running.infra.bus.clearRetained(Topics.alertLevel(jur.ST1)).catch(() => undefined);
    await tg?.stop();
    await fleet?.stop();
  });

  /** A fresh browser context (one PC), logged in through the form, at `route`. */
  async function pc(username: string, route: string, lang = 'en-GB'): Promise<Page> {
    const password = USERS.find((u) => u[0] === username)![1];
    const context = await browser!.newContext({ viewport: { width: 1440, height: 900 }, locale: lang });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(`${username}: ${e.message}`));
    page.on('dialog', (d) => void d.accept());
    await page.route(/^(?!(http|ws):\/\/127\.0\.0\.1[:/]).*/, (r) => { errors.push(`external request ${r.request().url()}`); return r.abort(); });
    await page.goto(`${tg.url}/#/${route}`);
    await page.waitForSelector('#login-form');
    await page.fill('#login-form input[name=username]', username);
    await page.fill('#login-form input[name=password]', password);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#header:not([hidden])');
    return page;
  }
  const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `patrol-${name}.png`), fullPage: true });
  const tokenOf = (page: Page) => page.evaluate(() => JSON.parse(localStorage.getItem('tiergate.session') ?? 'null')?.accessToken as string);
  const patrolStats = (page: Page) => page.evaluate(() => (window as any).__tiergate.patrolStats() as PatrolTile[]);
  /** Stop `index` plays its camera on screen: the tile's player is that camera's, live, frames presented. */
  async function stopPlays(page: Page, index: number, cameraId: string): Promise<number> {
    const t0 = Date.now();
    await page.waitForFunction(([i, id]) => {
      const s = (window as any).__tiergate.patrolStats();
      return s.some((t: any) => t.stopIndex === i && t.tileCamera === id && t.cameraId === id && t.state === 'live' && t.presentedFrames > 2);
    }, [index, cameraId] as const, { timeout: 30_000 });
    return Date.now() - t0;
  }

  itIf('a station admin creates a three-stop route, runs a round (normal, abnormal with a note, skip), finishes it; the API and the log have it', async () => {
    adminPage = await pc('north-admin', 'patrol');
    const page = adminPage;
    await page.waitForSelector('#patrol-new-route');
    await page.waitForSelector('#patrol-no-routes');
    await page.click('#patrol-new-route');
    await page.fill('#patrol-route-form input[name=name]', 'Elm night round');
    await page.click('#patrol-add-stop');
    await page.click('#patrol-add-stop');
    const rows = page.locator('#patrol-stop-rows > li');
    expect(await rows.count()).toBe(3);
    for (const [i, id] of cams.entries()) {
      await rows.nth(i).locator('select[name=kind]').selectOption('camera');
      await rows.nth(i).locator('select[name=cameraId]').selectOption(id);
      await rows.nth(i).locator('input[name=dwellSeconds]').fill('40');
    }
    // every 5 minutes all day: the next planned time is at most 5 minutes away
    await page.selectOption('#patrol-route-form select[name=scheduleKind]', 'interval');
    await page.fill('#patrol-route-form input[name=everyMinutes]', '5');
    await page.fill('#patrol-route-form input[name=from]', '00:00');
    await page.fill('#patrol-route-form input[name=to]', '00:00');
    await page.click('#patrol-save-route');
    await page.waitForSelector('#patrol-routes tr[data-route] button.patrol-start:not([disabled])');
    const routes = (await tg.call('GET', '/api/patrol/routes', { token })).body;
    expect(routes).toHaveLength(1);
    expect(routes[0]).toMatchObject({ name: 'Elm night round', jurisdictionId: jur.ST1, stops: cams.map((cameraId) => ({ cameraId, dwellSeconds: 40 })), schedule: { kind: 'interval', everyMinutes: 5, from: '00:00', to: '00:00' } });
    await shot(page, 'routes');

    const clickedAt = Date.now();
    await page.click('#patrol-routes button.patrol-start');
    await page.waitForSelector('#patrol-run');
    roundId = (await page.getAttribute('#patrol-run', 'data-round'))!;
    expect(roundId).toMatch(/^[0-9a-f-]{36}$/);

    // Stop 1: its camera plays full-size; N marks it normal.
    figures.stop1FirstVideoMs = await stopPlays(page, 0, cams[0]!);
    expect(await page.textContent('#patrol-run-stop')).toContain('Stop 1 of 3');
    expect(Number(await page.getAttribute('#patrol-countdown', 'data-seconds'))).toBeGreaterThan(0);
    // the next stop's camera is already playing, hidden under this one
    expect((await patrolStats(page)).map((t) => t.staged)).toEqual([cams[1]]);
    await shot(page, 'run');
    await page.keyboard.press('n');
    // Stop 2: staged beforehand, it plays at once; abnormal with a note (the button: the note field has the focus).
    figures.stop2VideoAfterTurnMs = await stopPlays(page, 1, cams[1]!);
    await page.fill('#patrol-note', NOTE);
    // "Raise an alarm" is ticked for an abnormal mark unless unticked (issue 16, docs/alarms.md "Patrol alarms")
    expect(await page.isChecked('#patrol-raise-alarm')).toBe(true);
    const abnormalAt = Date.now();
    await page.click('#patrol-abnormal');
    // the alarm panel shows the patrol alarm with its kind's name and the note, within 2 s
    await page.waitForFunction((note) => document.querySelector('#alarm-list li[data-kind="patrol"] .alarm-patrol')?.textContent?.includes(note), NOTE, { timeout: 2000 });
    figures.abnormalToAlarmPanelMs = Date.now() - abnormalAt;
    expect(await page.textContent('#alarm-list li[data-kind="patrol"] .alarm-kind')).toBe('Patrol: abnormal');
    figures.stop3VideoAfterTurnMs = await stopPlays(page, 2, cams[2]!);
    // the abnormal stop shows the camera's snapshot
    await page.waitForFunction(() => {
      const img = document.querySelector('#patrol-run-list li[data-stop="1"] img.patrol-snapshot') as HTMLImageElement | null;
      return !!img && img.complete && img.naturalWidth > 0;
    }, undefined, { timeout: 15_000 });
    await shot(page, 'run-abnormal');
    // Stop 3 is skipped, then the round is finished.
    await page.click('#patrol-skip');
    await page.waitForSelector('#patrol-run-list li[data-stop="2"][data-state="skipped"]');
    await page.click('#patrol-finish');
    await page.waitForSelector('#patrol-run', { state: 'detached' });
    const finishedBy = Date.now();

    const round = await tg.call('GET', `/api/patrol/rounds/${roundId}`, { token });
    expect(round.status).toBe(200);
    const r = round.body;
    expect(r.startedBy).toBe('north-admin');
    expect(r.stops.map((s: any) => s.cameraIds)).toEqual(cams.map((c) => [c]));
    expect(r.stops[0].marks).toEqual([expect.objectContaining({ cameraId: cams[0], result: 'normal', note: null, snapshotUrl: null, markedBy: 'north-admin' })]);
    expect(r.stops[1].marks).toEqual([expect.objectContaining({ cameraId: cams[1], result: 'abnormal', note: NOTE, snapshotUrl: `/api/cameras/${cams[1]}/snapshot` })]);
    expect(r.stops[2].marks).toEqual([]);
    const alarms = (await tg.call('GET', `/api/alarms?cameraId=${cams[1]}`, { token })).body;
    expect(alarms).toEqual([expect.objectContaining({ kind: 'patrol', state: 'new', patrol: expect.objectContaining({ roundId, stopIndex: 1, note: NOTE, markedBy: 'north-admin' }) })]);
    expect((await tg.call('GET', `/api/alarms?cameraId=${cams[0]}`, { token })).body).toEqual([]);
    expect(r.skippedStops).toEqual([2]);
    expect(r.markedStops).toBe(2);
    // actual times: started when the button was pressed, finished when Finish was, in that order
    const started = Date.parse(r.startedAt);
    const finished = Date.parse(r.finishedAt);
    expect(started).toBeGreaterThanOrEqual(clickedAt - 1000);
    expect(finished).toBeGreaterThan(started);
    expect(finished).toBeLessThanOrEqual(finishedBy + 1000);
    // one of the route's planned times (every 5 minutes), the nearest not started: on time; 2 of 3 stops is not completed
    expect(Date.parse(r.plannedAt) % 300_000).toBe(0);
    expect(Math.abs(Date.parse(r.plannedAt) - started)).toBeLessThanOrEqual(300_000);
    expect(r.onTime).toBe(true);
    expect(r.completed).toBe(false);
    // the abnormal mark's footage is kept (a recording hold around the mark)
    const holds = (await tg.call('GET', `/api/recording-holds?cameraId=${cams[1]}`, { token })).body;
    expect(holds.some((x: any) => x.cameraId === cams[1] && Date.parse(x.from) < Date.parse(r.stops[1].marks[0].markedAt) && Date.parse(x.to) > Date.parse(r.stops[1].marks[0].markedAt))).toBe(true);

    // The round log shows it: actual times, the on-time / incomplete flags, each stop's mark.
    const row = page.locator(`#patrol-log-table tr[data-round="${roundId}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('finished');
    const flags = await row.locator('[data-flag]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.flag));
    expect(flags.sort()).toEqual(['incomplete', 'on-time']);
    const stopStates = await row.locator('li[data-stop]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.state));
    expect(stopStates).toEqual(['marked', 'marked', 'skipped']);
    expect(await row.locator('li[data-stop="1"]').textContent()).toContain(NOTE);
    expect(await row.locator('li[data-stop="1"] [data-result]').getAttribute('data-result')).toBe('abnormal');
    await row.scrollIntoViewIfNeeded();
    await shot(page, 'log');
    expect(errors).toEqual([]);
  });

  itIf("a station admin raises the station's alert level; a post PC of the station shows the banner within 2 s; another station cannot", async () => {
    const officer = await pc('elm-officer', 'wall');
    await officer.waitForSelector('#screen-wall');
    // the officer's page has its push channel open (the banner's and the wall's)
    await officer.waitForTimeout(1500);
    expect(await officer.isVisible('#alert-banner')).toBe(false);
    // a viewer: no level control and no route writes on the patrol screen; the API refuses
    expect((await tg.call('PUT', `/api/jurisdictions/${jur.P1}/alert-level`, { token: await tokenOf(officer), body: { level: 3, reason: 'x' } })).status).toBe(403);

    const page = adminPage;
    const form = page.locator(`#patrol-levels form.patrol-level-form[data-node="${jur.ST1}"]`);
    await form.locator('select[name=level]').selectOption('3');
    await form.locator('input[name=reason]').fill(REASON);
    const t0 = Date.now();
    await form.locator('button[type=submit]').click();
    await officer.waitForSelector('#alert-banner[data-level="3"]:not([hidden])', { timeout: 2000 });
    figures.bannerAfterSetMs = Date.now() - t0;
    const banner = await officer.textContent('#alert-banner');
    expect(banner).toContain(REASON);
    expect(banner).toContain('Level 3');
    expect(banner).not.toContain('null');
    expect(await officer.getAttribute('#alert-banner', 'data-source')).toBe(jur.ST1);
    // level 3 alerts post PCs (alerts.level3.alertPostPcs): the loud form
    expect(await officer.getAttribute('#alert-banner', 'class')).toContain('alert-banner-loud');
    await shot(officer, 'banner');
    // the admin's own screen shows the level in force for the station and, inherited, for its posts
    await page.waitForSelector(`#patrol-levels [data-node="${jur.ST1}"] .alert-level[data-level="3"]`);
    await page.waitForSelector(`#patrol-levels tr[data-node="${jur.P1}"] .alert-level[data-level="3"]`);
    await shot(page, 'levels');

    // The officer's patrol screen: the level shown, no control to set it, no route editing.
    await officer.evaluate(() => { location.hash = '#/patrol'; });
    await officer.waitForSelector(`#patrol-levels tr[data-node="${jur.P1}"] .alert-level[data-level="3"]`);
    expect(await officer.locator('form.patrol-level-form').count()).toBe(0);
    expect(await officer.locator('#patrol-new-route, button.patrol-edit').count()).toBe(0);
    // the station's route belongs to the station, outside a post viewer's scope (the API lists the routes of nodes in scope)
    await officer.waitForSelector('#patrol-no-routes');
    expect(await officer.textContent('#screen-patrol')).not.toMatch(/null|undefined/);

    // Another station's admin: no control for North Station, not even its row or route; the API answers 404.
    const south = await pc('south-admin', 'patrol', 'zh-CN');
    await south.waitForSelector(`#patrol-levels tr[data-node="${jur.ST2}"] form.patrol-level-form`);
    expect(await south.textContent('#patrol-levels h2')).toBe('警情等级');
    expect(await south.locator(`#patrol-levels [data-node="${jur.ST1}"]`).count()).toBe(0);
    expect(await south.locator('#patrol-routes tr[data-route]').count()).toBe(0);
    const southToken = await tokenOf(south);
    expect((await tg.call('PUT', `/api/jurisdictions/${jur.ST1}/alert-level`, { token: southToken, body: { level: 1, reason: 'not mine' } })).status).toBe(404);
    const routeId = (await tg.call('GET', '/api/patrol/routes', { token })).body[0].id;
    expect((await tg.call('PATCH', `/api/patrol/routes/${routeId}`, { token: southToken, body: { name: 'taken over' } })).status).toBe(404);
    expect(await south.isVisible('#alert-banner')).toBe(false);
    await shot(south, 'other-station');

    // Lowering it again takes the banner off the post PC.
    await form.locator('select[name=level]').selectOption('1');
    await form.locator('input[name=reason]').fill('all clear');
    await form.locator('button[type=submit]').click();
    await officer.waitForSelector('#alert-banner', { state: 'hidden', timeout: 2000 });
    expect(errors).toEqual([]);
  });
});
