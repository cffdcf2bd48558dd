/**
 * The console in Chinese and English (headless Chromium through playwright-core, a real gateway): a browser whose
 * language is zh-CN gets a whole page in Chinese (lang attribute, title, labels, status names, a date in Chinese
 * form, an API error as a Chinese sentence); the header's switch turns it to English, and the choice outlives a
 * reload in a browser that still prefers Chinese. Screenshots in test-artifacts/console-i18n/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { PartitionerModule } from '../apps/partitioner/src/partitioner.module';
import { ADMIN_PASSWORD, startTestProcess, TestProcess } from './support/harness';
import { hasChromium, launchChromium } from './support/chromium';

jest.setTimeout(60_000);

const ARTIFACTS = join(__dirname, '..', 'test-artifacts', 'console-i18n');
const itIf = hasChromium ? it : it.skip;

// Names from the server are Chinese, so any English word on a Chinese page is the console's own.
const square = (w: number, s: number, e: number, n: number) => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const DISTRICT = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { code: 'SB', name: '河西分局', tier: 'sub-bureau', parentCode: null }, geometry: square(116.28, 39.88, 116.40, 39.96) },
    { type: 'Feature', properties: { code: 'ST1', name: '北关派出所', tier: 'station', parentCode: 'SB' }, geometry: square(116.30, 39.90, 116.36, 39.93) },
    { type: 'Feature', properties: { code: 'P1', name: '榆树警务室', tier: 'post', parentCode: 'ST1' }, geometry: square(116.30, 39.90, 116.33, 39.93) },
  ],
};

/** Labels the English console shows on the operators screen, header and login: none may appear in Chinese (the user is called admin, so its role is checked on its own). */
const ENGLISH_LABELS = [
  'Log out', 'Monitoring wall', 'Garages', 'Cameras', 'Map', 'Hotspots', 'All jurisdictions', 'Refresh', 'Add a camera',
  'Discovery sweep', 'Import cameras', 'Name', 'Status', 'Jurisdiction', 'Tags', 'Location', 'Edit', 'Username', 'Password',
  'Verify before saving', 'Add selected', 'Upload', 'any status', 'any jurisdiction', 'Previous', 'Next', 'cameras',
  'online', 'offline', 'unknown', 'unauthorized', 'operator', 'station', 'post', 'sub-bureau', 'Log in',
];
/** Some of the same labels in Chinese: none may remain after switching to English (tier names are checked on options: the data's names hold them). */
const CHINESE_LABELS = ['退出登录', '视频墙', '摄像机', '添加摄像机', '设备搜索', '刷新', '名称', '状态', '辖区', '标签', '管理员', '离线', '未知'];

const wordsIn = (text: string, words: string[]) => words.filter((w) => new RegExp(`(^|[^A-Za-z])${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z])`).test(text));

