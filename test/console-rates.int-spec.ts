/**
 * The rates dashboard and the period report (issue 16) in a real browser (headless Chromium through playwright-core)
 * against a Tiergate process (gateway, partitioner): incidents, stop-and-checks, populations and patrol rounds seeded
 * through the APIs; the dashboard shows a station's figures as GET /api/rates and /api/patrol/fulfilment answer them,
 * and as this test recomputes them from what it seeded; a zero denominator shows "—" with the reason; a station analyst
 * sees only their subtree; the CSV downloads with formula cells neutralised (a station named like a formula); the
 * printable HTML holds the rates; the screen and the report in Chinese; the hotspot screen's emerging mode shows its
 * legend and the planted new hot spot with patrol guidance. Screenshots in test-artifacts/console/rates*.png.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { districtCode, generateDistrict, generateIncidents, incidentsToCsv, readCsvTable } from '@tiergate/domain';
import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { PartitionerModule } from '../apps/partitioner/src/partitioner.module';
import { districtNodes, seedCameras, seedJurisdictions, userToken } from './support/district.fixture';
import { CameraAlarmsRepository } from '@tiergate/persistence';
import { ADMIN_PASSWORD, startTestProcess, TestProcess } from './support/harness';
import { hasChromium, launchChromium } from './support/chromium';

jest.setTimeout(180_000);

const ARTIFACTS = join(__dirname, '..', 'test-artifacts', 'console');
const itIf = hasChromium ? it : it.skip;
const FORMULA = "=cmd|' /C calc'!A0";
const DAY = 86_400_000;
const MIN = 60_000;
const SH = 8 * 3600_000;

// district ROOT → stations S1 (posts P11, P12) and S2 (posts P21, P22); S2 is named like a spreadsheet formula.
const district = generateDistrict({ stations: 2, postsPerStation: 2, sizeKm: 4, seed: 16 });
const ROOT = districtCode('210103');
const S1 = districtCode('210103', 1);
const S2 = districtCode('210103', 2);
const P11 = districtCode('210103', 1, 1);
const P12 = districtCode('210103', 1, 2);
const P21 = districtCode('210103', 2, 1);
const P22 = districtCode('210103', 2, 2);
const stationOf: Record<string, string> = { [P11]: S1, [P12]: S1, [P21]: S2, [P22]: S2 };
const centreOf = (code: string) => {
  const [w, s, e, n] = district.features.find((f) => f.properties.code === code)!.bbox;
  return { lon: (w + e) / 2, lat: (s + n) / 2 };
};

// The period, chosen in the browser as "custom": the last 30 Shanghai days up to today (inclusive).
const NOW = Date.now();
const shDay = (ms: number) => new Date(ms + SH).toISOString().slice(0, 10);
const FROM_DAY = shDay(NOW - 30 * DAY);
const TO_DAY = shDay(NOW);
const FROM = Date.parse(`${FROM_DAY}T00:00:00+08:00`);
const TO = Date.parse(`${TO_DAY}T00:00:00+08:00`) + DAY;
/** docs/methods.md: each end moved back one calendar year in UTC (29 February becomes 28 February). */
const yearBack = (ms: number) => {
  const d = new Date(ms);
  const day = d.getUTCMonth() === 1 && d.getUTCDate() === 29 ? 28 : d.getUTCDate();
  return Date.UTC(d.getUTCFullYear() - 1, d.getUTCMonth(), day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
};
const LAST = { from: yearBack(FROM), to: yearBack(TO) };

// What is seeded: incidents [post, type, instant], stop-and-checks [post, instant, captured], populations.
const incidents: Array<[string, string, number]> = [
  [P11, 'bike_theft', FROM + 1 * DAY], [P11, 'bike_theft', FROM + 2 * DAY], [P11, 'bike_theft', FROM + 3 * DAY], [P12, 'burglary', FROM + 4 * DAY],
  [P21, 'other', FROM + 5 * DAY], [P21, 'robbery', FROM + 6 * DAY],
  [P11, 'bike_theft', LAST.from + 1 * DAY], [P11, 'bike_theft', LAST.from + 2 * DAY], [P11, 'robbery', LAST.from + 3 * DAY], [P11, 'other', LAST.from + 4 * DAY],
  [P12, 'burglary', LAST.from + 5 * DAY], [P21, 'other', LAST.from + 6 * DAY],
];
const stopChecks: Array<[string, number, boolean]> = [
  [P11, FROM + 1 * DAY, true], [P11, FROM + 2 * DAY, false], [P11, FROM + 3 * DAY, false], [P12, FROM + 4 * DAY, true], [P21, FROM + 5 * DAY, false],
  [P11, LAST.from + 2 * DAY, false], [P11, LAST.from + 3 * DAY, false],
];
const populations: Record<string, number> = { [P11]: 10_000, [P12]: 5_000 };
const PREVENTABLE = ['bike_theft', 'burglary', 'snatch'];

// The independent recomputation (docs/methods.md) of what the dashboard must show for a station.
const inStation = (station: string, post: string) => stationOf[post] === station;
const countIn = (station: string, from: number, to: number, types?: string[]) =>
  incidents.filter(([post, type, at]) => inStation(station, post) && at >= from && at < to && (!types || types.includes(type))).length;
const expectedDecline = (station: string) => {
  const now = countIn(station, FROM, TO);
  const then = countIn(station, LAST.from, LAST.to);
  return (then - now) / then;
};
const expectedCapture = (station: string, from = FROM, to = TO) => {
  const rows = stopChecks.filter(([post, at]) => inStation(station, post) && at >= from && at < to);
  return rows.filter((r) => r[2]).length / rows.length;
};
const expectedPreventable = (station: string) => {
  const population = Object.entries(populations).filter(([post]) => inStation(station, post)).reduce((a, [, n]) => a + n, 0);
  return (countIn(station, FROM, TO, PREVENTABLE) * 10_000) / population;
};

// Emerging hot spots: twelve weeks ending on the Monday (00:00, UTC+8) on or before 100 days ago, clear of the rates'
// periods, a new hot spot at P21 in the last week. Weeks from a Monday: the generator's weekday pattern, and so every
// drawn incident relative to the slices, is the same on every day the test runs.
const EM_DAY = Date.parse(`${shDay(NOW - 100 * DAY)}T00:00:00+08:00`);
const EM_TO = EM_DAY - ((new Date(EM_DAY + SH).getUTCDay() + 6) % 7) * DAY;
const NEW_AT = centreOf(P21);
const emergingIncidents = [
  ...generateIncidents({ district, count: 2000, years: 84 / 365.25, end: new Date(EM_TO), seed: 5, idPrefix: 'BG-' }),
  ...generateIncidents({ district, count: 30, years: 7 / 365.25, end: new Date(EM_TO), plantedHotspots: [{ ...NEW_AT, share: 1, spreadM: 80 }], seed: 9, idPrefix: 'NEW-' }),
];

describe('console rates dashboard, period report and emerging hot spots', () => {
  let tg: TestProcess;
  let browser: Browser | undefined;
  let ids: Map<string, string>;
  let admin: string;
  let analystS1: string;
  let s1Camera: string;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  let adminPage: Page;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    tg = await startTestProcess({ name: 'console-rates-test', modules: [PartitionerModule, GatewayModule], http: true });
    ids = await seedJurisdictions(tg, districtNodes(district).map((n) => (n.code === S2 ? { ...n, name: FORMULA } : n)));
    admin = await tg.login();
    analystS1 = await userToken(tg, admin, 'analyst-s1', 'analyst', ids.get(S1)!);
    [s1Camera] = await seedCameras(tg, [{ name: 'p11-gate', ...centreOf(P11), jurisdictionId: ids.get(P11)! }]);
    const iso = (ms: number) => new Date(ms).toISOString();
    const csv = ['id,type,occurred_at,lat,lon', ...incidents.map(([post, type, at], i) => `r${i},${type},${iso(at)},${centreOf(post).lat},${centreOf(post).lon}`)].join('\n');
    const imported = await tg.call('POST', '/api/incidents/import', { token: admin, raw: csv });
    if (imported.status !== 201) throw new Error(`incidents: ${imported.status} ${imported.text}`);
    const em = await tg.call('POST', '/api/incidents/import', { token: admin, raw: incidentsToCsv(emergingIncidents) });
    if (em.status !== 201) throw new Error(`emerging incidents: ${em.status} ${em.text.slice(0, 300)}`);
    const checks = ['time,place,jurisdiction_code,persons,vehicles,result', ...stopChecks.map(([post, at, captured]) => `${iso(at)},Main street,${post},1,0,${captured ? 'captured' : 'not_captured'}`)].join('\n');
    const sc = await tg.call('POST', '/api/stop-checks/import', { token: admin, raw: checks });
    if (sc.status !== 201) throw new Error(`stop-checks: ${sc.status} ${sc.text}`);
    const pop = await tg.call('POST', '/api/jurisdictions/population', { token: admin, raw: `code,population\n${Object.entries(populations).map(([c, n]) => `${c},${n}`).join('\n')}\n` });
    if (pop.status !== 201) throw new Error(`population: ${pop.status} ${pop.text}`);

    // Patrol (as test/patrol does): S1's route every hour over the last two hours; N-120 missed, N-60 late, N on time and complete.
    const N = Math.floor(NOW / MIN) * MIN;
    const clock = (ms: number) => new Date(ms + SH).toISOString().slice(11, 16);
    const route = await tg.call('POST', '/api/patrol/routes', {
      token: admin,
      body: { name: 'gate round', jurisdictionId: ids.get(S1), stops: [{ cameraId: s1Camera, dwellSeconds: 10 }], schedule: { kind: 'interval', everyMinutes: 60, from: clock(N - 120 * MIN), to: clock(N) } },
    });
    if (route.status !== 201) throw new Error(`route: ${route.status} ${route.text}`);
    await tg.running.infra.database.dataSource.query(`UPDATE patrol_routes SET "createdAt" = now() - interval '1 day' WHERE id = $1`, [route.body.id]);
    for (const planned of [N - 60 * MIN, N]) {
      const round = await tg.call('POST', '/api/patrol/rounds', { token: admin, body: { routeId: route.body.id, plannedAt: new Date(planned).toISOString() } });
      if (round.status !== 201) throw new Error(`round: ${round.status} ${round.text}`);
      expect((await tg.call('POST', `/api/patrol/rounds/${round.body.id}/marks`, { token: admin, body: { stopIndex: 0, cameraId: s1Camera, result: 'normal' } })).status).toBe(200);
      expect((await tg.call('POST', `/api/patrol/rounds/${round.body.id}/finish`, { token: admin })).status).toBe(200);
    }
    // One motion alarm on S1's camera in the period, one before it (the report counts the first only).
    const alarms = tg.running.app.get(CameraAlarmsRepository);
    for (const at of [FROM + 2 * DAY, FROM - 2 * DAY]) {
      await alarms.record({ eventId: randomUUID(), cameraId: s1Camera, kind: 'motion', state: true, at: new Date(at), topic: 'tns1:VideoSource/MotionAlarm', cameraTime: null }, 60_000);
    }
    if (hasChromium) {
      browser = await launchChromium();
    }
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await tg?.stop();
    expect(errors).toEqual([]);
  });

  async function pc(username: string, password: string, route: string, lang: string): Promise<Page> {
    const context = await browser!.newContext({ viewport: { width: 1440, height: 900 }, locale: lang, timezoneId: 'Asia/Shanghai', acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(`${username}: ${e.message}`));
    await page.route(/^(?!http:\/\/127\.0\.0\.1[:/]).*/, (r) => { errors.push(`external request ${r.request().url()}`); return r.abort(); });
    await page.goto(`${tg.url}/#/${route}`);
    await page.waitForSelector('#login-form');
    await page.fill('#login-form input[name=username]', username);
    await page.fill('#login-form input[name=password]', password);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#header:not([hidden])');
    return page;
  }
  const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  /** Chooses the custom period and waits until the table shows it. */
  async function choosePeriod(page: Page) {
    await page.waitForSelector('#rates-table[data-period]');
    await page.selectOption('#rates-period', 'custom');
    await page.fill('#rates-from', FROM_DAY);
    await page.fill('#rates-to', TO_DAY);
    await page.click('#rates-show');
    await page.waitForSelector(`#rates-table[data-period="${new Date(FROM).toISOString()}/${new Date(TO).toISOString()}"]`);
  }
  const rateCell = (page: Page, code: string, rate: string) => page.locator(`#rates-rows tr[data-code="${code}"] td[data-rate=${rate}]`);
  const period = `from=${encodeURIComponent(new Date(FROM).toISOString())}&to=${encodeURIComponent(new Date(TO).toISOString())}`;

  itIf("shows a station's rates as the API answers them and as recomputed from the seed; expands to posts; a zero denominator is '—' with the reason", async () => {
    adminPage = await pc('admin', ADMIN_PASSWORD, 'rates', 'en-GB');
    await choosePeriod(adminPage);
    expect(await adminPage.locator('#rates-rows tr').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.code))).toEqual([ROOT, S1, S2]);

    const api = await tg.call('GET', `/api/rates?jurisdictionId=${ids.get(ROOT)}&${period}`, { token: admin });
    expect(api.status).toBe(200);
    const s1 = api.body.children.find((c: any) => c.jurisdiction.code === S1);
    const fulfil = await tg.call('GET', `/api/patrol/fulfilment?jurisdictionId=${ids.get(ROOT)}&${period}`, { token: admin });
    const s1Rounds = fulfil.body.children.find((c: any) => c.jurisdictionId === ids.get(S1));

    const value = async (code: string, rate: string) => Number(await rateCell(adminPage, code, rate).getAttribute('data-value'));
    // decline vs same period last year: 4 incidents now, 5 then
    expect(await value(S1, 'decline')).toBe(s1.incidentDecline.find((d: any) => d.type === 'all').samePeriodLastYear.rate.value);
    expect(await value(S1, 'decline')).toBeCloseTo(expectedDecline(S1), 12);
    expect(await rateCell(adminPage, S1, 'decline').locator('.rate-main').textContent()).toBe('▼ 20.0%');
    expect(await rateCell(adminPage, S1, 'decline').getAttribute('title')).toBe('20% fewer incidents than the same period last year (5 then, 4 now)');
    // capture: 2 of 4 now, 0 of 2 last year: +50 percentage points
    expect(await value(S1, 'capture')).toBe(s1.stopCheckCapture.current.rate.value);
    expect(await value(S1, 'capture')).toBeCloseTo(expectedCapture(S1), 12);
    expect(await rateCell(adminPage, S1, 'capture').locator('.rate-main').textContent()).toBe('50.0%');
    expect(await rateCell(adminPage, S1, 'capture').locator('.rate-cmp').textContent()).toBe('▲ +50.0 pp');
    expect(await rateCell(adminPage, S1, 'capture').getAttribute('title')).toMatch(/^50\.0 percentage points higher than the same period last year \(0\.0% then\)/);
    // preventable: 4 cases in 15,000 residents
    expect(await value(S1, 'preventable')).toBe(s1.preventableCases.current.per10k.value);
    expect(await value(S1, 'preventable')).toBeCloseTo(expectedPreventable(S1), 12);
    expect(await rateCell(adminPage, S1, 'preventable').locator('.rate-main').textContent()).toBe('2.67');
    // fulfilment: 3 due (missed, late, on time and complete), 1 fulfilled
    expect(await value(S1, 'fulfilment')).toBe(s1Rounds.rate);
    expect(await value(S1, 'fulfilment')).toBeCloseTo(1 / 3, 12);
    expect(await rateCell(adminPage, S1, 'fulfilment').locator('.rate-main').textContent()).toBe('33.3%');
    // S2 (named like a formula) is text on the page; its incidents rose: 2 now, 1 then
    expect(await adminPage.locator(`#rates-rows tr[data-code="${S2}"] .rates-name`).textContent()).toBe(FORMULA);
    expect(await rateCell(adminPage, S2, 'decline').locator('.rate-main').textContent()).toBe('▲ 100.0%');

    // Expand S2 to its posts: P22 has no stop-and-checks, no population, no rounds: "—" with the reason.
    await adminPage.click(`#rates-rows tr[data-code="${S2}"] .rates-toggle`);
    await adminPage.waitForSelector(`#rates-rows tr[data-code="${P22}"]`);
    expect(await adminPage.locator('#rates-rows tr').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.code))).toEqual([ROOT, S1, S2, P21, P22]);
    for (const [rate, reason] of [['capture', 'No stop-and-checks in this period.'], ['preventable', 'The population is unknown or zero.'], ['fulfilment', 'No patrol rounds were due in this period.'], ['decline', 'No incidents in the comparison period']] as const) {
      expect(await rateCell(adminPage, P22, rate).locator('.rate-main').textContent()).toBe('—');
      expect(await rateCell(adminPage, P22, rate).getAttribute('title')).toContain(reason);
      expect(await rateCell(adminPage, P22, rate).getAttribute('data-value')).toBe('');
    }
    // P21 has 1 stop-and-check, 0 captures: 0 %, not "—"
    expect(await rateCell(adminPage, P21, 'capture').locator('.rate-main').textContent()).toBe('0.0%');
    await shot(adminPage, 'rates-dashboard');

    // Compared with the previous period instead: S1 had no incidents then.
    await adminPage.selectOption('#rates-compare', 'previousPeriod');
    expect(await rateCell(adminPage, S1, 'decline').locator('.rate-main').textContent()).toBe('—');
    await adminPage.selectOption('#rates-compare', 'samePeriodLastYear');
  });

  itIf('a station analyst sees only their subtree', async () => {
    const page = await pc('analyst-s1', 'analyst-s1-password-1', 'rates', 'en-GB');
    await choosePeriod(page);
    expect(await page.locator('#rates-rows tr').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.code))).toEqual([S1, P11, P12]);
    expect(await page.textContent('#rates-heading')).toBe(`Rates: ${district.features.find((f) => f.properties.code === S1)!.properties.name}`);
    expect(Number(await rateCell(page, S1, 'capture').getAttribute('data-value'))).toBeCloseTo(expectedCapture(S1), 12);
    // the API itself refuses the other station like a missing one
    expect((await tg.call('GET', `/api/reports/period?jurisdictionId=${ids.get(S2)}&${period}`, { token: analystS1 })).status).toBe(404);
    expect((await tg.call('GET', `/api/reports/period?jurisdictionId=${ids.get(S2)}&${period}&format=csv`, { token: analystS1 })).status).toBe(404);
    await shot(page, 'rates-station');
  });

  itIf('downloads the CSV with formula cells neutralised, and the printable HTML with the rates; both audited', async () => {
    const [download] = await Promise.all([adminPage.waitForEvent('download'), adminPage.click('#rates-csv')]);
    expect(download.suggestedFilename()).toMatch(/^tiergate-report-.*\.csv$/);
    const text = readFileSync((await download.path())!, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const table = readCsvTable(text);
    const col = (name: string) => table.header!.names.indexOf(name);
    const byCode = new Map(table.rows.map((r) => [r.fields[col('code')], r.fields]));
    expect([...byCode.keys()]).toEqual([ROOT, S1, S2]);
    expect(byCode.get(S2)![col('name')]).toBe(`'${FORMULA}`);
    expect(Number(byCode.get(S1)![col('capture_rate')])).toBeCloseTo(expectedCapture(S1), 12);
    expect(Number(byCode.get(S1)![col('decline_rate_vs_same_period_last_year')])).toBeCloseTo(expectedDecline(S1), 12);
    expect(Number(byCode.get(S1)![col('fulfilment_rate')])).toBeCloseTo(1 / 3, 12);
    expect(byCode.get(S1)![col('rounds_planned')]).toBe('3');
    expect([ROOT, S1, S2].map((c) => byCode.get(c)![col('alarms')])).toEqual(['1', '1', '0']);
    expect(byCode.get(P22 as string)).toBeUndefined();
    // no cell of the file starts like a formula
    for (const r of table.rows) for (const f of r.fields) expect(f).not.toMatch(/^[=+@\t\r]|^-[^0-9]/);

    const [html] = await Promise.all([adminPage.waitForEvent('download'), adminPage.click('#rates-html')]);
    const page = readFileSync((await html.path())!, 'utf8');
    expect(page).toMatch(/^<!DOCTYPE html>/);
    expect(page).toContain('警情下降率 <span class="en">Incident decline rate</span>');
    expect(page).toMatch(new RegExp(`<tr data-code="${S1}">.*<td>20\\.0%</td>.*<td>2\\.67</td><td>33\\.3%</td><td>50\\.0%</td>`));
    expect(page).toContain('=cmd|&#39; /C calc&#39;!A0');
    expect(page).not.toMatch(/<script|<link|src=/);
    const audit = await tg.call('GET', '/api/audit?action=report.export', { token: admin });
    expect(audit.body.map((e: any) => e.details.format).sort()).toEqual(['csv', 'html']);
    expect(audit.body.every((e: any) => e.targetId === ids.get(ROOT))).toBe(true);

    // Print: the screen is printed (window.print), without its header and buttons.
    await adminPage.evaluate(() => { (window as any).__printed = []; window.print = () => (window as any).__printed.push(document.body.classList.contains('printing-rates')); });
    await adminPage.click('#rates-print');
    expect(await adminPage.evaluate(() => (window as any).__printed)).toEqual([true]);
  });

  itIf('renders in Chinese: the dashboard and the report', async () => {
    const page = await pc('admin', ADMIN_PASSWORD, 'rates', 'zh-CN');
    await choosePeriod(page);
    expect(await page.locator('#rates-table thead th').allTextContents()).toEqual(['辖区', '警情下降率', '可防性案件发案率（每万人）', '勤务落实率', '盘查抓获率', '实时监控率']);
    expect(await page.textContent('#nav a[data-route=rates]')).toBe('四率统计');
    expect(await rateCell(page, S1, 'decline').getAttribute('title')).toBe('警情比去年同期减少 20%（去年同期 5 起，本期 4 起）');
    expect(await rateCell(page, S1, 'capture').locator('.rate-cmp').textContent()).toBe('▲ +50.0 个百分点');
    await page.click(`#rates-rows tr[data-code="${S2}"] .rates-toggle`);
    await page.waitForSelector(`#rates-rows tr[data-code="${P22}"]`);
    expect(await rateCell(page, P22, 'capture').getAttribute('title')).toBe('本期间没有盘查记录。 · 盘查 0 次，抓获 0 次');
    await shot(page, 'rates-zh');
    const [html] = await Promise.all([page.waitForEvent('download'), page.click('#rates-html')]);
    const report = readFileSync((await html.path())!, 'utf8');
    expect(report).toContain('<h1>期间报表');
    expect(report).toContain('勤务落实率');
    expect(report).not.toContain('Incident decline rate');
    expect(report).toContain('<th>告警</th>');
    expect(report).not.toContain('告警数据暂不可用');
  });

  itIf('the hotspot screen in emerging mode: a legend in plain words and the planted new hot spot with patrol guidance', async () => {
    const page = await pc('admin', ADMIN_PASSWORD, 'hotspots', 'en-GB');
    await page.waitForSelector('#hs-form');
    await page.selectOption('#hs-mode', 'emerging');
    await page.fill('#hs-to', shDay(EM_TO - DAY));
    await page.click('#hs-form button[type=submit]');
    // the answer for the chosen "To" (choosing the mode has drawn the default slices first)
    await page.waitForSelector(`#hs-emerging-legend[data-to="${new Date(EM_TO).toISOString()}"]`);
    await page.waitForSelector('#hs-guidance');
    expect(await page.textContent('#hs-emerging-legend li[data-category="new-hot"]')).toContain('new hot spot');
    expect(await page.textContent('#hs-emerging-legend li[data-category="new-hot"]')).toContain('hot for the first time in the latest slice');
    expect(await page.textContent('#hs-emerging-legend p')).toBe('How each place changed over the last 12 weeks:');
    // the planted spot is a new hot spot on the map and leads the guidance, placed in its post with its busiest times
    expect(Number(await page.getAttribute('#hs-emerging-legend li[data-category="new-hot"]', 'data-cells'))).toBeGreaterThanOrEqual(1);
    expect(await page.locator('.emerging-cell.new-hot').count()).toBeGreaterThanOrEqual(1);
    const first = page.locator('#hs-guidance li').first();
    expect(await first.getAttribute('data-category')).toBe('new-hot');
    expect(await first.locator('.guidance-place').textContent()).toBe(district.features.find((f) => f.properties.code === P21)!.properties.name);
    expect(await first.locator('.guidance-when').textContent()).toMatch(/^Busiest times: \w+day \d\d:00–\d\d:00 \(\d+\)/);
    await shot(page, 'rates-emerging');
    await page.evaluate(() => localStorage.setItem('tiergate.locale', 'zh-CN'));
    await page.reload();
    await page.waitForSelector('#hs-form');
    await page.selectOption('#hs-mode', 'emerging');
    await page.fill('#hs-to', shDay(EM_TO - DAY));
    await page.click('#hs-form button[type=submit]');
    // the answer for the chosen "To" (choosing the mode has drawn the default slices first)
    await page.waitForSelector(`#hs-emerging-legend[data-to="${new Date(EM_TO).toISOString()}"]`);
    expect(await page.textContent('#hs-emerging-legend li[data-category="new-hot"]')).toContain('新增热点');
    expect(await page.textContent('#hs-emerging-legend li[data-category="intensifying-hot"]')).toContain('持续加剧');
    expect(await page.textContent('#hs-guidance h3')).toContain('巡逻建议：下周的地点与时段');
    await shot(page, 'rates-emerging-zh');
  });
});
