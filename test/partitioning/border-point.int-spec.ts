import { districtCode, generateDistrict } from '@tiergate/domain';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { PartitionerModule } from '../../apps/partitioner/src/partitioner.module';
import { districtNodes, seedJurisdictions, userToken } from '../support/district.fixture';
import { startTestProcess, TestProcess } from '../support/harness';

// Two stations with two posts each; a point on the edge a post of station 1 shares with a post of station 2.
const district = generateDistrict({ stations: 2, postsPerStation: 2, sizeKm: 4, seed: 11 });
const R = '210103';
const bboxOf = (code: string) => district.features.find((f) => f.properties.code === code)!.bbox as [number, number, number, number];
const posts = (s: number) => [1, 2].map((p) => districtCode(R, s, p));

function sharedEdge(): { a: string; b: string; lon: number; lat: number } {
  for (const a of posts(1)) {
    for (const b of posts(2)) {
      const [aw, as, ae, an] = bboxOf(a);
      const [bw, bs, be, bn] = bboxOf(b);
      const lo = Math.max(as, bs);
      const hi = Math.min(an, bn);
      if (hi <= lo) continue;
      if (ae === bw) return { a, b, lon: ae, lat: (lo + hi) / 2 };
      if (be === aw) return { a, b, lon: aw, lat: (lo + hi) / 2 };
    }
  }
  throw new Error('the generated district has no post of station 1 touching a post of station 2');
}

/**
 * One rule places a point (placePoint): a point on a border shared by two stations belongs to the same
 * node whether it is a camera created by either station, an incident imported by either, or a row moved
 * by a tree import. The station that does not own it is refused in both of its words, never given it.
 */
describe('partitioning: a border point answers the same for a camera, an incident and a reassignment', () => {
  let tg: TestProcess;
  let ids: Map<string, string>;
  let admin: string;
  const edge = sharedEdge();
  const owner = edge.a < edge.b ? edge.a : edge.b; // the smallest code among nodes of equal depth
  const other = owner === edge.a ? edge.b : edge.a;
  const stationOf = (post: string) => districtCode(R, Number(post === edge.a ? 1 : 2));

  beforeAll(async () => {
    tg = await startTestProcess({ name: 'tiergate', modules: [PartitionerModule, GatewayModule], http: true });
    ids = await seedJurisdictions(tg, districtNodes(district));
    admin = await tg.login();
  });
  afterAll(() => tg?.stop());

  it('places it in the owner for its station, refuses it for the neighbour, and a tree import agrees', async () => {
    const ownerOperator = await userToken(tg, admin, 'owner-op', 'operator', ids.get(stationOf(owner))!);
    const otherOperator = await userToken(tg, admin, 'other-op', 'operator', ids.get(stationOf(other))!);
    const location = { lat: edge.lat, lon: edge.lon };

    // A camera.
    const refusedCamera = await tg.call('POST', '/api/cameras', { token: otherOperator, body: { name: 'border (neighbour)', rtspUrl: 'rtsp://127.0.0.1:1/n', location } });
    expect(refusedCamera.status).toBe(400);
    expect(refusedCamera.body.message).toMatch(/outside the jurisdictions you administer/);
    const camera = await tg.call('POST', '/api/cameras', { token: ownerOperator, body: { name: 'border (owner)', rtspUrl: 'rtsp://127.0.0.1:1/o', location } });
    expect(camera.status).toBe(201);
    expect(camera.body.jurisdictionId).toBe(ids.get(owner));

    // An incident.
    const csv = (id: string) => `id,type,occurred_at,lat,lon\n${id},bike_theft,2025-06-02T19:30:00+08:00,${edge.lat},${edge.lon}`;
    const otherAnalyst = await userToken(tg, admin, 'other-an', 'analyst', ids.get(stationOf(other))!);
    const ownerAnalyst = await userToken(tg, admin, 'owner-an', 'analyst', ids.get(stationOf(owner))!);
    const refusedIncident = await tg.call('POST', '/api/incidents/import', { token: otherAnalyst, raw: csv('B-1') });
    expect(refusedIncident.status).toBe(400);
    expect(JSON.stringify(refusedIncident.body)).toMatch(/outside your jurisdiction/);
    expect((await tg.call('POST', '/api/incidents/import', { token: ownerAnalyst, raw: csv('B-1') })).status).toBe(201);
    const incident = (await tg.call('GET', '/api/incidents', { token: admin })).body.find((i: any) => i.id === 'B-1');
    expect(incident.jurisdictionId).toBe(ids.get(owner));

    // A reassignment: both rows put in the neighbour's post by hand, then a tree import moves them back.
    const ds = tg.running.infra.database.dataSource;
    await ds.query(`UPDATE cameras SET "jurisdictionId" = $1 WHERE id = $2`, [ids.get(other), camera.body.id]);
    await ds.query(`UPDATE incidents SET "jurisdictionId" = $1 WHERE id = 'B-1'`, [ids.get(other)]);
    const imported = await tg.call('POST', '/api/jurisdictions/import', { token: admin, raw: JSON.stringify(district), contentType: 'application/geo+json' });
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ reassignedCameras: 1, reassignedIncidents: 1 });
    expect((await tg.call('GET', `/api/cameras/${camera.body.id}`, { token: admin })).body.jurisdictionId).toBe(ids.get(owner));
    expect((await tg.call('GET', '/api/incidents', { token: admin })).body.find((i: any) => i.id === 'B-1').jurisdictionId).toBe(ids.get(owner));
  });
});