describe('console languages (zh-CN first, en too)', () => {
  let tg: TestProcess;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    tg = await startTestProcess({ name: 'console-i18n-test', modules: [PartitionerModule, GatewayModule], http: true }, { 'health.intervalSeconds': 3600 });
    const admin = await tg.login();
    const imported = await tg.call('POST', '/api/jurisdictions/import', { token: admin, raw: JSON.stringify(DISTRICT), contentType: 'application/geo+json' });
    if (imported.status >= 300) throw new Error(`jurisdiction import failed: ${imported.status} ${imported.text}`);
    // Nothing answers at these addresses: the cameras stay "unknown" and the wall's tiles keep connecting.
    for (const [i, [name, lat, lon]] of ([['榆树车库 A', 39.912, 116.31], ['榆树大门', 39.915, 116.315]] as const).entries()) {
      const res = await tg.call('POST', '/api/cameras', { token: admin, body: { name, rtspUrl: `rtsp://127.0.59.${i + 1}:8554/main`, location: { lat, lon }, tags: ['车库'] } });
      if (res.status !== 201) throw new Error(`camera ${name}: ${res.status} ${res.text}`);
    }
    if (hasChromium) {
      browser = await launchChromium();
    }
  }, 120_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await tg?.stop();
  });

  const visibleText = (page: Page) => page.evaluate(() => document.body.innerText);

  async function login(page: Page, password: string) {
    await page.fill('#login-form input[name=username]', 'admin');
    await page.fill('#login-form input[name=password]', password);
    await page.click('#login-form button[type=submit]');
  }

  itIf('a zh-CN browser gets the console in Chinese, switches to English, and keeps the choice', async () => {
    context = await browser!.newContext({ locale: 'zh-CN', viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'warning' && m.text().startsWith('i18n:')) errors.push(m.text()); });
    await page.route(/^(?!http:\/\/127\.0\.0\.1[:/]).*/, (route) => { errors.push(`external request ${route.request().url()}`); return route.abort(); });

    // Login page, a wrong password: the server's UNAUTHENTICATED as a Chinese sentence.
    await page.goto(`${tg.url}/#/operators`);
    await page.waitForSelector('#login-form');
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.title()).toBe('Tiergate 视频监控平台');
    expect(await page.textContent('#login-form button[type=submit]')).toBe('登录');
    await login(page, 'wrong');
    await page.waitForSelector('#login-error:has-text("用户名或密码错误")');
    expect(await page.textContent('#login-error')).toBe('用户名或密码错误。（UNAUTHENTICATED）');
    await page.screenshot({ path: join(ARTIFACTS, 'login-error-zh-CN.png') });

    // A full page (the operators screen: header, table, three forms) in Chinese.
    await login(page, ADMIN_PASSWORD);
    await page.waitForSelector('#camera-rows tr');
    await page.waitForFunction(() => document.querySelectorAll('#camera-rows tr').length === 2);
    const zhText = await visibleText(page);
    expect(wordsIn(zhText, ENGLISH_LABELS)).toEqual([]);
    // The first five screens in order; later ones (administration, rates, patrol…) follow, named in the language.
    expect((await page.$$eval('#nav a', (as) => as.map((a) => a.textContent))).slice(0, 5)).toEqual(['视频墙', '车库', '摄像机', '地图', '热点分析']);
    expect(await page.$$eval('#nav a', (as) => as.map((a) => a.textContent))).toContain('系统管理');
    expect(await page.textContent('#user-role')).toBe('管理员');
    expect(await page.textContent('#user-jurisdiction')).toBe('全部辖区');
    // Each camera's status badge names its status in Chinese.
    const ZH_STATUS: Record<string, string> = { online: '在线', offline: '离线', unauthorized: '未授权', unknown: '未知' };
    const badges = await page.$$eval('#camera-rows .status', (els) => els.map((e) => [(e as HTMLElement).dataset.status ?? '', e.textContent ?? '']));
    expect(badges).toHaveLength(2);
    for (const [status, text] of badges) expect(text).toBe(ZH_STATUS[status]);
    // Today's date and weekday in the header, in Chinese form (12月2日星期三).
    expect(await page.textContent('#header-clock')).toMatch(/^\d{1,2}月\d{1,2}日星期[一二三四五六日] \d{2}:\d{2}$/);
    // Jurisdictions are named with their Chinese tier.
    expect(await page.$$eval('#ops-jurisdiction option', (os) => os.map((o) => o.textContent))).toEqual(expect.arrayContaining(['北关派出所 (派出所)', '榆树警务室 (警务室)']));
    await page.screenshot({ path: join(ARTIFACTS, 'operators-zh-CN.png'), fullPage: true });

    // The wall in Chinese too (tile states, toolbar).
    await page.evaluate(() => { location.hash = '#/wall'; });
    await page.waitForSelector('#wall-grid .tile .live-state');
    expect(wordsIn(await visibleText(page), [...ENGLISH_LABELS, 'Layout', 'Preset', 'Tour every', 'page', 'connecting', 'live', 'stalled'])).toEqual([]);
    expect(await page.textContent('#wall-page')).toBe('第 1 / 1 页');
    await page.screenshot({ path: join(ARTIFACTS, 'wall-zh-CN.png') });

    // Map: the legend's status names and the info line.
    await page.evaluate(() => { location.hash = '#/map'; });
    await page.waitForFunction(() => (document.querySelector('#map-info')?.textContent ?? '') !== '');
    expect(await page.$$eval('#screen-map .legend .legend-name', (els) => els.map((e) => e.textContent))).toEqual(['在线', '离线', '未授权', '未知']);
    expect(await page.textContent('#map-info')).toBe('3 个辖区，地图上 2 路摄像机');

    // Hotspots: the filters, the summary headings and the weekday names of the hour × weekday grid (Intl).
    await page.evaluate(() => { location.hash = '#/hotspots'; });
    await page.waitForSelector('#hs-heatmap');
    await page.waitForFunction(() => (document.querySelector('#hs-info')?.textContent ?? '') !== '' && !document.querySelector('#hs-info')!.textContent!.includes('…'));
    expect(wordsIn(await visibleText(page), [...ENGLISH_LABELS, 'Type', 'From', 'To', 'Show', 'Top areas', 'Type mix', 'cells', 'hot', 'incidents'])).toEqual([]);
    expect(await page.$$eval('#hs-heatmap > text', (ts) => ts.map((x) => x.textContent).filter((x) => /\D/.test(x ?? '')))).toEqual(['周一', '周二', '周三', '周四', '周五', '周六', '周日']);

    // The header's switch: English, remembered across a reload although the browser prefers Chinese.
    await page.evaluate(() => { location.hash = '#/operators'; });
    await page.waitForSelector('#camera-rows tr');
    await Promise.all([page.waitForEvent('load'), page.selectOption('#lang-switch', 'en')]);
    await page.waitForSelector('#camera-rows tr');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.title()).toBe('Tiergate console');
    const enText = await visibleText(page);
    expect(wordsIn(enText, ['Log out', 'Add a camera', 'Discovery sweep', 'Refresh', 'Name', 'Status'])).toHaveLength(6);
    expect(CHINESE_LABELS.filter((w) => enText.includes(w))).toEqual([]);
    // The first five screens in order; later ones (administration, rates, patrol…) follow, named in the language.
    expect((await page.$$eval('#nav a', (as) => as.map((a) => a.textContent))).slice(0, 5)).toEqual(['Monitoring wall', 'Garages', 'Cameras', 'Map', 'Hotspots']);
    expect(await page.$$eval('#nav a', (as) => as.map((a) => a.textContent))).toContain('Administration');
    expect(await page.$$eval('#ops-jurisdiction option', (os) => os.map((o) => o.textContent))).toEqual(expect.arrayContaining(['北关派出所 (station)', '榆树警务室 (post)']));
    expect(await page.textContent('#header-clock')).toMatch(/^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), [A-Z][a-z]+ \d{1,2} \d{2}:\d{2}$/);
    await page.screenshot({ path: join(ARTIFACTS, 'operators-en.png'), fullPage: true });
    await page.reload();
    await page.waitForSelector('#camera-rows tr');
    expect(await page.getAttribute('html', 'lang')).toBe('en');

    // The same API error as an English sentence.
    await page.click('#logout');
    await page.waitForSelector('#login-form');
    await login(page, 'wrong');
    await page.waitForSelector('#login-error:has-text("Wrong username or password")');
    expect(await page.textContent('#login-error')).toBe('Wrong username or password. (UNAUTHENTICATED)');
    await page.screenshot({ path: join(ARTIFACTS, 'login-error-en.png') });
    expect(errors).toEqual([]);
  });

  itIf('i18n.js: the browser language picks zh-CN or en, unknown codes show the server message, a missing key falls back once-logged', async () => {
    const ctx = await browser!.newContext({ locale: 'zh-CN' });
    try {
      const page = await ctx.newPage();
      const warnings: string[] = [];
      page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
      await page.goto(`${tg.url}/`);
      await page.waitForSelector('#login-form');
      const answers = await page.evaluate(async (url) => {
        const m = await import(url);
        return {
          picks: [['zh-TW', 'en'], ['zh'], ['fr-FR', 'en-GB', 'zh-CN'], ['fr-FR', 'zh-HK'], ['de'], []].map((ls) => m.pickLocale(ls)),
          locale: m.locale(),
          known: m.errorText('NOT_FOUND', 'not found'),
          unknown: m.errorText('SOMETHING_NEW', 'the server says so'),
          http: m.errorText('HTTP_502', 'Bad Gateway'),
          missing: [m.t('no.such.key'), m.t('no.such.key')],
          plural: [m.t('wall.cameras', { count: 1 }), m.t('wall.cameras', { count: 1200 })],
          number: m.formatNumber(1234567.5),
        };
      }, '/i18n.js'); // the module as the browser loads it (a variable: the TypeScript compiler does not resolve it)
      expect(answers.picks).toEqual(['zh-CN', 'zh-CN', 'en', 'zh-CN', 'en', 'en']);
      expect(answers.locale).toBe('zh-CN');
      expect(answers.known).toBe('未找到，或不在您的辖区内。');
      expect(answers.unknown).toBe('the server says so');
      expect(answers.http).toBe('服务器返回错误（HTTP 502）。');
      expect(answers.missing).toEqual(['no.such.key', 'no.such.key']);
      expect(warnings.filter((w) => w.includes('no.such.key'))).toHaveLength(1);
      expect(answers.plural).toEqual(['1 路摄像机', '1,200 路摄像机']);
      expect(answers.number).toBe('1,234,567.5');
    } finally {
      await ctx.close();
    }
  });
});
