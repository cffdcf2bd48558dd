/**
 * The console's recording screen (#/recording, issue 14) in a real browser (headless Chromium through playwright-core)
 * against a gateway process: a station operator creates a tag rule (rolling buffer, 5 min) and a camera rule
 * (continuous) through the form, and the API then lists exactly what was chosen; a rule the API refuses is said in
 * a sentence; editing the retention, disabling and deleting (after a confirmation, which can be declined) reach the
 * API; an investigation hold made on the screen is in GET /api/recording-holds and can be lifted; a viewer has no
 * recording screen (not in the menu, the typed route refused); another station's operator lists only their
 * station's rules; the screen in Chinese. Screenshots: test-artifacts/recording/rules*.png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Dialog, type Page } from 'playwright-core';
import type { Geometry } from '@tiergate/domain';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { seedCameras, seedJurisdictions, userToken } from '../support/district.fixture';
import { startTestProcess, TestProcess } from '../support/harness';
import { hasChromium, launchChromium } from '../support/chromium';

jest.setTimeout(120_000);

const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts', 'recording');
const itIf = hasChromium ? it : it.skip;

const box = (w: number, s: number, e: number, n: number): Geometry => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const NORTH_OP = 'north-rec-operator';
const NORTH_VIEWER = 'north-rec-viewer';
const SOUTH_OP = 'south-rec-operator';
const password = (username: string) => `${username}-password-1`;

describe('console: recording rules and investigation holds (issue 14)', () => {
  let tg: TestProcess;
  let browser: Browser | undefined;
  let admin: string;
  let northToken: string;
  let southToken: string;
  let northOperatorId: string;
  const jur = new Map<string, string>();
  let garageGate: string;
  let stationDoor: string;
  let southRuleId: string;
  let districtRuleId: string;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  let page: Page;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    tg = await startTestProcess({ name: 'console-rules-test', modules: [GatewayModule], http: true }, { 'health.intervalSeconds': 3600 });
    admin = await tg.login();
    for (const [code, id] of await seedJurisdictions(tg, [
      { code: 'D', name: 'River District', tier: 'sub-bureau', parentCode: null, geometry: box(123.3, 41.6, 123.7, 41.9) },
      { code: 'N', name: 'North Station', tier: 'station', parentCode: 'D', geometry: box(123.3, 41.75, 123.7, 41.9) },
      { code: 'PA', name: 'Elm Post', tier: 'post', parentCode: 'N', geometry: box(123.3, 41.75, 123.5, 41.9) },
      { code: 'S', name: 'South Station', tier: 'station', parentCode: 'D', geometry: box(123.3, 41.6, 123.7, 41.75) },
    ])) jur.set(code, id);
    [garageGate, stationDoor] = await seedCameras(tg, [
      { name: 'Garage gate', lon: 123.4, lat: 41.8, jurisdictionId: jur.get('PA')! },
      { name: 'Station door', lon: 123.6, lat: 41.8, jurisdictionId: jur.get('N')! },
      { name: 'South yard', lon: 123.5, lat: 41.7, jurisdictionId: jur.get('S')! },
    ]) as [string, string];
    northToken = await userToken(tg, admin, NORTH_OP, 'operator', jur.get('N')!);
    await userToken(tg, admin, NORTH_VIEWER, 'viewer', jur.get('N')!);
    southToken = await userToken(tg, admin, SOUTH_OP, 'operator', jur.get('S')!);
    northOperatorId = (await tg.call('GET', '/api/users', { token: admin })).body.find((u: { username: string }) => u.username === NORTH_OP).id;
    // Rules the north operator must not see: the other station's, and the district's (above their home node).
    const south = await tg.call('POST', '/api/recording-rules', { token: southToken, body: { name: 'South dock', target: { type: 'tag', value: 'dock' }, mode: 'continuous' } });
    const district = await tg.call('POST', '/api/recording-rules', { token: admin, body: { name: 'Whole district', target: { type: 'jurisdiction', value: jur.get('D')! }, mode: 'buffer', jurisdictionId: jur.get('D')! } });
    if (south.status !== 201 || district.status !== 201) throw new Error(`seed rules: ${south.status} ${south.text} / ${district.status} ${district.text}`);
    southRuleId = south.body.id;
    districtRuleId = district.body.id;
    if (hasChromium) {
      browser = await launchChromium();
    }
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await tg?.stop();
  });

  afterEach(() => {
    expect(errors).toEqual([]);
  });

  /** A fresh browser (one PC) in `locale`, logged in through the form, at `route`. */
  async function open(username: string, route: string, locale: 'en' | 'zh-CN' = 'en'): Promise<Page> {
    const context = await browser!.newContext({ viewport: { width: 1440, height: 1000 }, timezoneId: 'UTC', locale });
    contexts.push(context);
    await context.addInitScript((l) => localStorage.setItem('tiergate.locale', l), locale);
    const p = await context.newPage();
    p.on('pageerror', (e) => errors.push(`${username}: ${e.message}`));
    await p.route(/^(?!http:\/\/127\.0\.0\.1[:/]).*/, (r) => { errors.push(`external request ${r.request().url()}`); return r.abort(); });
    await p.goto(`${tg.url}/#/${route}`);
    await p.fill('#login-form input[name=username]', username);
    await p.fill('#login-form input[name=password]', password(username));
    await p.click('#login-form button[type=submit]');
    await p.waitForSelector('#header:not([hidden])');
    return p;
  }
  const rules = async (token: string) => {
    const res = await tg.call('GET', '/api/recording-rules', { token });
    expect(res.status).toBe(200);
    return res.body as Array<Record<string, unknown> & { id: string; name: string }>;
  };
  const row = (p: Page, name: string) => p.locator('#rule-rows tr', { has: p.locator('.rule-name', { hasText: name }) });
  const cells = (p: Page, name: string) => row(p, name).evaluate((tr) => Object.fromEntries(
    ['name', 'target', 'mode', 'profile', 'retention', 'owner', 'state'].map((c) => [c, tr.querySelector(`.rule-${c}`)?.textContent ?? null])));
  /** Answers the next confirm() with `accept`, and gives its text. */
  const nextDialog = (p: Page, accept: boolean) => new Promise<string>((resolve) => {
    p.once('dialog', (d: Dialog) => { resolve(d.message()); void (accept ? d.accept() : d.dismiss()); });
  });
  async function pickCamera(p: Page, field: string, search: string, id: string) {
    await p.fill(`#${field}-search`, search);
    await p.waitForFunction(([f, v]) => (document.getElementById(f!) as HTMLSelectElement).value === v, [field, id]);
  }

  itIf('an operator creates a tag rule (buffer, 5 min) and a camera rule (continuous) on the screen; the API lists exactly those', async () => {
    page = await open(NORTH_OP, 'recording');
    expect(await page.locator('#nav a[data-route=recording]').textContent()).toBe('Recording');
    await page.waitForSelector('#rule-none');
    expect(await page.textContent('#rule-count')).toBe('0 rules');

    // The tag rule: a rolling buffer of 5 minutes, owned by the operator's station (the default owner).
    await page.fill('#rule-name', 'Garages');
    await page.selectOption('#rule-target-type', 'tag');
    expect(await page.isVisible('#rule-camera')).toBe(false);
    await page.fill('#rule-tag', 'garage');
    await page.selectOption('#rule-mode', 'buffer');
    expect(await page.inputValue('#rule-buffer-minutes')).toBe('5');
    expect(await page.inputValue('#rule-owner')).toBe(jur.get('N'));
    await page.click('#rule-submit');
    await row(page, 'Garages').waitFor();
    expect(await page.textContent('#rule-result')).toBe('Rule "Garages" created.');

    // A camera rule the API refuses (the camera lies outside the owning post): said in a sentence, nothing created.
    await page.fill('#rule-name', 'Garage gate, main stream');
    await page.selectOption('#rule-target-type', 'camera');
    await pickCamera(page, 'rule-camera', 'Station door', stationDoor);
    await page.selectOption('#rule-owner', jur.get('PA')!);
    await page.click('#rule-submit');
    await page.waitForSelector('#rule-result.error');
    expect(await page.textContent('#rule-result')).toBe(
      'The rule is not valid: the target must lie inside the owning jurisdiction, the buffer 1 to 120 minutes and the retention 1 to 365 days. (VALIDATION_FAILED)');
    expect((await rules(northToken)).map((r) => r.name)).toEqual(['Garages']);

    // The camera rule: continuous, main stream, 14 days, owned by Elm Post.
    await pickCamera(page, 'rule-camera', 'Garage', garageGate);
    await page.selectOption('#rule-mode', 'continuous');
    expect(await page.isVisible('#rule-buffer-minutes')).toBe(false);
    await page.selectOption('#rule-profile', 'main');
    await page.fill('#rule-retention-days', '14');
    await page.click('#rule-submit');
    await row(page, 'Garage gate, main stream').waitFor();
    expect(await page.textContent('#rule-count')).toBe('2 rules');

    const listed = await rules(northToken);
    const common = { createdBy: northOperatorId, createdAt: expect.any(String), updatedAt: expect.any(String), id: expect.any(String) };
    expect(listed).toEqual([
      { ...common, name: 'Garages', target: { type: 'tag', value: 'garage' }, mode: 'buffer', bufferMinutes: 5, profile: 'sub', retentionDays: 30, jurisdictionId: jur.get('N'), enabled: true },
      { ...common, name: 'Garage gate, main stream', target: { type: 'camera', value: garageGate }, mode: 'continuous', bufferMinutes: null, profile: 'main', retentionDays: 14, jurisdictionId: jur.get('PA'), enabled: true },
    ]);
    // Neither the other station's rule nor the district's is this operator's to see.
    expect(listed.map((r) => r.id)).not.toContain(southRuleId);
    expect(listed.map((r) => r.id)).not.toContain(districtRuleId);

    // The list says the same in words.
    expect(await cells(page, 'Garages')).toEqual({
      name: 'Garages', target: 'Cameras tagged "garage"', mode: 'Rolling buffer, last 5 min', profile: 'Sub stream', retention: '30 days', owner: 'North Station (station)', state: 'enabled',
    });
    expect(await cells(page, 'Garage gate, main stream')).toEqual({
      name: 'Garage gate, main stream', target: 'Camera Garage gate', mode: 'Continuous', profile: 'Main stream', retention: '14 days', owner: 'Elm Post (post)', state: 'enabled',
    });
    expect(await page.locator('#rule-rows tr').count()).toBe(2);
    await page.screenshot({ path: join(ARTIFACTS, 'rules.png'), fullPage: true });
  });

  itIf('editing the retention, disabling, and deleting after a confirmation reach the API', async () => {
    const camRule = (await rules(northToken)).find((r) => r.name === 'Garage gate, main stream')!;
    await row(page, 'Garage gate, main stream').locator('.rule-edit').click();
    expect(await page.textContent('#rule-form-title')).toBe('Editing rule "Garage gate, main stream"');
    expect(await page.inputValue('#rule-camera')).toBe(garageGate);
    expect(await page.inputValue('#rule-retention-days')).toBe('14');
    await page.fill('#rule-retention-days', '90');
    await page.click('#rule-submit');
    await page.waitForFunction(() => document.getElementById('rule-result')!.textContent === 'Rule "Garage gate, main stream" saved.');
    await page.waitForFunction(() => [...document.querySelectorAll('#rule-rows .rule-retention')].some((c) => c.textContent === '90 days'));
    const edited = (await rules(northToken)).find((r) => r.id === camRule.id)!;
    expect(edited).toEqual({ ...camRule, retentionDays: 90, updatedAt: expect.any(String) });
    expect(await page.textContent('#rule-form-title')).toBe('New recording rule');

    // Disable the tag rule.
    const tagRule = (await rules(northToken)).find((r) => r.name === 'Garages')!;
    await row(page, 'Garages').locator('.rule-toggle').click();
    await page.waitForSelector(`#rule-rows tr[data-rule-id="${tagRule.id}"][data-enabled=false]`);
    expect((await cells(page, 'Garages')).state).toBe('disabled');
    expect((await rules(northToken)).find((r) => r.id === tagRule.id)).toEqual({ ...tagRule, enabled: false, updatedAt: expect.any(String) });

    // Delete the camera rule: declined first (nothing happens), then confirmed.
    let asked = nextDialog(page, false);
    await row(page, 'Garage gate, main stream').locator('.rule-delete').click();
    expect(await asked).toBe('Delete the recording rule "Garage gate, main stream"? Footage already recorded stays until its retention ends.');
    await page.waitForTimeout(300);
    expect((await rules(northToken)).map((r) => r.id)).toContain(camRule.id);
    asked = nextDialog(page, true);
    await row(page, 'Garage gate, main stream').locator('.rule-delete').click();
    await asked;
    await page.waitForSelector(`#rule-rows tr[data-rule-id="${camRule.id}"]`, { state: 'detached' });
    expect((await rules(northToken)).map((r) => r.name)).toEqual(['Garages']);
  });

  itIf('an investigation hold made on the screen is in GET /api/recording-holds, and can be lifted there', async () => {
    await page.waitForSelector('#hold-none');
    // A reason too short is refused before anything is sent.
    await pickCamera(page, 'hold-camera', 'Garage', garageGate);
    await page.fill('#hold-from', '2026-11-30T08:00');
    await page.fill('#hold-to', '2026-11-30T09:30');
    await page.fill('#hold-reason', 'x');
    await page.click('#hold-submit');
    expect(await page.textContent('#hold-result')).toBe('The reason needs 4 to 500 characters.');
    await page.fill('#hold-reason', 'case 2026-114, stolen van');
    await page.click('#hold-submit');
    await page.waitForSelector('#hold-rows tr[data-hold-id]');
    expect(await page.textContent('#hold-result')).toBe('Footage of Garage gate held.');
    const holds = await tg.call('GET', '/api/recording-holds', { token: northToken });
    expect(holds.body).toEqual([{
      id: expect.any(String), cameraId: garageGate, from: '2026-11-30T08:00:00.000Z', to: '2026-11-30T09:30:00.000Z', reason: 'case 2026-114, stolen van', createdBy: northOperatorId, createdAt: expect.any(String),
    }]);
    const holdRow = page.locator(`#hold-rows tr[data-hold-id="${holds.body[0].id}"]`);
    expect(await holdRow.locator('.hold-camera').textContent()).toBe('Garage gate');
    // Intl puts a narrow no-break space before AM/PM in recent ICU versions.
    expect((await holdRow.locator('.hold-range').textContent())?.replace(/\u202f/g, ' ')).toBe('Nov 30, 2026, 8:00 AM – Nov 30, 2026, 9:30 AM');
    expect(await holdRow.locator('.hold-reason').textContent()).toBe('case 2026-114, stolen van');
    await page.screenshot({ path: join(ARTIFACTS, 'rules-hold.png'), fullPage: true });

    const asked = nextDialog(page, true);
    await holdRow.locator('.hold-delete').click();
    expect(await asked).toBe('Lift the hold on Garage gate? Its footage is then pruned by retention and quota again.');
    await page.waitForSelector('#hold-none');
    expect((await tg.call('GET', '/api/recording-holds', { token: northToken })).body).toEqual([]);
  });

  itIf('a viewer has no recording screen: not in the menu, and the typed route is refused', async () => {
    const viewer = await open(NORTH_VIEWER, 'map');
    const routes = await viewer.$$eval('#nav a', (as) => as.map((a) => a.getAttribute('data-route')));
    expect(routes).toContain('map');
    expect(routes).not.toContain('recording');
    await viewer.evaluate(() => { location.hash = '#/recording'; });
    await viewer.waitForSelector('#route-refused');
    expect(await viewer.textContent('#route-refused')).toBe('"Recording" is not available for your role (viewer).');
    expect(await viewer.locator('#rule-form').count()).toBe(0);
  });

  itIf("another station's operator lists only their station's rules", async () => {
    const south = await open(SOUTH_OP, 'recording');
    await south.waitForSelector(`#rule-rows tr[data-rule-id="${southRuleId}"]`);
    expect(await south.$$eval('#rule-rows .rule-name', (cs) => cs.map((c) => c.textContent))).toEqual(['South dock']);
    expect(await cells(south, 'South dock')).toEqual({
      name: 'South dock', target: 'Cameras tagged "dock"', mode: 'Continuous', profile: 'Sub stream', retention: '30 days', owner: 'South Station (station)', state: 'enabled',
    });
    // The API agrees: the north station's rule is not theirs.
    expect((await rules(southToken)).map((r) => r.name)).toEqual(['South dock']);
  });

  itIf('the screen reads in Chinese', async () => {
    const zh = await open(NORTH_OP, 'recording', 'zh-CN');
    await zh.waitForSelector('#rule-rows .rule-name');
    expect(await zh.locator('#nav a[data-route=recording]').textContent()).toBe('录像');
    expect(await zh.$$eval('#rule-table th', (ths) => ths.map((th) => th.textContent))).toEqual(['名称', '录像对象', '方式', '码流', '保存期限', '所属辖区', '状态', '操作']);
    expect(await cells(zh, 'Garages')).toEqual({
      name: 'Garages', target: '标签为“garage”的摄像机', mode: '滚动缓存，保留最近 5 分钟', profile: '子码流', retention: '30 天', owner: 'North Station (派出所)', state: '已停用',
    });
    expect(await zh.textContent('#rule-count')).toBe('1 条规则');
    expect(await zh.textContent('#rule-submit')).toBe('创建规则');
    expect(await zh.textContent('#hold-submit')).toBe('保全录像');
    // A refusal in Chinese: a buffer longer than the API allows is stopped on the page.
    await zh.fill('#rule-name', '测试');
    await zh.selectOption('#rule-target-type', 'tag');
    await zh.fill('#rule-tag', 'garage');
    await zh.selectOption('#rule-mode', 'buffer');
    await zh.fill('#rule-buffer-minutes', '500');
    await zh.click('#rule-submit');
    expect(await zh.textContent('#rule-result')).toBe('缓存分钟数须为 1 至 120 的整数。');
    await zh.screenshot({ path: join(ARTIFACTS, 'rules-zh-CN.png'), fullPage: true });
    expect((await rules(northToken)).map((r) => r.name)).toEqual(['Garages']);
  });
});
