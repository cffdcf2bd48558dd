import { randomUUID } from 'node:crypto';
import { CameraRepository, createScratchDatabase, DatabaseHandle, newCamera, openDatabase, ScratchDatabase } from '@tiergate/persistence';

const external = process.env.TIERGATE_TEST_MODE === 'external';

/**
 * CameraRepository.list on a real database: the page, its order and `total` (X-Total-Count) as the camera
 * list's clients rely on them, whatever the statement looks like.
 */
describe('camera list (CameraRepository.list)', () => {
  let scratch: ScratchDatabase | undefined;
  let db: DatabaseHandle;
  let cameras: CameraRepository;
  const station = randomUUID();
  const other = randomUUID();
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    if (external) scratch = await createScratchDatabase(process.env.DATABASE_URL!);
    db = await openDatabase({ url: scratch?.url ?? '', dataDir: 'memory://' });
    const ds = db.dataSource;
    for (const [id, code, parent] of [
      [station, '21010300000000000001', null],
      [other, '21010300000000000002', null],
    ] as const) {
      await ds.query(`INSERT INTO jurisdictions (id, code, name, tier, "parentId") VALUES ($1, $2, $3, 'station', $4)`, [id, code, code, parent]);
    }
    cameras = new CameraRepository(ds);
    const rows = [
      newCamera({ name: 'b gate', jurisdictionId: station, tags: ['gate'], lat: 1.25, lon: -0.5, status: 'online' }),
      newCamera({ name: 'a "quoted" \\ name ✓', jurisdictionId: station, statusReason: 'line one\nline two' }),
      newCamera({ name: 'c yard', jurisdictionId: station, onvifHost: '10.0.0.7', onvifPort: 80, jurisdictionPinned: true }),
      newCamera({ name: 'd other', jurisdictionId: other }),
    ];
    const inserted = await cameras.insertMany(rows);
    rows.forEach((r, i) => (ids[r.name] = inserted[i]));
    // Microseconds stored: a list shows what a Date holds (milliseconds, cut, not rounded).
    await ds.query(`UPDATE cameras SET "lastSeenAt" = '2026-03-04 05:06:07.089999+00', "statusCheckedAt" = '2026-03-04 05:06:07+00' WHERE id = $1`, [ids['b gate']]);
  });
  afterAll(async () => {
    await db?.close();
    await scratch?.drop();
  });

  const visibility = (jurisdictionIds: string[], cameraIds: string[] = []) => ({ all: false, jurisdictionIds: new Set(jurisdictionIds), cameraIds: new Set(cameraIds) });

  it('answers the cameras of the nodes and the granted ones, ordered by name, with every field a list shows', async () => {
    const { rows, total } = await cameras.list(visibility([station], [ids['d other']]), {});
    expect(total).toBe(4);
    expect(rows.map((r) => r.name)).toEqual(['a "quoted" \\ name ✓', 'b gate', 'c yard', 'd other']);
    const gate = rows[1];
    expect(gate).toEqual({
      id: ids['b gate'],
      name: 'b gate',
      jurisdictionId: station,
      jurisdictionPinned: false,
      lat: 1.25,
      lon: -0.5,
      tags: ['gate'],
      onvifHost: null,
      status: 'online',
      statusReason: null,
      lastSeenAt: new Date('2026-03-04T05:06:07.089Z'),
      statusCheckedAt: new Date('2026-03-04T05:06:07.000Z'),
      createdAt: expect.any(Date),
      updatedAt: expect.any(Date),
    });
    expect(rows[0]).toMatchObject({ statusReason: 'line one\nline two', lat: null, lastSeenAt: null, tags: [] });
    expect(rows[2]).toMatchObject({ onvifHost: '10.0.0.7', jurisdictionPinned: true });
    const [stored] = await db.dataSource.query(`SELECT "createdAt" FROM cameras WHERE id = $1`, [ids['b gate']]);
    expect(gate.createdAt.getTime()).toBe(new Date(stored.createdAt).getTime());
  });

  it('pages by name and counts every match, also on a page past the end', async () => {
    const v = visibility([station, other]);
    expect(await cameras.list(v, { limit: 2, offset: 1 })).toMatchObject({ total: 4, rows: [{ name: 'b gate' }, { name: 'c yard' }] });
    expect(await cameras.list(v, { offset: 3 })).toMatchObject({ total: 4, rows: [{ name: 'd other' }] });
    expect(await cameras.list(v, { limit: 2, offset: 10 })).toEqual({ total: 4, rows: [] });
    expect(await cameras.list(v, { tag: 'gate', limit: 5 })).toMatchObject({ total: 1, rows: [{ name: 'b gate' }] });
  });

  it('sees nothing with an empty visibility, and only the granted cameras without nodes', async () => {
    expect(await cameras.list(visibility([]), {})).toEqual({ total: 0, rows: [] });
    expect(await cameras.list(visibility([randomUUID()]), {})).toEqual({ total: 0, rows: [] });
    expect((await cameras.list(visibility([], [ids['c yard']]), {})).rows.map((r) => r.name)).toEqual(['c yard']);
  });
});
