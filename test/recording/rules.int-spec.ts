import { randomUUID } from 'node:crypto';
import { RecordingTopics, Topics, type RecordingPlanMessage, type WorkerHeartbeatMessage } from '@tiergate/contracts';
import { districtCode, generateDistrict } from '@tiergate/domain';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { PartitionerModule } from '../../apps/partitioner/src/partitioner.module';
import { districtNodes, seedJurisdictions, userToken } from '../support/district.fixture';
import { startTestProcess, TestProcess } from '../support/harness';

const district = generateDistrict({ stations: 2, postsPerStation: 1, sizeKm: 2, seed: 7 });
const R = '210103';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const PLAN_WITHIN_MS = 5_000;
const WORKER = `w-rec-${randomUUID().slice(0, 8)}`;

/**
 * Recording rules and holds through the API (docs/recording.md, "Rules"): a station admin writes rules for its
 * station only (another station's node or camera is 404 like missing), a viewer reads its scope's rules but
 * cannot write; every write is audited; and the acting partitioner publishes the plan with the matching
 * streams, assigned to the worker that offers storage, within a few seconds of each change.
 */
describe('recording rules and holds (API, audit, published plan)', () => {
  let tg: TestProcess;
  let ids: Map<string, string>;
  let stationAdmin: string;
  let viewer: string;
  let operator: string;
  const cam: Record<string, string> = {};
  let plan: RecordingPlanMessage | undefined;
  const plans: RecordingPlanMessage[] = [];
  let stopHeartbeats: () => void = () => undefined;

  const station1 = () => ids.get(districtCode(R, 1))!;
  const post1 = () => ids.get(districtCode(R, 1, 1))!;
  const station2 = () => ids.get(districtCode(R, 2))!;

  /** Waits for a plan published after `since` that satisfies `cond`; answers it and how long it took. */
  async function planWhere(cond: (p: RecordingPlanMessage) => boolean, since: number): Promise<{ plan: RecordingPlanMessage; ms: number }> {
    const t0 = Date.now();
    while (Date.now() - t0 < PLAN_WITHIN_MS) {
      const found = plans.find((p) => Date.parse(p.compiledAt) >= since && cond(p));
      if (found) return { plan: found, ms: Date.now() - t0 };
      await sleep(20);
    }
    throw new Error(`no matching plan within ${PLAN_WITHIN_MS} ms; last: ${JSON.stringify(plan)}`);
  }
  const streams = (p: RecordingPlanMessage) => p.entries.map((e) => `${e.cameraId}/${e.profile}/${e.mode}/${e.workerId ?? '-'}`).sort();

  beforeAll(async () => {
    tg = await startTestProcess({ name: 'tiergate', modules: [PartitionerModule, GatewayModule], http: true });
    ids = await seedJurisdictions(tg, districtNodes(district));
    const admin = await tg.login();
    stationAdmin = await userToken(tg, admin, 'station1-admin', 'admin', station1());
    operator = await userToken(tg, admin, 'station1-operator', 'operator', station1());
    viewer = await userToken(tg, admin, 'station1-viewer', 'viewer', station1());
    const ds = tg.running.infra.database.dataSource;
    for (const [name, node, tags] of [
      ['garage-s1', station1(), ['garage']],
      ['garage-p1', post1(), ['garage', 'gate']],
      ['gate-s1', station1(), ['gate']],
      ['garage-s2', station2(), ['garage']],
    ] as const) {
      cam[name] = randomUUID();
      await ds.query(`INSERT INTO cameras (id, name, "jurisdictionId", tags) VALUES ($1, $2, $3, $4)`, [cam[name], name, node, tags]);
    }
    const bus = tg.running.infra.bus;
    await bus.subscribe(RecordingTopics.plan, (_t, payload) => {
      plan = payload as RecordingPlanMessage;
      plans.push(plan);
    });
    // A recording worker: its (signed) heartbeat offers one storage root.
    const heartbeat = (): WorkerHeartbeatMessage => ({
      workerId: WORKER,
      baseUrl: 'http://127.0.0.1:9',
      capacity: 10,
      load: 0,
      sessions: [],
      recording: { roots: [{ id: 'r0', freeBytes: 50e9, quotaBytes: 20e9, usedBytes: 0 }] },
      at: new Date().toISOString(),
    });
    await bus.publish(Topics.workerHeartbeat(WORKER), heartbeat(), { retain: true, qos: 1 });
    const timer = setInterval(() => void bus.publish(Topics.workerHeartbeat(WORKER), heartbeat(), { retain: true }).catch(() => undefined), 1000);
    stopHeartbeats = () => clearInterval(timer);
  });
  afterAll(async () => {
    stopHeartbeats();
    await tg?.running.infra.bus.clearRetained(Topics.workerHeartbeat(WORKER)).catch(() => undefined);
    await tg?.stop();
  });

  let garageRule: string;

  it("a station admin's tag rule for its station: 201, audited, and the plan records the station's tagged cameras on the offering worker", async () => {
    const since = Date.now();
    const res = await tg.call('POST', '/api/recording-rules', { token: stationAdmin, body: { name: 'garages', target: { type: 'tag', value: 'garage' }, mode: 'continuous', retentionDays: 14 } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'garages', target: { type: 'tag', value: 'garage' }, mode: 'continuous', bufferMinutes: null, profile: 'sub', retentionDays: 14, jurisdictionId: station1(), enabled: true });
    garageRule = res.body.id;
    const { plan: p, ms } = await planWhere((q) => q.entries.length === 2, since);
    expect(streams(p)).toEqual([`${cam['garage-p1']}/sub/continuous/${WORKER}`, `${cam['garage-s1']}/sub/continuous/${WORKER}`].sort());
    expect(p.entries[0]).toMatchObject({ retentionDays: 14, ruleIds: [garageRule] });
    expect(ms).toBeLessThan(PLAN_WITHIN_MS);
    const [audit] = await tg.running.infra.database.dataSource.query(`SELECT "actorName", "targetId" FROM audit_log WHERE action = 'recording-rule.create'`);
    expect(audit).toEqual({ actorName: 'station1-admin', targetId: garageRule });
  });

  it("another station's node or camera is 404 like a missing one; a camera outside the rule's own node is 400", async () => {
    const other = await tg.call('POST', '/api/recording-rules', { token: stationAdmin, body: { name: 'x', target: { type: 'jurisdiction', value: station2() }, mode: 'continuous', jurisdictionId: station2() } });
    const missing = await tg.call('POST', '/api/recording-rules', { token: stationAdmin, body: { name: 'x', target: { type: 'jurisdiction', value: randomUUID() }, mode: 'continuous', jurisdictionId: randomUUID() } });
    expect(other.status).toBe(404);
    expect(other.body).toEqual({ ...missing.body, correlationId: other.body.correlationId });
    const foreignCamera = await tg.call('POST', '/api/recording-rules', { token: stationAdmin, body: { name: 'x', target: { type: 'camera', value: cam['garage-s2'] }, mode: 'continuous' } });
    expect(foreignCamera.status).toBe(404);
    const outsideRule = await tg.call('POST', '/api/recording-rules', { token: stationAdmin, body: { name: 'x', target: { type: 'camera', value: cam['gate-s1'] }, mode: 'continuous', jurisdictionId: post1() } });
    expect(outsideRule.status).toBe(400);
    const bad = await tg.call('POST', '/api/recording-rules', { token: stationAdmin, body: { name: 'x', target: { type: 'tag', value: 'g' }, mode: 'buffer', bufferMinutes: 121 } });
    expect(bad.status).toBe(400);
  });

  it('a viewer lists the rules of its scope but cannot write them (403)', async () => {
    const list = await tg.call('GET', '/api/recording-rules', { token: viewer });
    expect(list.status).toBe(200);
    expect(list.body.map((r: { id: string }) => r.id)).toEqual([garageRule]);
    expect((await tg.call('POST', '/api/recording-rules', { token: viewer, body: { name: 'v', target: { type: 'tag', value: 'gate' }, mode: 'continuous' } })).status).toBe(403);
    expect((await tg.call('PATCH', `/api/recording-rules/${garageRule}`, { token: viewer, body: { enabled: false } })).status).toBe(403);
    expect((await tg.call('DELETE', `/api/recording-rules/${garageRule}`, { token: viewer })).status).toBe(403);
  });

  it('a change to buffer mode and a deletion reach the plan; the version grows', async () => {
    const first = plan!.version;
    let since = Date.now();
    const patched = await tg.call('PATCH', `/api/recording-rules/${garageRule}`, { token: operator, body: { mode: 'buffer', bufferMinutes: 10 } });
    expect(patched.status).toBe(200);
    const { plan: buffered } = await planWhere((q) => q.entries.length === 2 && q.entries.every((e) => e.mode === 'buffer'), since);
    expect(buffered.entries.map((e) => [e.bufferMinutes, e.workerId])).toEqual([
      [10, undefined],
      [10, undefined],
    ]);
    expect(buffered.version).toBeGreaterThan(first);
    since = Date.now();
    expect((await tg.call('DELETE', `/api/recording-rules/${garageRule}`, { token: stationAdmin })).status).toBe(204);
    await planWhere((q) => q.entries.length === 0, since);
    expect((await tg.call('DELETE', `/api/recording-rules/${garageRule}`, { token: stationAdmin })).status).toBe(404);
    const actions = await tg.running.infra.database.dataSource.query(`SELECT action FROM audit_log WHERE "targetId" = $1 ORDER BY id`, [garageRule]);
    expect(actions.map((a: { action: string }) => a.action)).toEqual(['recording-rule.create', 'recording-rule.update', 'recording-rule.delete']);
  });

  it('holds: an operator holds a camera of its scope with a reason; another station camera is 404; no reason is 400; the viewer lists it', async () => {
    const body = { cameraId: cam['garage-s1'], from: '2026-03-01T10:00:00Z', to: '2026-03-01T11:00:00Z', reason: 'case 2026/114 bike theft' };
    const created = await tg.call('POST', '/api/recording-holds', { token: operator, body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ cameraId: cam['garage-s1'], from: '2026-03-01T10:00:00.000Z', to: '2026-03-01T11:00:00.000Z', reason: body.reason });
    expect((await tg.call('POST', '/api/recording-holds', { token: operator, body: { ...body, cameraId: cam['garage-s2'] } })).status).toBe(404);
    expect((await tg.call('POST', '/api/recording-holds', { token: operator, body: { ...body, reason: undefined } })).status).toBe(400);
    expect((await tg.call('POST', '/api/recording-holds', { token: operator, body: { ...body, to: body.from } })).status).toBe(400);
    expect((await tg.call('POST', '/api/recording-holds', { token: viewer, body })).status).toBe(403);
    const listed = await tg.call('GET', '/api/recording-holds', { token: viewer });
    expect(listed.body.map((h: { id: string }) => h.id)).toEqual([created.body.id]);
    expect((await tg.call('DELETE', `/api/recording-holds/${created.body.id}`, { token: operator })).status).toBe(204);
    const actions = await tg.running.infra.database.dataSource.query(`SELECT action, details->>'reason' AS reason FROM audit_log WHERE "targetId" = $1 ORDER BY id`, [created.body.id]);
    expect(actions).toEqual([
      { action: 'recording-hold.create', reason: body.reason },
      { action: 'recording-hold.delete', reason: body.reason },
    ]);
  });
});
