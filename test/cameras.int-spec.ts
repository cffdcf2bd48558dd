import { Fleet, startCameraFleet } from '../apps/camera-sim/src';
import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { PartitionerModule } from '../apps/partitioner/src/partitioner.module';
import { startTestProcess, TestProcess } from './support/harness';

// Embedded and external runs may overlap: each uses its own loopback block.
const BLOCK = process.env.TIERGATE_TEST_MODE === 'external' ? 15 : 5;
const PASSWORD = 'sim-pass';
const square = (x0: number, y0: number, x1: number, y1: number) => ({
  type: 'Polygon',
  coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]],
});
const DISTRICT = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { code: 'R', name: 'Root', tier: 'sub-bureau', parentCode: null }, geometry: square(0, 0, 10, 10) },
    { type: 'Feature', properties: { code: 'A', name: 'Station A', tier: 'station', parentCode: 'R' }, geometry: square(0, 0, 5, 10) },
    { type: 'Feature', properties: { code: 'B', name: 'Station B', tier: 'station', parentCode: 'R' }, geometry: square(5, 0, 10, 10) },
  ],
};

describe('cameras API with simulated ONVIF cameras', () => {
  let tg: TestProcess;
  let fleet: Fleet;
  let admin: string;
  let operatorA: string;
  let idOf: Record<string, string>;
  const onvif = (i: number, password = PASSWORD) => ({ host: fleet.cameras[i].host, port: fleet.cameras[i].onvifPort, username: 'admin', password });

  beforeAll(async () => {
    fleet = await startCameraFleet({
      count: 8,
      firstAddress: `127.0.${BLOCK}.1`,
      password: PASSWORD,
      quirks: { 1: { digestOnly: true }, 2: { clockOffsetSeconds: 3600 }, 3: { localTimeOnly: true }, 4: { natStreamUri: true }, 5: { serial20Digits: true }, 6: { slowResponsesMs: 300 } },
    });
    tg = await startTestProcess({ name: 'gateway', modules: [PartitionerModule, GatewayModule], http: true });
    admin = await tg.login();
    const imported = await tg.call('POST', '/api/jurisdictions/import', { token: admin, raw: JSON.stringify(DISTRICT), contentType: 'application/geo+json' });
    expect([200, 201]).toContain(imported.status);
    const list = await tg.call('GET', '/api/jurisdictions', { token: admin });
    idOf = Object.fromEntries(list.body.map((j: { code: string; id: string }) => [j.code, j.id]));
    const created = await tg.call('POST', '/api/users', { token: admin, body: { username: 'op-a', password: 'operator-a-pass', role: 'operator', jurisdictionId: idOf.A } });
    expect(created.status).toBe(201);
    operatorA = await tg.login('op-a', 'operator-a-pass');
  });
  afterAll(async () => {
    await tg?.stop();
    await fleet?.stop();
  });

  it.each([
    [0, 'plain'],
    [1, 'digestOnly'],
    [2, 'clockOffsetSeconds'],
    [3, 'localTimeOnly'],
    [4, 'natStreamUri'],
    [5, 'serial20Digits'],
    [6, 'slowResponsesMs'],
  ])('onboards camera %i (%s) with device information and clean stream URIs', async (i, quirk) => {
    const cam = fleet.cameras[i];
    const res = await tg.call('POST', '/api/cameras', { token: admin, body: { name: `cam ${quirk}`, onvif: onvif(i), tags: ['sim', quirk] } });
    expect(res.status).toBe(201);
    expect(res.text).not.toContain(PASSWORD);
    expect(res.body).toMatchObject({
      name: `cam ${quirk}`,
      status: 'online',
      onvif: { host: cam.host, port: cam.onvifPort, username: 'admin' },
      device: { manufacturer: 'Tiergate', model: 'SimCam 1000', serialNumber: cam.serial },
    });
    expect(typeof res.body.device.serialNumber).toBe('string');
    // The NAT camera reports 10.x addresses: the URI must point at the address we reached it at.
    expect(res.body.profiles.map((p: { kind: string; streamUri: string }) => [p.kind, p.streamUri])).toEqual([
      ['main', cam.mainRtspUrl],
      ['sub', cam.subRtspUrl],
    ]);
    expect(res.body.profiles[0]).toMatchObject({ encoding: 'H264', width: 1280, height: 720, fps: 25 });
    const got = await tg.call('GET', `/api/cameras/${res.body.id}`, { token: admin });
    expect(got.body).toEqual(res.body);
  });

  it('keeps a 20-digit serial exactly', async () => {
    const list = await tg.call('GET', '/api/cameras?tag=serial20Digits', { token: admin });
    const detail = await tg.call('GET', `/api/cameras/${list.body[0].id}`, { token: admin });
    expect(detail.body.device.serialNumber).toMatch(/^\d{20}$/);
    expect(detail.body.device.serialNumber).toBe(fleet.cameras[5].serial);
  });

  // A plain POST pre-registers such cameras (test/preregistration.int-spec.ts); ?verify=true keeps the strict answer.
  it('with verify=true, refuses a wrong password with 502 CAMERA_UNAUTHORIZED and saves nothing', async () => {
    const before = (await tg.call('GET', '/api/cameras', { token: admin })).body.length;
    const res = await tg.call('POST', '/api/cameras?verify=true', { token: admin, body: { name: 'wrong', onvif: onvif(7, 'not-the-password') } });
    expect(res.status).toBe(502);
    expect(res.body.code).toBe('CAMERA_UNAUTHORIZED');
    expect(res.text).not.toContain('not-the-password');
    expect((await tg.call('GET', '/api/cameras', { token: admin })).body.length).toBe(before);
  });

  it('with verify=true, answers 502 CAMERA_UNREACHABLE for an address with no camera and saves nothing', async () => {
    const before = (await tg.call('GET', '/api/cameras', { token: admin })).body.length;
    const res = await tg.call('POST', '/api/cameras?verify=true', { token: admin, body: { name: 'ghost', onvif: { host: `127.0.${BLOCK}.250`, port: 8080, username: 'admin', password: 'secret-ghost' } } });
    expect(res.status).toBe(502);
    expect(res.body.code).toBe('CAMERA_UNREACHABLE');
    expect(res.text).not.toContain('secret-ghost');
    expect((await tg.call('GET', '/api/cameras', { token: admin })).body.length).toBe(before);
  });

  it('refuses a second camera on the same ONVIF address with 409', async () => {
    const res = await tg.call('POST', '/api/cameras', { token: admin, body: { name: 'again', onvif: onvif(0) } });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('CONFLICT');
  });

  it('adds an RTSP camera, checked with DESCRIBE and sealing the URL credentials', async () => {
    const url = fleet.cameras[7].mainRtspUrl.replace('rtsp://', `rtsp://admin:${PASSWORD}@`);
    const res = await tg.call('POST', '/api/cameras?verify=true', { token: admin, body: { name: 'rtsp only', rtspUrl: url, location: { lat: 5, lon: 2 } } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ rtspUrl: fleet.cameras[7].mainRtspUrl, hasCredentials: true, status: 'online', statusReason: null, source: 'rtsp', jurisdictionId: idOf.A, jurisdictionPinned: false });
    expect(res.body.lastSeenAt).toBeTruthy();
    expect(res.text).not.toContain(PASSWORD);
    const row = await tg.running.infra.database.dataSource.query(`SELECT "passwordSealed", "rtspUrl" FROM cameras WHERE id = $1`, [res.body.id]);
    expect(row[0].passwordSealed).toMatch(/^v1\./);
    expect(row[0].passwordSealed).not.toContain(PASSWORD);
    expect(row[0].rtspUrl).not.toContain('@');
  });

  it.each(['file:///etc/passwd', 'http://127.0.0.1/x', 'https://h/x', 'rtmp://h/live', 'rtsp://h/a b', 'javascript:alert(1)'])('refuses the hostile URL %p', async (rtspUrl) => {
    const res = await tg.call('POST', '/api/cameras', { token: admin, body: { name: 'evil', rtspUrl } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('UNSUPPORTED_URL');
  });

  it('names the bad field of a create body', async () => {
    const res = await tg.call('POST', '/api/cameras', { token: admin, body: { name: 'x', onvif: { host: 'bad host!', port: 99999, username: 'a', password: 'b' } } });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/onvif/);
    const none = await tg.call('POST', '/api/cameras', { token: admin, body: { name: 'x' } });
    expect(none.status).toBe(400);
    expect(none.body.message).toMatch(/rtspUrl/);
    const verify = await tg.call('POST', '/api/cameras?verify=maybe', { token: admin, body: { name: 'x', rtspUrl: 'rtsp://127.0.0.1:1/v' } });
    expect(verify.status).toBe(400);
    expect(verify.body.message).toMatch(/verify/);
  });

  it('filters in the list and pages with limit/offset', async () => {
    const all = (await tg.call('GET', '/api/cameras', { token: admin })).body;
    expect(all.length).toBe(8);
    expect(all.every((c: { status: string }) => typeof c.status === 'string')).toBe(true);
    expect((await tg.call('GET', '/api/cameras?tag=digestOnly', { token: admin })).body.map((c: { name: string }) => c.name)).toEqual(['cam digestOnly']);
    expect((await tg.call('GET', '/api/cameras?q=OFFSET', { token: admin })).body).toHaveLength(1);
    expect((await tg.call('GET', '/api/cameras?status=online', { token: admin })).body).toHaveLength(8);
    expect((await tg.call('GET', '/api/cameras?status=unknown', { token: admin })).body).toEqual([]);
    const page = (await tg.call('GET', '/api/cameras?limit=3&offset=2', { token: admin })).body;
    expect(page.map((c: { id: string }) => c.id)).toEqual(all.slice(2, 5).map((c: { id: string }) => c.id));
    expect((await tg.call('GET', '/api/cameras?status=bogus', { token: admin })).status).toBe(400);
    expect((await tg.call('GET', `/api/cameras?jurisdictionId=${idOf.A}`, { token: admin })).body.map((c: { name: string }) => c.name)).toEqual(['rtsp only']);
  });

  it('keeps operators inside their jurisdiction', async () => {
    // Nothing listens on port 1: saved anyway (pre-registered), offline with a reason.
    const mine = await tg.call('POST', '/api/cameras', { token: operatorA, body: { name: 'op cam', rtspUrl: 'rtsp://127.0.0.1:1/a', location: { lat: 3, lon: 1 } } });
    expect(mine.status).toBe(201);
    expect(mine.body).toMatchObject({ jurisdictionId: idOf.A, status: 'offline', statusReason: expect.stringMatching(/^RTSP server at 127\.0\.0\.1:1 is unreachable \(nothing answers on that port/) });
    const outside = await tg.call('POST', '/api/cameras', { token: operatorA, body: { name: 'b cam', rtspUrl: 'rtsp://127.0.0.1:1/b', location: { lat: 3, lon: 7 } } });
    expect(outside.status).toBe(400);
    expect(outside.body.message).toMatch(/location/);
    const pinnedB = await tg.call('POST', '/api/cameras', { token: operatorA, body: { name: 'b cam', rtspUrl: 'rtsp://127.0.0.1:1/c', jurisdictionId: idOf.B } });
    expect(pinnedB.status).toBe(400);
    const inB = await tg.call('POST', '/api/cameras', { token: admin, body: { name: 'in b', rtspUrl: 'rtsp://127.0.0.1:1/d', location: { lat: 3, lon: 7 } } });
    expect(inB.body.jurisdictionId).toBe(idOf.B);
    const hidden = await tg.call('GET', `/api/cameras/${inB.body.id}`, { token: operatorA });
    const missing = await tg.call('GET', '/api/cameras/00000000-0000-4000-8000-000000000000', { token: operatorA });
    expect(hidden.status).toBe(404);
    expect(hidden.body).toEqual(missing.body);
    expect((await tg.call('PATCH', `/api/cameras/${inB.body.id}`, { token: operatorA, body: { name: 'x' } })).status).toBe(404);
    expect((await tg.call('DELETE', `/api/cameras/${inB.body.id}`, { token: operatorA })).status).toBe(404);
    const listed = (await tg.call('GET', '/api/cameras', { token: operatorA })).body.map((c: { name: string }) => c.name).sort();
    expect(listed).toEqual(['op cam', 'rtsp only']);
  });

  it('patches name, tags, location (re-located unless pinned), pin/unpin and credentials; deletes', async () => {
    const cam = await tg.call('POST', '/api/cameras', { token: admin, body: { name: 'mover', rtspUrl: 'rtsp://127.0.0.1:1/m', location: { lat: 1, lon: 1 } } });
    expect(cam.body.jurisdictionId).toBe(idOf.A);
    const moved = await tg.call('PATCH', `/api/cameras/${cam.body.id}`, { token: admin, body: { name: 'moved', tags: ['x'], location: { lat: 1, lon: 9 } } });
    expect(moved.body).toMatchObject({ name: 'moved', tags: ['x'], jurisdictionId: idOf.B, jurisdictionPinned: false });
    const pinned = await tg.call('PATCH', `/api/cameras/${cam.body.id}`, { token: admin, body: { jurisdictionId: idOf.A } });
    expect(pinned.body).toMatchObject({ jurisdictionId: idOf.A, jurisdictionPinned: true });
    const stillPinned = await tg.call('PATCH', `/api/cameras/${cam.body.id}`, { token: admin, body: { location: { lat: 2, lon: 8 } } });
    expect(stillPinned.body.jurisdictionId).toBe(idOf.A);
    const unpinned = await tg.call('PATCH', `/api/cameras/${cam.body.id}`, { token: admin, body: { jurisdictionId: null } });
    expect(unpinned.body).toMatchObject({ jurisdictionId: idOf.B, jurisdictionPinned: false });
    const creds = await tg.call('PATCH', `/api/cameras/${cam.body.id}`, { token: admin, body: { credentials: { username: 'u2', password: 'new-secret-pw' } } });
    expect(creds.body.hasCredentials).toBe(true);
    expect(creds.text).not.toContain('new-secret-pw');
    expect((await tg.call('DELETE', `/api/cameras/${cam.body.id}`, { token: admin })).status).toBe(204);
    expect((await tg.call('GET', `/api/cameras/${cam.body.id}`, { token: admin })).status).toBe(404);
    const audit = await tg.running.infra.database.dataSource.query(`SELECT action, details::text AS d FROM audit_log WHERE "targetId" = $1 ORDER BY id`, [cam.body.id]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['camera.create', 'camera.update', 'camera.update', 'camera.update', 'camera.update', 'camera.update', 'camera.delete']);
    expect(JSON.stringify(audit)).not.toContain('new-secret-pw');
  });

  describe('CSV import', () => {
    const HEADER = 'name,lat,lon,tags,onvif_host,onvif_port,username,password,rtsp_url';

    it('creates nothing when any row is bad and lists every bad line', async () => {
      const before = (await tg.call('GET', '/api/cameras', { token: admin })).body.length;
      const csv = [
        HEADER,
        'good 1,1,1,a;b,,,,,rtsp://127.0.0.1:1/g1',
        'bad lat,100,1,,,,,,rtsp://127.0.0.1:1/g2',
        'bad url,1,1,,,,,,file:///etc/passwd',
        `dup of existing,,,,${fleet.cameras[0].host},${fleet.cameras[0].onvifPort},admin,csv-secret-pw,`,
        'dup in file,1,1,,,,,,rtsp://127.0.0.1:1/g1',
      ].join('\n');
      const res = await tg.call('POST', '/api/cameras/import', { token: admin, raw: csv });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('IMPORT_FAILED');
      expect(res.body.created).toBe(0);
      expect(res.body.errors.map((e: { line: number }) => e.line)).toEqual([3, 4, 5, 6]);
      expect(res.text).not.toContain('csv-secret-pw');
      expect((await tg.call('GET', '/api/cameras', { token: admin })).body.length).toBe(before);
    });

    it('imports thousands of rows at once (raw text/csv) and a small file as multipart', async () => {
      const rows = Array.from({ length: 3000 }, (_, i) => `bulk ${i},${(i % 90) / 10},${(i % 100) / 10},bulk;n${i % 7},10.9.${i >> 8}.${i & 255},80,admin,bulk-pw,`);
      const t0 = Date.now();
      const res = await tg.call('POST', '/api/cameras/import', { token: admin, raw: [HEADER, ...rows].join('\r\n') });
      const ms = Date.now() - t0;
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ created: 3000, errors: [] });
      expect(ms).toBeLessThan(20_000);
      const bulk = (await tg.call('GET', '/api/cameras?tag=bulk', { token: admin })).body;
      expect(bulk).toHaveLength(3000);
      expect(bulk.filter((c: { jurisdictionId: string }) => c.jurisdictionId === idOf.B).length).toBeGreaterThan(0);
      const form = new FormData();
      form.append('file', new Blob([`${HEADER}\nform cam,,,,,,,,rtsp://127.0.0.1:1/form\n`], { type: 'text/csv' }), 'cams.csv');
      const multipart = await fetch(`${tg.url}/api/cameras/import`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: form });
      expect(multipart.status).toBe(201);
      expect(await multipart.json()).toEqual({ created: 1, errors: [] });
    });

    it('refuses viewers and JSON bodies', async () => {
      await tg.call('POST', '/api/users', { token: admin, body: { username: 'viewer1', password: 'viewer-pass-1', role: 'viewer', jurisdictionId: idOf.A } });
      const viewer = await tg.login('viewer1', 'viewer-pass-1');
      expect((await tg.call('POST', '/api/cameras/import', { token: viewer, raw: HEADER })).status).toBe(403);
      expect((await tg.call('POST', '/api/cameras', { token: viewer, body: { name: 'v', rtspUrl: 'rtsp://h/x' } })).status).toBe(403);
      expect((await tg.call('POST', '/api/cameras/import', { token: admin, body: { a: 1 } })).status).toBe(415);
    });
  });

  it('answers 503 for a sweep when no discovery service runs, and leaves no sweep running', async () => {
    const res = await tg.call('POST', '/api/discovery/sweeps', { token: admin, body: { cidr: `127.0.${BLOCK}.0/24` } });
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('SERVICE_UNAVAILABLE');
    // discovery owns sweep rows (the gateway only asks): with no discovery process, none was ever stored
    const rows = await tg.running.infra.database.dataSource.query(`SELECT state FROM discovery_sweeps`);
    expect(rows.map((r: { state: string }) => r.state)).toEqual([]);
  });

  it('never returns a password anywhere in the list or details', async () => {
    const all = (await tg.call('GET', '/api/cameras', { token: admin })).body as { id: string }[];
    const details = await Promise.all(all.slice(0, 20).map((c) => tg.call('GET', `/api/cameras/${c.id}`, { token: admin })));
    const text = JSON.stringify(all) + details.map((d) => d.text).join('');
    for (const secret of [PASSWORD, 'bulk-pw', 'passwordSealed', 'v1.']) expect(text).not.toContain(secret);
  });
});
