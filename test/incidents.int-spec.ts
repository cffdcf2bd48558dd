import { request } from 'node:http';
import { districtCode, generateDistrict, generateIncidents, incidentsToCsv } from '@tiergate/domain';
import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { districtNodes, seedJurisdictions, userToken } from './support/district.fixture';
import { startTestProcess, TestProcess } from './support/harness';

const district = generateDistrict({ stations: 2, postsPerStation: 2, sizeKm: 4, seed: 11 });
const box = (code: string) => district.features.find((f) => f.properties.code === code)!.bbox;
const centreOf = (code: string) => {
  const [w, s, e, n] = box(code);
  return { lon: (w + e) / 2, lat: (s + n) / 2 };
};
const ROOT = districtCode('210103');
const S1 = districtCode('210103', 1);
const S2 = districtCode('210103', 2);
const P11 = districtCode('210103', 1, 1);
const P12 = districtCode('210103', 1, 2);
const P21 = districtCode('210103', 2, 1);

/**
 * POSTs a body on a connection of its own and returns the answer even when the server answers (and
 * stops reading) before the whole body is sent, as it does for a refused upload.
 */
function postOnFreshConnection(url: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { ...headers, 'content-length': String(body.length) }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'EPIPE' || (e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)));
    req.end(body);
  });
}

const csv = (rows: Array<[string, string, string, number, number]>) =>
  ['id,type,occurred_at,lat,lon', ...rows.map(([id, type, at, lat, lon]) => `${id},${type},${at},${lat},${lon}`)].join('\n');

