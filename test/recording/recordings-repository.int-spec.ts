import { randomUUID } from 'node:crypto';
import { createScratchDatabase, DatabaseHandle, NewRecordingSegment, openDatabase, RecordingsRepository, ScratchDatabase } from '@tiergate/persistence';

const external = process.env.TIERGATE_TEST_MODE === 'external';
const T0 = Date.parse('2026-03-01T00:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

/**
 * The recording SQL with rules in it, on a real database (docs/recording.md, "Retention and quota",
 * "Timeline"): overlap of [from, to), retention that spares held segments, quota pruning that spares held
 * segments and the newest hour of a held camera, the crash scan's paging, and the cascade of a camera delete.
 */
describe('RecordingsRepository (recording rules in SQL)', () => {
  let scratch: ScratchDatabase | undefined;
  let db: DatabaseHandle;
  let repo: RecordingsRepository;
  let station: string;
  let held: string;
  let free: string;

  /** One 4-minute segment of `cameraId` starting at minute `m` on worker w1 root r0, kept until minute `keep`. */
  const segment = (cameraId: string, m: number, keep: number, fields: Partial<NewRecordingSegment> = {}): NewRecordingSegment => ({
    cameraId, profile: 'sub', workerId: 'w1', rootId: 'r0', path: `${cameraId}/sub/${m}.m4s`, initPath: `${cameraId}/sub/init/a.mp4`,
    startAt: at(m), endAt: at(m + 4), bytes: 1000 + m, keepUntil: at(keep), ...fields,
  });
  const starts = (rows: { startAt: Date }[]) => rows.map((r) => (r.startAt.getTime() - T0) / 60_000);

  beforeAll(async () => {
    if (external) scratch = await createScratchDatabase(process.env.DATABASE_URL!);
    db = await openDatabase({ url: scratch?.url ?? '', dataDir: 'memory://' });
    const ds = db.dataSource;
    [{ id: station }] = await ds.query(`INSERT INTO jurisdictions (code, name, tier) VALUES ('21010300000000000001', 's', 'station') RETURNING id`);
    [{ id: held }] = await ds.query(`INSERT INTO cameras (name, "jurisdictionId") VALUES ('held', $1) RETURNING id`, [station]);
    [{ id: free }] = await ds.query(`INSERT INTO cameras (name, "jurisdictionId") VALUES ('free', $1) RETURNING id`, [station]);
    repo = new RecordingsRepository(ds);
    // Every 4 minutes over 3 hours, both cameras; segments kept 100 minutes after their start.
    for (let m = 0; m < 180; m += 4) {
      await repo.insertSegment(segment(held, m, m + 100));
      await repo.insertSegment(segment(free, m, m + 100));
    }
    await repo.insertSegment(segment(free, 0, 1, { rootId: 'r1' }));
    await repo.insertSegment(segment(free, 0, 1, { workerId: 'w2' }));
    // The hold covers [10, 30): segments starting at 8..28 overlap it (8 ends at 12; 28 starts before 30).
    await repo.createHold({ cameraId: held, from: at(10), to: at(30), reason: 'case 1', createdBy: null });
  });
  afterAll(async () => {
    await db?.close();
    await scratch?.drop();
  });

  it('segmentsOf answers the segments overlapping [from, to) (half-open), by start', async () => {
    expect(starts(await repo.segmentsOf(held, 'sub', at(10), at(20)))).toEqual([8, 12, 16]);
    expect(starts(await repo.segmentsOf(held, 'sub', at(12), at(16)))).toEqual([12]);
    expect(starts(await repo.segmentsOf(held, 'sub', at(178), at(500)))).toEqual([176]);
    expect(await repo.segmentsOf(held, 'main', at(0), at(500))).toEqual([]);
    const [one] = await repo.segmentsOf(held, 'sub', at(12), at(16));
    expect(one).toEqual({ ...segment(held, 12, 112), id: expect.stringMatching(/^\d+$/) });
    expect(await repo.segmentById(one.id)).toEqual(one);
  });

  it('expiredSegments: keepUntil passed, this root only, never a segment a hold overlaps', async () => {
    // At minute 140 the segments starting before 40 have expired; the held camera keeps 8..28.
    const expired = await repo.expiredSegments('w1', 'r0', at(140), 1000);
    expect(starts(expired.filter((s) => s.cameraId === free))).toEqual([0, 4, 8, 12, 16, 20, 24, 28, 32, 36]);
    expect(starts(expired.filter((s) => s.cameraId === held))).toEqual([0, 4, 32, 36]);
    expect(await repo.expiredSegments('w1', 'r0', at(140), 3)).toHaveLength(3);
  });

  it("oldestPrunable: oldest first, skipping held segments and the held camera's newest hour", async () => {
    const prunable = await repo.oldestPrunable('w1', 'r0', 1000);
    const heldStarts = starts(prunable.filter((s) => s.cameraId === held));
    // held camera: newest segment ends at 180, so segments ending after 120 (starting after 116) stay
    expect(heldStarts).toEqual([0, 4, ...Array.from({ length: 22 }, (_, i) => 32 + 4 * i)]);
    expect(Math.max(...heldStarts)).toBe(116);
    expect(starts(prunable.filter((s) => s.cameraId === free))).toHaveLength(45);
    expect(starts(prunable)).toEqual([...starts(prunable)].sort((a, b) => a - b));
    expect(starts(await repo.oldestPrunable('w1', 'r0', 3))).toEqual([0, 0, 4]);
  });

  it('segmentsOfRoot pages by (start, id) without skipping equal starts; rootUsage sums the root', async () => {
    const seen: string[] = [];
    let last: { startAt: Date; id: string } | undefined;
    for (;;) {
      const page = await repo.segmentsOfRoot('w1', 'r0', { after: last?.startAt, afterId: last?.id, limit: 7 });
      if (page.length === 0) break;
      seen.push(...page.map((s) => s.id));
      last = page[page.length - 1];
    }
    expect(seen).toHaveLength(90);
    expect(new Set(seen).size).toBe(90);
    const bytes = Array.from({ length: 45 }, (_, i) => 1000 + 4 * i).reduce((a, b) => a + b, 0) * 2;
    expect(await repo.rootUsage('w1', 'r0')).toEqual({ bytes, segments: 90 });
    expect(await repo.rootUsage('w1', 'r1')).toEqual({ bytes: 1000, segments: 1 });
  });

  it('deleting a camera deletes its camera rules, holds and segment rows; other rules stay', async () => {
    const ds = db.dataSource;
    const [{ id: gone }] = await ds.query(`INSERT INTO cameras (name, "jurisdictionId") VALUES ('gone', $1) RETURNING id`, [station]);
    const base = { mode: 'continuous' as const, bufferMinutes: null, profile: 'sub' as const, retentionDays: 30, jurisdictionId: station, enabled: true, createdBy: null };
    const cameraRule = await repo.createRule({ ...base, name: 'one', targetType: 'camera', targetValue: gone });
    const tagRule = await repo.createRule({ ...base, name: 'tag', targetType: 'tag', targetValue: 'garage' });
    await repo.createHold({ cameraId: gone, from: at(0), to: at(1), reason: 'r', createdBy: null });
    const seg = await repo.insertSegment(segment(gone, 0, 10));
    await ds.query(`DELETE FROM cameras WHERE id = $1`, [gone]);
    expect(await repo.getRule(cameraRule.id)).toBeUndefined();
    expect(await repo.getRule(tagRule.id)).toMatchObject({ name: 'tag' });
    expect(await repo.listHolds({ cameraIds: [gone] })).toEqual([]);
    expect(await repo.segmentById(seg)).toBeUndefined();
  });

  it('a rule retargeted from a camera to a tag no longer goes with the camera', async () => {
    const base = { mode: 'buffer' as const, bufferMinutes: 5, profile: 'sub' as const, retentionDays: 30, jurisdictionId: station, enabled: true, createdBy: null };
    const rule = await repo.createRule({ ...base, name: 'r', targetType: 'camera', targetValue: free });
    expect(await repo.updateRule(rule.id, { targetType: 'tag', targetValue: 'gate', enabled: false })).toMatchObject({ targetType: 'tag', targetValue: 'gate', enabled: false, bufferMinutes: 5 });
    expect(await repo.updateRule(randomUUID(), { name: 'x' })).toBeUndefined();
    expect(await repo.listRules([station])).toEqual(expect.arrayContaining([expect.objectContaining({ id: rule.id })]));
    expect(await repo.listRules([])).toEqual([]);
    expect(await repo.deleteRule(rule.id)).toBe(true);
    expect(await repo.deleteRule(rule.id)).toBe(false);
  });

  it('exports: created queued, updated to done with hash and size', async () => {
    const e = await repo.createExport({ cameraId: free, profile: 'sub', from: at(0), to: at(10), reason: 'case 2', createdBy: null, workerId: 'w1' });
    expect(e).toMatchObject({ state: 'queued', progress: 0, workerId: 'w1', sha256: null, bytes: null, finishedAt: null });
    await repo.updateExport(e.id, { state: 'done', progress: 1, sha256: 'a'.repeat(64), bytes: 123456789012, path: 'exports/x.mp4', finishedAt: at(11) });
    expect(await repo.getExport(e.id)).toMatchObject({ state: 'done', progress: 1, sha256: 'a'.repeat(64), bytes: 123456789012, path: 'exports/x.mp4', finishedAt: at(11) });
  });
});
