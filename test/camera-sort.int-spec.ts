/**
 * Sorting the camera list (issue 15, operators' page): GET /api/cameras?sort=&order= on a real process. The keys are
 * a whitelist (anything else is 400 VALIDATION_FAILED, named in words); every order is total (ties by id), so the
 * pages of a sort never repeat or skip a camera; descending is exactly ascending reversed; missing values (never
 * seen, no jurisdiction) come first ascending; status sorts by urgency; jurisdiction by the node's name.
 */
import { CameraRepository, newCamera } from '@tiergate/persistence';
import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { PartitionerModule } from '../apps/partitioner/src/partitioner.module';
import { startTestProcess, TestProcess } from './support/harness';

jest.setTimeout(60_000);

const square = (w: number, s: number, e: number, n: number) => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const DISTRICT = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { code: 'SB', name: 'Zhen Sub-bureau', tier: 'sub-bureau', parentCode: null }, geometry: square(116.28, 39.88, 116.40, 39.96) },
    { type: 'Feature', properties: { code: 'A', name: 'Ash Post', tier: 'post', parentCode: 'SB' }, geometry: square(116.30, 39.90, 116.33, 39.93) },
    { type: 'Feature', properties: { code: 'B', name: 'Birch Post', tier: 'post', parentCode: 'SB' }, geometry: square(116.33, 39.90, 116.36, 39.93) },
  ],
};

describe('camera list sorting (GET /api/cameras?sort=&order=)', () => {
  let tg: TestProcess;
  let token = '';
  const jur: Record<string, string> = {};
  const STATUSES = ['online', 'offline', 'unauthorized', 'unknown'] as const;
  const COUNT = 40;

  beforeAll(async () => {
    tg = await startTestProcess({ name: 'camera-sort-test', modules: [PartitionerModule, GatewayModule], http: true }, { 'health.intervalSeconds': 3600 });
    token = await tg.login();
    const imported = await tg.call('POST', '/api/jurisdictions/import', { token, raw: JSON.stringify(DISTRICT), contentType: 'application/geo+json' });
    if (imported.status >= 300) throw new Error(`jurisdiction import failed: ${imported.status} ${imported.text}`);
    for (const j of (await tg.call('GET', '/api/jurisdictions', { token })).body) jur[j.code] = j.id;
    // Names repeat (only 5 distinct), so ties are common; every 4th camera was never seen; two have no jurisdiction.
    const rows = Array.from({ length: COUNT }, (_, i) => newCamera({
      name: `cam ${'edcba'[i % 5]}`,
      jurisdictionId: i < 2 ? null : i % 2 ? jur.A! : jur.B!,
      status: STATUSES[i % 4]!,
      lastSeenAt: i % 4 === 3 ? null : new Date(Date.UTC(2026, 0, 1, 0, (i * 7) % 11)),
      rtspUrl: `rtsp://192.0.2.1:554/sort-${i}`,
    }));
    await tg.running.app.get(CameraRepository, { strict: false }).insertMany(rows);
  });
  afterAll(async () => {
    await tg?.stop();
  });

  type Row = { id: string; name: string; status: string; jurisdictionId: string | null; lastSeenAt: string | null; createdAt: string };
  const list = async (q: string): Promise<Row[]> => {
    const res = await tg.call('GET', `/api/cameras?${q}`, { token });
    if (res.status !== 200) throw new Error(`GET /api/cameras?${q}: ${res.status} ${res.text}`);
    return res.body;
  };
  /** Every page of `q` at `size`, joined. */
  const paged = async (q: string, size: number) => {
    const all: Row[] = [];
    for (let offset = 0; offset < COUNT; offset += size) all.push(...(await list(`${q}&limit=${size}&offset=${offset}`)));
    return all;
  };
  const ids = (rows: Row[]) => rows.map((r) => r.id);

  it('refuses a sort key or order outside the whitelist with 400 and a sentence naming the allowed ones', async () => {
    for (const q of ['sort=passwordSealed', 'sort=name%3B%20DROP%20TABLE%20cameras', 'sort=name&order=sideways']) {
      const res = await tg.call('GET', `/api/cameras?${q}`, { token });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    expect((await tg.call('GET', '/api/cameras?sort=passwordSealed', { token })).text).toContain('sort must be one of name, status, jurisdiction, created, lastSeen');
  });

  it.each(['name', 'status', 'jurisdiction', 'created', 'lastSeen'])('sort=%s: pages of 7 join into the unpaged order, no camera twice or missing; desc is asc reversed', async (sort) => {
    const asc = await list(`sort=${sort}&order=asc`);
    expect(asc).toHaveLength(COUNT);
    expect(new Set(ids(asc)).size).toBe(COUNT);
    expect(ids(await paged(`sort=${sort}&order=asc`, 7))).toEqual(ids(asc));
    const desc = await list(`sort=${sort}&order=desc`);
    expect(ids(desc)).toEqual(ids(asc).reverse());
    expect(ids(await paged(`sort=${sort}&order=desc`, 7))).toEqual(ids(desc));
  });

  it('breaks ties by id, and orders by name by default', async () => {
    const byName = await list('sort=name');
    expect(ids(await list(''))).toEqual(ids(byName));
    for (let i = 1; i < byName.length; i++) {
      const [a, b] = [byName[i - 1]!, byName[i]!];
      expect(a.name < b.name || (a.name === b.name && a.id < b.id)).toBe(true);
    }
    expect(byName[0]!.name).toBe('cam a');
    expect(byName[COUNT - 1]!.name).toBe('cam e');
  });

  it('status by urgency (offline, unauthorized, unknown, online); jurisdiction by name, unassigned first; never seen first', async () => {
    const byStatus = (await list('sort=status')).map((r) => r.status);
    expect([...new Set(byStatus)]).toEqual(['offline', 'unauthorized', 'unknown', 'online']);
    const byJurisdiction = (await list('sort=jurisdiction')).map((r) => r.jurisdictionId);
    expect([...new Set(byJurisdiction)]).toEqual([null, jur.A, jur.B]);
    const bySeen = await list('sort=lastSeen');
    const neverSeen = bySeen.filter((r) => r.lastSeenAt === null).length;
    expect(neverSeen).toBe(COUNT / 4);
    expect(bySeen.slice(0, neverSeen).every((r) => r.lastSeenAt === null)).toBe(true);
    const seen = bySeen.slice(neverSeen).map((r) => Date.parse(r.lastSeenAt!));
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it('sorts within a filter and a search, as the console asks', async () => {
    const rows = await list(`sort=lastSeen&order=desc&q=cam%20a&jurisdictionId=${jur.A}`);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.name === 'cam a' && r.jurisdictionId === jur.A)).toBe(true);
    const times = rows.map((r) => (r.lastSeenAt ? Date.parse(r.lastSeenAt) : -Infinity));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });
});
