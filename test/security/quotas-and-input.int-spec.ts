import type { Geometry } from '@tiergate/domain';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { PartitionerModule } from '../../apps/partitioner/src/partitioner.module';
import { seedJurisdictions } from '../support/district.fixture';
import { startTestProcess, TestProcess } from '../support/harness';

// Issue 11 items 13 (quotas, paging) and 14 (NUL characters, deep JSON): bad input answers 400/413
// naming the field or the cap, never a 500. Addresses: 127.0.85.x (nothing is contacted).
const NET = '127.0.85';
const square = (x: number, y: number, d: number): Geometry => ({ type: 'Polygon', coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] });
const CSV_HEADER = 'name,lat,lon,tags,onvif_host,onvif_port,username,password,rtsp_url';

describe('security: hostile input and quotas', () => {
  let tg: TestProcess;
  let admin: string;
  let ids: Map<string, string>;

  beforeAll(async () => {
    tg = await startTestProcess(
      { name: 'quotas-test', modules: [PartitionerModule, GatewayModule], http: true },
      { 'limits.importCameraRows': 50, 'limits.importIncidentRows': 40, 'limits.maxPageSize': 20, 'limits.defaultPageSize': 5 },
    );
    admin = await tg.login();
    ids = await seedJurisdictions(tg, [{ code: 'QT-S', name: 'Station Q', tier: 'station', parentCode: null, geometry: square(121, 31, 0.2) }]);
  });
  afterAll(() => tg?.stop());

  describe('NUL characters and deep JSON (item 14)', () => {
    it('a NUL in a JSON field answers 400 naming the field', async () => {
      const res = await tg.call('POST', '/api/cameras', { token: admin, body: { name: 'cam\u0000era', rtspUrl: `rtsp://${NET}.1/x`, jurisdictionId: ids.get('QT-S') } });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.message).toMatch(/^name: .*NUL/);
      const nested = await tg.call('POST', '/api/cameras', { token: admin, body: { name: 'c', onvif: { host: `${NET}.1`, port: 80, username: 'a\u0000', password: 'p' } } });
      expect([nested.status, nested.body.message]).toEqual([400, expect.stringMatching(/^onvif\.username: /)]);
    });

    it('a NUL in a CSV name answers 400 with the line and the column', async () => {
      const res = await tg.call('POST', '/api/cameras/import', { token: admin, raw: `${CSV_HEADER}\nbad\u0000name,31.05,121.05,,,,,,rtsp://${NET}.2/x\n` });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ line: 2, message: 'name must not contain a NUL character' }]);
      const incidents = await tg.call('POST', '/api/incidents/import', { token: admin, raw: 'id,type,occurred_at,lat,lon\ni\u00001,theft,2024-01-01T00:00:00Z,31.05,121.05\n' });
      expect(incidents.status).toBe(400);
      expect(JSON.stringify(incidents.body.errors)).toMatch(/id must not contain a NUL character/);
    });

    it('a NUL in a GeoJSON property answers 400 naming its path', async () => {
      const fc = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: 'QT-X', name: 'x\u0000', tier: 'post', parentCode: 'QT-S' }, geometry: square(121.01, 31.01, 0.01) }] };
      const res = await tg.call('POST', '/api/jurisdictions/import', { token: admin, raw: JSON.stringify(fc), contentType: 'application/geo+json' });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/^features\[0\]\.properties\.name: /);
    });

    it('100,000-deep JSON answers 400, not 500, and the server answers at once after it', async () => {
      const deep = `{"name":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
      for (const path of ['/api/cameras', '/api/jurisdictions/import', '/api/grants']) {
        const res = await tg.call('POST', path, { token: admin, raw: deep, contentType: 'application/json' });
        expect({ path, status: res.status, code: res.body?.code }).toEqual({ path, status: 400, code: 'VALIDATION_FAILED' });
        expect(res.body.message).toMatch(/^name.*: is nested deeper than 64 levels/);
      }
      expect((await tg.call('GET', '/api/health')).status).toBe(200);
    });
  });
});
