// Issue 11 item 5: a view-only grant gave write, move and delete (a grantee operator renamed a granted
// camera, changed its credentials, pinned it into its own post and deleted another). Grants share viewing
// only: writes check what the caller administers (its home subtree). A camera the caller sees through a
// grant answers 403 to a write; one it cannot see at all answers 404 exactly like a missing id.
import { DataSource } from 'typeorm';
import { districtCode } from '@tiergate/domain';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { PartitionerModule } from '../../apps/partitioner/src/partitioner.module';
import { startTestProcess, TestProcess } from '../support/harness';
import { SeededDistrict, seedGeneratedDistrict } from '../support/generated-district.seed';

const R = '210103';

describe('security: grants share viewing, never writing', () => {
  let tg: TestProcess;
  let admin: string;
  let ds: DataSource;
  let seeded: SeededDistrict;
  let op2: string;
  let op1: string;
  /** st1 cameras: one granted by camera, two under a granted post, one not granted at all. */
  const cam: Record<'granted' | 'nodeGranted' | 'nodeGranted2' | 'hidden', string> = {} as never;

  const user = async (username: string, role: string, code: string) => {
    const password = `${username}-secret-pw`;
    const res = await tg.call('POST', '/api/users', { token: admin, body: { username, password, role, jurisdictionId: seeded.idOfCode.get(code) } });
    if (res.status !== 201) throw new Error(`${username}: ${res.status} ${res.text}`);
    return { id: res.body.id as string, token: await tg.login(username, password) };
  };
  const row = async (id: string) => (await ds.query(`SELECT name, username, "passwordSealed", "jurisdictionId", "jurisdictionPinned", tags FROM cameras WHERE id = $1`, [id]))[0];

  beforeAll(async () => {
    tg = await startTestProcess({ name: 'gateway', modules: [PartitionerModule, GatewayModule], http: true });
    admin = await tg.login();
    ds = tg.running.app.get(DataSource, { strict: false });
    seeded = await seedGeneratedDistrict(tg, admin, { cameras: 120, seed: 51 });
    const ofPost = (post: string) => [...seeded.cameras].filter(([, p]) => p.expectedCode === districtCode(R, 1, Number(post))).map(([id]) => id);
    [cam.granted, cam.hidden] = ofPost('1');
    [cam.nodeGranted, cam.nodeGranted2] = ofPost('2');
    expect(cam.hidden && cam.nodeGranted2).toBeTruthy();
    const o2 = await user('gw-op2', 'operator', districtCode(R, 2));
    op2 = o2.token;
    op1 = (await user('gw-op1', 'operator', districtCode(R, 1))).token;
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    for (const body of [
      { cameraId: cam.granted, granteeUserId: o2.id, expiresAt },
      { jurisdictionId: seeded.idOfCode.get(districtCode(R, 1, 2)), granteeUserId: o2.id, expiresAt },
    ]) {
      const g = await tg.call('POST', '/api/grants', { token: admin, body });
      expect(g.status).toBe(201);
    }
  });
  afterAll(() => tg?.stop());

  it('lets the grantee watch what was shared', async () => {
    for (const id of [cam.granted, cam.nodeGranted]) expect((await tg.call('GET', `/api/cameras/${id}`, { token: op2 })).status).toBe(200);
    expect((await tg.call('GET', `/api/cameras/${cam.hidden}`, { token: op2 })).status).toBe(404);
  });

  it('refuses the grantee every write to a shared camera with 403, and changes nothing', async () => {
    const before = await row(cam.granted);
    const ownPost = seeded.idOfCode.get(districtCode(R, 2, 1));
    const attempts = [
      { name: 'renamed by grantee' },
      { credentials: { username: 'evil', password: 'taken-over-pw' } },
      { jurisdictionId: ownPost },
      { tags: ['stolen'] },
      { location: { lat: 0, lon: 0 } },
    ];
    for (const id of [cam.granted, cam.nodeGranted]) {
      for (const body of attempts) {
        const res = await tg.call('PATCH', `/api/cameras/${id}`, { token: op2, body });
        expect({ body, status: res.status, code: res.body.code }).toEqual({ body, status: 403, code: 'FORBIDDEN' });
        expect(res.text).not.toContain('taken-over-pw');
      }
      const del = await tg.call('DELETE', `/api/cameras/${id}`, { token: op2 });
      expect(del.status).toBe(403);
    }
    expect(await row(cam.granted)).toEqual(before);
    expect(await ds.query(`SELECT count(*)::int AS n FROM cameras WHERE id = ANY($1::uuid[])`, [[cam.granted, cam.nodeGranted]])).toEqual([{ n: 2 }]);
  });

  it('answers a write to a camera the caller cannot see exactly like a missing one (404)', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const method of ['PATCH', 'DELETE']) {
      const hidden = await tg.call(method, `/api/cameras/${cam.hidden}`, { token: op2, body: { name: 'x' } });
      const none = await tg.call(method, `/api/cameras/${missing}`, { token: op2, body: { name: 'x' } });
      expect(hidden.status).toBe(404);
      expect(hidden.text).toBe(none.text);
    }
  });

  it('still lets the operators of the camera’s own station write, and the built-in admin', async () => {
    const res = await tg.call('PATCH', `/api/cameras/${cam.nodeGranted2}`, { token: op1, body: { name: 'renamed by its station' } });
    expect(res.status).toBe(200);
    expect((await row(cam.nodeGranted2)).name).toBe('renamed by its station');
    expect((await tg.call('PATCH', `/api/cameras/${cam.nodeGranted2}`, { token: admin, body: { tags: ['checked'] } })).status).toBe(200);
    expect((await tg.call('DELETE', `/api/cameras/${cam.nodeGranted2}`, { token: op1 })).status).toBe(204);
  });
});