describe('incidents: import and query', () => {
  let tg: TestProcess;
  let admin: string;
  let analyst1: string;
  let ids: Map<string, string>;

  beforeAll(async () => {
    tg = await startTestProcess({ name: 'gateway', modules: [GatewayModule], http: true });
    ids = await seedJurisdictions(tg, districtNodes(district));
    admin = await tg.login();
    analyst1 = await userToken(tg, admin, 'analyst-s1', 'analyst', ids.get(S1)!);
  });
  afterAll(() => tg?.stop());

  const list = async (token: string, query = '') => (await tg.call('GET', `/api/incidents${query}`, { token })).body as any[];

  it('imports a CSV, assigning each incident to its deepest jurisdiction (smallest code on a shared border)', async () => {
    const p11 = centreOf(P11);
    const p21 = centreOf(P21);
    const border = { lon: box(P11)[2], lat: p11.lat }; // the edge P11 shares with P12
    expect(box(P12)[0]).toBe(border.lon);
    const res = await tg.call('POST', '/api/incidents/import', {
      token: admin,
      raw: csv([
        ['A-1', 'bike_theft', '2025-06-02T19:30:00+08:00', p11.lat, p11.lon],
        ['A-2', 'burglary', '2025-06-03T02:00:00Z', p21.lat, p21.lon],
        ['A-3', 'snatch', '2025-06-04T12:00:00.5-05:00', border.lat, border.lon],
      ]),
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ created: 3, updated: 0, errors: [] });
    const rows = await list(admin);
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get('A-1')).toEqual({ id: 'A-1', type: 'bike_theft', occurredAt: '2025-06-02T11:30:00.000Z', location: p11, jurisdictionId: ids.get(P11) });
    expect(byId.get('A-2').jurisdictionId).toBe(ids.get(P21));
    expect(byId.get('A-3').jurisdictionId).toBe(ids.get(P11));
    expect(byId.get('A-3').occurredAt).toBe('2025-06-04T17:00:00.500Z');
  });

  it('is all-or-nothing: any bad row fails the file with every bad line and writes nothing', async () => {
    const p = centreOf(P12);
    const before = (await list(admin)).length;
    const res = await tg.call('POST', '/api/incidents/import', {
      token: admin,
      raw: csv([
        ['B-1', 'bike_theft', '2025-06-02T19:30:00+08:00', p.lat, p.lon],
        ['B-2', 'arson', '2025-06-02T19:30:00+08:00', p.lat, p.lon],
        ['B-3', 'robbery', '2026-02-30T10:00:00Z', p.lat, p.lon],
        ['B-4', 'robbery', '2025-06-02T19:30:00', p.lat, p.lon],
        ['B-5', 'robbery', '2025-06-02T19:30:00Z', 95, p.lon],
        ['B-1', 'robbery', '2025-06-02T19:30:00Z', p.lat, p.lon],
        ['B-6', 'robbery', '2025-06-02T19:30:00Z', p.lat, p.lon + 1],
      ]),
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('IMPORT_FAILED');
    expect(res.body.errors.map((e: any) => e.line)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(res.body.errors[5].message).toMatch(/outside every jurisdiction/);
    expect((await list(admin)).length).toBe(before);
    expect((await list(admin)).some((r) => r.id === 'B-1')).toBe(false);
  });

  it('updates re-imported ids (idempotent) and counts created vs updated', async () => {
    const p = centreOf(P12);
    const file = csv([
      ['A-1', 'robbery', '2025-06-05T10:00:00Z', p.lat, p.lon],
      ['C-1', 'other', '2025-06-05T10:00:00Z', p.lat, p.lon],
    ]);
    const first = await tg.call('POST', '/api/incidents/import', { token: admin, raw: file });
    expect(first.body).toEqual({ created: 1, updated: 1, errors: [] });
    const again = await tg.call('POST', '/api/incidents/import', { token: admin, raw: file });
    expect(again.body).toEqual({ created: 0, updated: 2, errors: [] });
    const a1 = (await list(admin)).find((r) => r.id === 'A-1');
    expect(a1).toEqual(expect.objectContaining({ type: 'robbery', occurredAt: '2025-06-05T10:00:00.000Z', jurisdictionId: ids.get(P12) }));
  });

  it('takes GeoJSON as the raw body and files as multipart field "file"', async () => {
    const p = centreOf(P21);
    const fc = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [p.lon, p.lat] }, properties: { id: 'G-1', type: 'snatch', occurred_at: '2025-07-01T20:00:00+08:00' } }],
    };
    const geo = await tg.call('POST', '/api/incidents/import', { token: admin, raw: JSON.stringify(fc), contentType: 'application/geo+json' });
    expect(geo.status).toBe(201);
    expect(geo.body).toEqual({ created: 1, updated: 0, errors: [] });

    const form = new FormData();
    form.append('file', new Blob([csv([['M-1', 'burglary', '2025-07-02T20:00:00Z', p.lat, p.lon]])], { type: 'text/csv' }), 'incidents.csv');
    const multipart = await fetch(`${tg.url}/api/incidents/import`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: form });
    expect(multipart.status).toBe(201);
    expect(await multipart.json()).toEqual({ created: 1, updated: 0, errors: [] });

    const form2 = new FormData();
    form2.append('file', new Blob([JSON.stringify({ ...fc, features: [{ ...fc.features[0], properties: { ...fc.features[0].properties, id: 'G-2' } }] })]), 'incidents.geojson');
    const multipartGeo = await fetch(`${tg.url}/api/incidents/import`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: form2 });
    expect(await multipartGeo.json()).toEqual({ created: 1, updated: 0, errors: [] });

    const other = await tg.call('POST', '/api/incidents/import', { token: admin, raw: 'x', contentType: 'application/xml' });
    expect(other.status).toBe(415);
  });

  it('keeps an analyst to its jurisdiction: imports outside it are bad rows, lists show only its incidents', async () => {
    const inside = centreOf(P12);
    const outside = centreOf(P21);
    const refused = await tg.call('POST', '/api/incidents/import', {
      token: analyst1,
      raw: csv([
        ['D-1', 'other', '2025-08-01T10:00:00Z', inside.lat, inside.lon],
        ['D-2', 'other', '2025-08-01T10:00:00Z', outside.lat, outside.lon],
        ['A-2', 'other', '2025-08-01T10:00:00Z', inside.lat, inside.lon], // an incident of station 2
      ]),
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      { line: 3, message: expect.stringMatching(/outside your jurisdiction/) },
      { line: 4, message: expect.stringMatching(/already belongs to an incident outside your jurisdiction/) },
    ]);
    const ok = await tg.call('POST', '/api/incidents/import', { token: analyst1, raw: csv([['D-1', 'other', '2025-08-01T10:00:00Z', inside.lat, inside.lon]]) });
    expect(ok.status).toBe(201);

    const mine = await list(analyst1);
    const station1 = new Set([ids.get(S1), ids.get(P11), ids.get(P12)]);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((r) => station1.has(r.jurisdictionId))).toBe(true);
    const all = await list(admin);
    expect(mine.length).toBe(all.filter((r) => station1.has(r.jurisdictionId)).length);
    expect((await tg.call('GET', `/api/incidents?jurisdictionId=${ids.get(S2)}`, { token: analyst1 })).status).toBe(404);
  });

  it('filters by type, dates and node, and names a bad parameter', async () => {
    const robberies = await list(admin, '?type=robbery');
    expect(robberies.length).toBeGreaterThan(0);
    expect(robberies.every((r) => r.type === 'robbery')).toBe(true);
    const june = await list(admin, '?from=2025-06-01&to=2025-06-05');
    expect(june.map((r) => r.id).sort()).toEqual(['A-2', 'A-3']);
    const p21 = await list(admin, `?jurisdictionId=${ids.get(S2)}`);
    expect(p21.every((r) => r.jurisdictionId === ids.get(P21) || r.jurisdictionId === ids.get(P21.replace(/01(0{10})$/, '02$1')))).toBe(true);
    expect((await list(admin, '?limit=1&offset=1')).length).toBe(1);
    for (const [query, field] of [
      ['?from=2026-02-30', 'from'],
      ['?type=arson', 'type'],
      ['?limit=0', 'limit'],
      ['?jurisdictionId=nope', 'jurisdictionId'],
    ]) {
      const res = await tg.call('GET', `/api/incidents${query}`, { token: admin });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(new RegExp(field));
    }
  });

  it('refuses viewers and operators', async () => {
    const viewer = await userToken(tg, admin, 'viewer-1', 'viewer', ids.get(S1)!);
    const operator = await userToken(tg, admin, 'operator-1', 'operator', ids.get(S1)!);
    for (const token of [viewer, operator]) {
      expect((await tg.call('GET', '/api/incidents', { token })).status).toBe(403);
      expect((await tg.call('POST', '/api/incidents/import', { token, raw: 'id,type,occurred_at,lat,lon\n' })).status).toBe(403);
    }
  });

  it('refuses a 100 MB file with 413 and keeps serving', async () => {
    const big = Buffer.alloc(100 * 1024 * 1024, 0x61);
    const raw = await postOnFreshConnection(`${tg.url}/api/incidents/import`, { authorization: `Bearer ${admin}`, 'content-type': 'text/csv' }, big);
    expect(raw.status).toBe(413);
    expect(JSON.parse(raw.text).code).toBe('PAYLOAD_TOO_LARGE');
    const boundary = 'tiergate-test-boundary';
    const multipartBody = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n`),
      big,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const multipart = await postOnFreshConnection(
      `${tg.url}/api/incidents/import`,
      { authorization: `Bearer ${admin}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      multipartBody,
    );
    expect(multipart.status).toBe(413);
    expect(JSON.parse(multipart.text).code).toBe('PAYLOAD_TOO_LARGE');
    expect((await tg.call('GET', '/api/health')).status).toBe(200);
  });

  it('imports 100,000 rows in one go', async () => {
    const generated = generateIncidents({ district, count: 100_000, seed: 3, idPrefix: 'BULK-' });
    const started = Date.now();
    const res = await tg.call('POST', '/api/incidents/import', { token: admin, raw: incidentsToCsv(generated) });
    const ms = Date.now() - started;
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ created: 100_000, updated: 0, errors: [] });
    // eslint-disable-next-line no-console
    console.log(`100,000-row import took ${ms} ms`);
    // A smoke bound only (shared 2-core machine, PGlite in WASM); bench/hotspots-api.bench.ts measures it.
    expect(ms).toBeLessThan(90_000);
  }, 120_000);
});
