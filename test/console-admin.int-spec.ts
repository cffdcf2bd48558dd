/**
 * The administration screen (issue 15) in a real browser (headless Chromium through playwright-core) against a
 * whole Tiergate process (gateway, partitioner, a transcoder, simulated cameras): a station admin creates a user
 * (a weak password refused with a sentence), the user logs in on another PC; a grant of another post's camera lets
 * them watch it and revoking ends that; the audit log filtered by the user shows their login and live view with
 * time and address, and its CSV export holds exactly the filtered rows with formula cells neutralised; disabling
 * the user ends their session and refuses their login; another station's admin neither lists nor reaches the
 * user; the screen in Chinese. Screenshots in test-artifacts/console/admin-*.png.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startCameraFleet, type Fleet } from '../apps/camera-sim/src/fleet';
import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { PartitionerModule } from '../apps/partitioner/src/partitioner.module';
import { TranscoderModule } from '../apps/transcoder/src/transcoder.module';
import { readCsvTable } from '@tiergate/domain';
import { startTestProcess, TestProcess } from './support/harness';
import { hasChromium, launchChromium } from './support/chromium';

jest.setTimeout(120_000);

const ARTIFACTS = join(__dirname, '..', 'test-artifacts', 'console');
const itIf = hasChromium ? it : it.skip;
// Embedded and external runs may overlap: each uses its own loopback block.
const BLOCK = process.env.TIERGATE_TEST_MODE === 'external' ? 45 : 44;
const FORMULA_NAME = '=HYPERLINK("http://attacker.example/","open")';
const OFFICER = 'elm-officer';
const OFFICER_PASSWORD = 'river-lantern-42';

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

describe('console administration: users, grants, audit', () => {
  let tg: TestProcess;
  let fleet: Fleet;
  let browser: Browser | undefined;
  const jur: Record<string, string> = {};
  let oakCamera = '';
  let officerId = '';
  const contexts: BrowserContext[] = [];
  let adminPage: Page;
  let officerPage: Page;
  const errors: string[] = [];
  const passwords: Record<string, string> = { 'north-admin': 'north-admin-pass', 'south-admin': 'south-admin-pass', 'south-viewer': 'south-viewer-pass' };

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    fleet = await startCameraFleet({ count: 1, firstAddress: `127.0.${BLOCK}.1`, password: 'sim-pass' });
    tg = await startTestProcess(
      { name: 'console-admin-test', modules: [PartitionerModule, GatewayModule, TranscoderModule], http: true },
      { 'transcoder.startTimeoutMs': 15000, 'health.intervalSeconds': 3600 },
    );
    const token = await tg.login();
    const imported = await tg.call('POST', '/api/jurisdictions/import', { token, raw: JSON.stringify(DISTRICT), contentType: 'application/geo+json' });
    if (imported.status >= 300) throw new Error(`jurisdiction import failed: ${imported.status} ${imported.text}`);
    for (const j of (await tg.call('GET', '/api/jurisdictions', { token })).body) jur[j.code] = j.id;
    for (const [username, role, code] of [['north-admin', 'admin', 'ST1'], ['south-admin', 'admin', 'ST2'], ['south-viewer', 'viewer', 'ST2']]) {
      const res = await tg.call('POST', '/api/users', { token, body: { username, password: passwords[username], role, jurisdictionId: jur[code] } });
      if (res.status !== 201) throw new Error(`user ${username}: ${res.status} ${res.text}`);
    }
    // Oak Post's camera, named like a spreadsheet formula: it plays (simulated ONVIF camera, real ffmpeg).
    const cam = fleet.cameras[0]!;
    const res = await tg.call('POST', '/api/cameras', {
      token,
      body: { name: FORMULA_NAME, onvif: { host: cam.host, port: cam.onvifPort, username: 'admin', password: 'sim-pass' }, location: { lat: 39.915, lon: 116.345 } },
    });
    if (res.status !== 201 || res.body.jurisdictionId !== jur.P2) throw new Error(`camera: ${res.status} ${res.text}`);
    oakCamera = res.body.id;
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

  /** A fresh browser context (one PC) in `lang`, logged in through the form, at `route`. */
  async function pc(username: string, password: string, route: string, lang = 'en-GB'): Promise<Page> {
    const context = await browser!.newContext({ viewport: { width: 1440, height: 900 }, locale: lang, acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(`${username}: ${e.message}`));
    page.on('dialog', (d) => void d.accept());
    await page.route(/^(?!http:\/\/127\.0\.0\.1[:/]).*/, (r) => { errors.push(`external request ${r.request().url()}`); return r.abort(); });
    await page.goto(`${tg.url}/#/${route}`);
    await login(page, username, password);
    await page.waitForSelector('#header:not([hidden])');
    return page;
  }
  async function login(page: Page, username: string, password: string) {
    await page.waitForSelector('#login-form');
    await page.fill('#login-form input[name=username]', username);
    await page.fill('#login-form input[name=password]', password);
    await page.click('#login-form button[type=submit]');
  }
  const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `admin-${name}.png`), fullPage: true });
  /** The page's own session token (what its API calls send). */
  const tokenOf = (page: Page) => page.evaluate(() => JSON.parse(localStorage.getItem('tiergate.session') ?? 'null')?.accessToken as string);
  /** An API call from inside the page: same origin, same client address and token as the console's own calls. */
  const pageCall = (page: Page, method: string, path: string) =>
    page.evaluate(async ([m, p]) => {
      const token = JSON.parse(localStorage.getItem('tiergate.session') ?? 'null')?.accessToken;
      const res = await fetch(p!, { method: m, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: m === 'POST' ? '{}' : undefined });
      return res.status;
    }, [method, path]);
  const rowOf = (page: Page, username: string) => page.locator(`#user-rows tr[data-username="${username}"]`);

  itIf('a station admin creates a user: a weak password is refused with a sentence, a good one works, the user logs in on another PC', async () => {
    adminPage = await pc('north-admin', passwords['north-admin']!, 'admin?tab=users');
    await adminPage.waitForSelector('#screen-admin #user-rows tr');
    expect(await adminPage.locator('#nav a[data-route=admin]').textContent()).toBe('Administration');
    await adminPage.fill('#new-user-username', OFFICER);
    await adminPage.fill('#new-user-password', 'short');
    await adminPage.selectOption('#new-user-role', 'viewer');
    await adminPage.selectOption('#new-user-home', jur.P1!);
    await adminPage.click('#new-user button[type=submit]');
    await adminPage.waitForFunction(() => document.getElementById('new-user-result')!.textContent !== '');
    expect(await adminPage.textContent('#new-user-result')).toBe('The password must have at least 10 characters (this one has 5). (VALIDATION_FAILED)');
    await adminPage.fill('#new-user-password', 'password123');
    await adminPage.click('#new-user button[type=submit]');
    await adminPage.waitForFunction(() => /common/.test(document.getElementById('new-user-result')!.textContent ?? ''));
    expect(await adminPage.textContent('#new-user-result')).toBe('This password is one of the most common passwords: choose another. (VALIDATION_FAILED)');
    expect(await rowOf(adminPage, OFFICER).count()).toBe(0);
    await adminPage.fill('#new-user-password', OFFICER_PASSWORD);
    await adminPage.click('#new-user button[type=submit]');
    await rowOf(adminPage, OFFICER).waitFor();
    expect(await adminPage.textContent('#new-user-result')).toBe(`User ${OFFICER} created (viewer).`);
    const row = rowOf(adminPage, OFFICER);
    officerId = (await row.getAttribute('data-user-id'))!;
    expect(await row.locator('.user-role').inputValue()).toBe('viewer');
    expect(await row.locator('.user-home').inputValue()).toBe(jur.P1);
    expect(await row.locator('.user-state').textContent()).toBe('active');
    await shot(adminPage, 'users');

    officerPage = await pc(OFFICER, OFFICER_PASSWORD, 'map');
    expect(await officerPage.textContent('#user-name')).toBe(OFFICER);
    // Oak Post's camera is not theirs: 404 like a missing one.
    expect(await pageCall(officerPage, 'GET', `/api/cameras/${oakCamera}`)).toBe(404);
    // Not an admin: no administration in the menu, and the route says so.
    expect(await officerPage.locator('#nav a[data-route=admin]').count()).toBe(0);
  });

  itIf("a grant of another post's camera lets the grantee watch it; revoking ends that; an expired grant shows as expired", async () => {
    await adminPage.click('#admin-tab-grants');
    await adminPage.waitForSelector('#new-grant');
    await adminPage.fill('#grant-camera-search', 'HYPERLINK');
    await adminPage.waitForFunction((id) => (document.getElementById('grant-camera') as HTMLSelectElement).value === id, oakCamera);
    await adminPage.fill('#grant-grantee', OFFICER);
    await adminPage.fill('#grant-reason', 'case 2024-117');
    await adminPage.click('#new-grant button[type=submit]');
    await adminPage.waitForSelector('#grant-rows tr[data-state=active]');
    const row = adminPage.locator('#grant-rows tr[data-state=active]');
    expect(await row.locator('.grant-target').textContent()).toBe(`camera ${FORMULA_NAME}`);
    expect(await row.locator('.grant-grantee').textContent()).toBe(OFFICER);
    expect(await row.locator('.grant-reason').textContent()).toBe('case 2024-117');
    const grantId = await row.getAttribute('data-grant-id');

    // The grantee sees the camera and watches it live (the audit entry below comes from this request).
    expect(await pageCall(officerPage, 'GET', `/api/cameras/${oakCamera}`)).toBe(200);
    expect(await pageCall(officerPage, 'POST', `/api/cameras/${oakCamera}/live`)).toBe(200);

    // A grant that ran out: listed as expired, with no revoke button.
    const short = await tg.call('POST', '/api/grants', { token: await tokenOf(adminPage), body: { jurisdictionId: jur.P2, granteeUserId: officerId, expiresAt: new Date(Date.now() + 1500).toISOString(), reason: 'brief look' } });
    expect(short.status).toBe(201);
    await adminPage.waitForTimeout(1700);
    await adminPage.reload();
    await adminPage.waitForSelector(`#grant-rows tr[data-grant-id="${short.body.id}"]`);
    const expired = adminPage.locator(`#grant-rows tr[data-grant-id="${short.body.id}"]`);
    expect(await expired.getAttribute('data-state')).toBe('expired');
    expect(await expired.locator('.grant-state').textContent()).toBe('expired');
    expect(await expired.locator('.grant-target').textContent()).toBe('jurisdiction Oak Post');
    expect(await expired.locator('.grant-revoke').count()).toBe(0);
    await shot(adminPage, 'grants');

    await adminPage.click(`#grant-rows tr[data-grant-id="${grantId}"] .grant-revoke`);
    await adminPage.waitForSelector(`#grant-rows tr[data-grant-id="${grantId}"][data-state=revoked]`);
    expect(await pageCall(officerPage, 'GET', `/api/cameras/${oakCamera}`)).toBe(404);
    expect(await pageCall(officerPage, 'POST', `/api/cameras/${oakCamera}/live`)).toBe(404);
  });

  itIf('the audit log filtered by the user shows their login and live view with time and address; the CSV export holds those rows, formula-safe', async () => {
    await adminPage.click('#admin-tab-audit');
    await adminPage.waitForSelector('#audit-filters');
    await adminPage.fill('#audit-user', OFFICER);
    // The live view's entry is written off the request path: filter until it is there.
    const shownActions = () => adminPage.$$eval('#audit-rows tr[data-action]', (rs) => rs.map((r) => (r as HTMLElement).dataset.action));
    const shownActors = () => adminPage.$$eval('#audit-rows tr[data-action] .audit-actor', (cs) => cs.map((c) => c.textContent));
    for (let i = 0; i < 30; i += 1) {
      await adminPage.click('#audit-apply');
      await adminPage.waitForTimeout(300);
      if ((await shownActions()).includes('camera.live') && (await shownActors()).every((a) => a === OFFICER)) break;
    }
    expect(await shownActions()).toContain('camera.live');
    const rows = await adminPage.$$eval('#audit-rows tr[data-action]', (rs) => rs.map((r) => ({
      action: (r as HTMLElement).dataset.action!,
      at: r.querySelector('.audit-at')!.getAttribute('title')!,
      atText: r.querySelector('.audit-at')!.textContent!,
      actor: r.querySelector('.audit-actor')!.textContent!,
      actionText: r.querySelector('.audit-action')!.textContent!,
      target: r.querySelector('.audit-target')!.textContent!,
      ip: r.querySelector('.audit-ip')!.textContent!,
    })));
    expect(new Set(rows.map((r) => r.actor))).toEqual(new Set([OFFICER]));
    const loginRow = rows.find((r) => r.action === 'auth.login')!;
    const liveRow = rows.find((r) => r.action === 'camera.live')!;
    expect(loginRow.actionText).toBe('logged in');
    expect(liveRow.actionText).toBe('watched live');
    expect(liveRow.target).toBe(`camera ${FORMULA_NAME}`);
    for (const r of [loginRow, liveRow]) {
      expect(r.ip).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
      expect(Date.now() - Date.parse(r.at)).toBeLessThan(5 * 60_000);
      // The time as the page's locale writes it (en-GB: "2 Jan 2026, 03:04:05").
      expect(r.atText).toBe(await adminPage.evaluate((at) => new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(at)), r.at));
    }
    // The API agrees: these are all of the officer's entries.
    const api = await tg.call('GET', `/api/audit?actor=${OFFICER}`, { token: await tokenOf(adminPage) });
    expect(api.body.map((e: any) => e.id)).toEqual(await adminPage.$$eval('#audit-rows tr[data-action]', (rs) => rs.map((r) => (r as HTMLElement).dataset.auditId)));
    expect(api.headers.get('x-total-count')).toBe(String(api.body.length));
    await shot(adminPage, 'audit');

    // Narrowed to the camera: the live view only (the grant and camera entries were the admins').
    await adminPage.fill('#audit-camera-search', 'HYPERLINK');
    await adminPage.waitForFunction(() => [...document.querySelectorAll('#audit-rows tr[data-action]')].every((r) => (r as HTMLElement).dataset.action === 'camera.live'));
    expect(await adminPage.$$eval('#audit-rows tr[data-action]', (rs) => rs.map((r) => (r as HTMLElement).dataset.targetId))).toEqual(
      api.body.filter((e: any) => e.targetId === oakCamera).map(() => oakCamera),
    );

    // Export: the same filter, downloaded as a file.
    const [download] = await Promise.all([adminPage.waitForEvent('download'), adminPage.click('#audit-export')]);
    expect(download.suggestedFilename()).toMatch(/^tiergate-audit-\d{4}-\d{2}-\d{2}\.csv$/);
    const file = readFileSync((await download.path())!, 'utf8');
    expect(file.charCodeAt(0)).toBe(0xfeff);
    const table = readCsvTable(file);
    const header = table.header!.names;
    expect(header).toEqual(['id', 'at', 'actorid', 'actorname', 'action', 'targettype', 'targetid', 'ip', 'details', 'targetname']);
    const records = table.rows.map((r) => Object.fromEntries(header.map((name, i) => [name, r.fields[i]!])));
    const live = api.body.filter((e: any) => e.targetId === oakCamera);
    expect(records.map((r) => r.id)).toEqual(live.map((e: any) => e.id));
    for (const r of records) {
      expect(r).toMatchObject({ actorname: OFFICER, action: 'camera.live', targetid: oakCamera, ip: expect.stringMatching(/127\.0\.0\.1$/) });
      expect(r.targetname).toBe(`'${FORMULA_NAME}`);
    }
    expect(file).toContain(`"'=HYPERLINK(""http://attacker.example/"",""open"")"`);
    expect(await adminPage.textContent('#audit-export-note')).toMatch(/^1 entry exported to tiergate-audit-/);
  });

  itIf('disabling the user ends their session and refuses their login', async () => {
    await adminPage.click('#admin-tab-users');
    await rowOf(adminPage, OFFICER).waitFor();
    await rowOf(adminPage, OFFICER).locator('.user-disable').click();
    await adminPage.waitForFunction((u) => document.querySelector(`#user-rows tr[data-username="${u}"] .user-state`)?.textContent === 'disabled', OFFICER);
    expect(await rowOf(adminPage, OFFICER).locator('.user-enable').count()).toBe(1);
    // Their open console: the next call is refused and it returns to the login form.
    expect(await pageCall(officerPage, 'GET', '/api/jurisdictions')).toBe(401);
    await officerPage.reload();
    await login(officerPage, OFFICER, OFFICER_PASSWORD);
    await officerPage.waitForFunction(() => /Wrong username or password/.test(document.querySelector('#login-form')?.textContent ?? ''));
    expect(await officerPage.isVisible('#header')).toBe(false);
    expect((await tg.call('POST', '/api/auth/login', { body: { username: OFFICER, password: OFFICER_PASSWORD } })).status).toBe(401);
    await shot(officerPage, 'disabled-login');
    const audit = await tg.call('GET', `/api/audit?actor=${officerId}&action=auth.login-failed`, { token: await tokenOf(adminPage) });
    expect(audit.body.some((e: any) => e.details?.reason === 'disabled')).toBe(true);
  });

  itIf("another station's admin neither lists nor reaches the user", async () => {
    const south = await pc('south-admin', passwords['south-admin']!, 'admin?tab=users');
    await rowOf(south, 'south-viewer').waitFor();
    const names = await south.$$eval('#user-rows tr', (rs) => rs.map((r) => (r as HTMLElement).dataset.username));
    expect(names).not.toContain(OFFICER);
    expect(names).not.toContain('north-admin');
    for (const [method, path] of [['PATCH', `/api/users/${officerId}`], ['DELETE', `/api/users/${officerId}`]] as const) {
      const res = await tg.call(method, path, { token: await tokenOf(south), body: method === 'PATCH' ? { disabled: false } : undefined });
      expect(res.status).toBe(404);
    }
    // The audit log: south's staff only.
    const audit = await tg.call('GET', `/api/audit?actor=${OFFICER}`, { token: await tokenOf(south) });
    expect(audit.body).toEqual([]);
    // And the other way round: north's admin does not list south's viewer.
    expect(await rowOf(adminPage, 'south-viewer').count()).toBe(0);
  });

  itIf('the screen in Chinese: tabs, the password sentence, grant states and audit actions, dates in zh-CN', async () => {
    const zh = await pc('north-admin', passwords['north-admin']!, 'admin?tab=users', 'zh-CN');
    await zh.waitForSelector('#user-rows tr');
    expect(await zh.locator('#nav a[data-route=admin]').textContent()).toBe('系统管理');
    expect(await zh.$$eval('#admin-tabs a', (as) => as.map((a) => a.textContent))).toEqual(['用户', '临时授权', '电视墙屏幕', '审计日志']);
    expect(await rowOf(zh, OFFICER).locator('.user-state').textContent()).toBe('已停用');
    await zh.fill('#new-user-username', 'oak-officer');
    await zh.fill('#new-user-password', 'aaaaaaaaaaaa');
    await zh.click('#new-user button[type=submit]');
    await zh.waitForFunction(() => document.getElementById('new-user-result')!.textContent !== '');
    expect(await zh.textContent('#new-user-result')).toBe('密码至少需要包含 4 种不同的字符。（VALIDATION_FAILED）');
    await shot(zh, 'zh-users');
    await zh.click('#admin-tab-grants');
    await zh.waitForSelector('#grant-rows tr[data-state=revoked]');
    expect(await zh.locator('#grant-rows tr[data-state=revoked] .grant-state').textContent()).toBe('已撤销');
    expect(await zh.locator('#grant-rows tr[data-state=expired] .grant-state').textContent()).toBe('已过期');
    await shot(zh, 'zh-grants');
    await zh.click('#admin-tab-audit');
    await zh.fill('#audit-user', OFFICER);
    await zh.click('#audit-apply');
    await zh.waitForFunction(() => [...document.querySelectorAll('#audit-rows tr[data-action]')].some((r) => (r as HTMLElement).dataset.action === 'camera.live'));
    const live = zh.locator('#audit-rows tr[data-action="camera.live"]').first();
    expect(await live.locator('.audit-action').textContent()).toBe('查看实时视频');
    const at = (await live.locator('.audit-at').getAttribute('title'))!;
    const atText = await live.locator('.audit-at').textContent();
    expect(atText).toBe(await zh.evaluate((v) => new Intl.DateTimeFormat('zh-CN', { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(v)), at));
    expect(atText).toMatch(/\d{4}年\d{1,2}月\d{1,2}日/);
    await shot(zh, 'zh-audit');
    expect(errors).toEqual([]);
  });
});
