/**
 * Patrol alarms (issue 16, docs/alarms.md "Patrol alarms") through the API: an abnormal mark with `raiseAlarm` is a
 * `patrol` alarm of the camera in GET /api/alarms within 2 s, with the officer's note and the round, and reaches the
 * post's event stream; an abnormal mark without it, and a normal mark with it, raise none; each such mark is its own
 * alarm and none is folded with a motion alarm of the same camera; a user of another post gets 404 and sees nothing;
 * acknowledging ends it (it has no end event) and is audited like any alarm.
 */
import { randomUUID } from 'node:crypto';
import { Topics, type CameraEventMessage } from '@tiergate/contracts';
import { districtCode, generateDistrict } from '@tiergate/domain';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { PartitionerModule } from '../../apps/partitioner/src/partitioner.module';
import { districtNodes, seedJurisdictions, userToken } from '../support/district.fixture';
import { startTestProcess, TestProcess } from '../support/harness';

jest.setTimeout(60_000);

const district = generateDistrict({ stations: 2, postsPerStation: 2, sizeKm: 2, seed: 16 });
const R = '210103';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs: number, everyMs = 25): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

/** The SSE frames of GET /api/events as they arrive. */
async function openEvents(url: string, token: string): Promise<{ events: { event: string; data: any }[]; close: () => void }> {
  const abort = new AbortController();
  const res = await fetch(`${url}/api/events`, { headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` }, signal: abort.signal });
  expect(res.status).toBe(200);
  const events: { event: string; data: any }[] = [];
  void (async () => {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = /^event: (.*)$/m.exec(frame)?.[1];
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (event && data !== undefined) events.push({ event, data: JSON.parse(data) });
        }
      }
    } catch {
      // closed
    }
  })();
  return { events, close: () => abort.abort() };
}

describe('patrol alarms: an abnormal mark that raises an alarm', () => {
  let tg: TestProcess;
  let admin: string;
  let officer: string;
  let otherPost: string;
  let cameraId: string;
  let otherCameraId: string;
  let roundId: string;
  let patrolAlarmId: string;
  const closers: (() => void)[] = [];
  let officerEvents: { event: string; data: any }[];
  let otherEvents: { event: string; data: any }[];
  const figures: Record<string, number> = {};

  const alarmsOf = async (token: string, query = '') => {
    const res = await tg.call('GET', `/api/alarms${query}`, { token });
    expect(res.status).toBe(200);
    return res.body as any[];
  };
  const mark = (body: object) => tg.call('POST', `/api/patrol/rounds/${roundId}/marks`, { token: officer, body });
  const patrolAlarms = async () => (await alarmsOf(admin, `?cameraId=${cameraId}`)).filter((a) => a.kind === 'patrol');

  beforeAll(async () => {
    tg = await startTestProcess({ name: 'patrol-alarm', modules: [PartitionerModule, GatewayModule], http: true });
    const ids = await seedJurisdictions(tg, districtNodes(district));
    const post11 = ids.get(districtCode(R, 1, 1))!;
    const post12 = ids.get(districtCode(R, 1, 2))!;
    admin = await tg.login();
    officer = await userToken(tg, admin, 'post11-officer', 'operator', post11);
    otherPost = await userToken(tg, admin, 'post12-viewer', 'viewer', post12);
    cameraId = randomUUID();
    otherCameraId = randomUUID();
    const ds = tg.running.infra.database.dataSource;
    await ds.query(`INSERT INTO cameras (id, name, "jurisdictionId", tags) VALUES ($1, 'kiosk-p11', $2, '{}'), ($3, 'lane-p12', $4, '{}')`, [cameraId, post11, otherCameraId, post12]);
    const route = await tg.call('POST', '/api/patrol/routes', { token: officer, body: { name: 'kiosk round', stops: [{ cameraId, dwellSeconds: 10 }, { cameraId, dwellSeconds: 10 }, { cameraId, dwellSeconds: 10 }], schedule: { kind: 'ad-hoc' } } });
    expect(route.status).toBe(201);
    const round = await tg.call('POST', '/api/patrol/rounds', { token: officer, body: { routeId: route.body.id } });
    expect(round.status).toBe(201);
    roundId = round.body.id;
    const a = await openEvents(tg.url, officer);
    const b = await openEvents(tg.url, otherPost);
    closers.push(a.close, b.close);
    officerEvents = a.events;
    otherEvents = b.events;
    await until('both event streams ready', async () => officerEvents.some((e) => e.event === 'ready') && otherEvents.some((e) => e.event === 'ready'), 5000);
  });

  afterAll(async () => {
    for (const close of closers) close();
    if (Object.keys(figures).length) console.log(`patrol alarm figures: ${JSON.stringify(figures)}`);
    await tg?.stop();
  });

  it('an abnormal mark with raiseAlarm is a patrol alarm of the camera in GET /api/alarms within 2 s, with the note and the round, and on the post stream', async () => {
    const t0 = Date.now();
    const res = await mark({ stopIndex: 0, cameraId, result: 'abnormal', note: '  the kiosk door is forced open  ', raiseAlarm: true });
    expect(res.status).toBe(200);
    expect(res.body.stops[0].marks[0]).toMatchObject({ result: 'abnormal', note: 'the kiosk door is forced open', snapshotUrl: `/api/cameras/${cameraId}/snapshot` });
    const [alarm] = await until('the patrol alarm', async () => { const l = (await alarmsOf(officer, `?cameraId=${cameraId}`)).filter((a) => a.kind === 'patrol'); return l.length > 0 && l; }, 2000);
    figures.markToAlarmListedMs = Date.now() - t0;
    expect(alarm).toMatchObject({
      cameraId,
      cameraName: 'kiosk-p11',
      kind: 'patrol',
      state: 'new',
      active: true,
      endedAt: null,
      count: 1,
      note: null,
      patrol: { roundId, stopIndex: 0, note: 'the kiosk door is forced open', markedBy: 'post11-officer', snapshotUrl: `/api/cameras/${cameraId}/snapshot` },
    });
    expect(new Date(alarm.startedAt).getTime()).toBe(new Date(res.body.stops[0].marks[0].markedAt).getTime());
    patrolAlarmId = alarm.id;
    expect((await tg.call('GET', `/api/alarms/${alarm.id}`, { token: officer })).body).toEqual(alarm);

    const pushed = await until('the alarm event on the post stream', async () => officerEvents.find((e) => e.event === 'alarm' && e.data.id === alarm.id), 2000);
    figures.markToEventMs = Date.now() - t0;
    expect(pushed.data).toMatchObject({ cameraId, kind: 'patrol', state: 'new', active: true, change: 'created' });

    const audit = await tg.call('GET', `/api/audit?action=patrol-round.mark&targetId=${roundId}`, { token: admin });
    expect(audit.status).toBe(200);
    expect(audit.body).toHaveLength(1);
    expect(audit.body[0]).toMatchObject({ actorName: 'post11-officer', details: { stopIndex: 0, cameraId, result: 'abnormal', raiseAlarm: true } });
  });

  it('an abnormal mark without raiseAlarm, or a normal mark with it, raises none; a raiseAlarm that is not a boolean is 400', async () => {
    expect((await mark({ stopIndex: 1, cameraId, result: 'abnormal', note: 'a bag left by the kiosk' })).status).toBe(200);
    expect((await mark({ stopIndex: 1, cameraId, result: 'abnormal', note: 'a bag left by the kiosk', raiseAlarm: false })).status).toBe(200);
    expect((await mark({ stopIndex: 2, cameraId, result: 'normal', raiseAlarm: true })).status).toBe(200);
    expect((await mark({ stopIndex: 2, cameraId, result: 'abnormal', raiseAlarm: 'yes' })).status).toBe(400);
    await sleep(1000);
    expect((await patrolAlarms()).map((a) => a.id)).toEqual([patrolAlarmId]);
    expect(officerEvents.filter((e) => e.event === 'alarm').map((e) => e.data.id)).toEqual([patrolAlarmId]);
  });

  it('each abnormal mark with raiseAlarm is its own alarm, and a motion alarm of the same camera is not folded with them', async () => {
    const again = await mark({ stopIndex: 1, cameraId, result: 'abnormal', note: 'the bag is still there', raiseAlarm: true });
    expect(again.status).toBe(200);
    const two = await until('the second patrol alarm', async () => { const l = await patrolAlarms(); return l.length === 2 && l; }, 2000);
    expect(two[0]).toMatchObject({ count: 1, state: 'new', active: true, patrol: { roundId, stopIndex: 1, note: 'the bag is still there' } });
    expect(two[1].id).toBe(patrolAlarmId);

    const motion: CameraEventMessage = { eventId: randomUUID(), kind: 'motion', state: true, at: new Date().toISOString(), topic: 'tns1:VideoSource/MotionAlarm' };
    await tg.running.infra.bus.publish(Topics.cameraEvent(cameraId), motion, { qos: 1 });
    const all = await until('the motion alarm', async () => { const l = await alarmsOf(admin, `?cameraId=${cameraId}`); return l.some((a) => a.kind === 'motion') && l; }, 2000);
    expect(all.map((a) => [a.kind, a.count])).toEqual([['motion', 1], ['patrol', 1], ['patrol', 1]]);
    expect(all.find((a) => a.kind === 'motion').patrol).toBeNull();
  });

  it('a user of another post cannot see it: 404 exactly as a missing alarm, not in lists, not on its stream', async () => {
    const missing = await tg.call('GET', '/api/alarms/00000000-0000-4000-8000-000000000000', { token: otherPost });
    const hidden = await tg.call('GET', `/api/alarms/${patrolAlarmId}`, { token: otherPost });
    expect(hidden.status).toBe(404);
    expect(hidden.body).toEqual(missing.body);
    expect((await tg.call('POST', `/api/alarms/${patrolAlarmId}/ack`, { token: otherPost, body: { note: 'not mine' } })).status).toBe(404);
    expect(await alarmsOf(otherPost)).toEqual([]);
    expect(await alarmsOf(otherPost, `?cameraId=${cameraId}`)).toEqual([]);
    expect(otherEvents.filter((e) => e.event === 'alarm')).toEqual([]);
  });

  it('acknowledging ends a patrol alarm (it has no end event), once, audited like any alarm', async () => {
    const res = await tg.call('POST', `/api/alarms/${patrolAlarmId}/ack`, { token: officer, body: { note: 'station informed, car sent' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: patrolAlarmId, kind: 'patrol', state: 'acknowledged', active: false, acknowledgedBy: 'post11-officer', note: 'station informed, car sent', patrol: { note: 'the kiosk door is forced open' } });
    expect(res.body.endedAt).toBe(res.body.acknowledgedAt);
    expect((await tg.call('POST', `/api/alarms/${patrolAlarmId}/ack`, { token: officer, body: {} })).status).toBe(409);
    // the other patrol alarm is still active: nothing but its acknowledgement ends it
    expect((await patrolAlarms()).filter((a) => a.id !== patrolAlarmId)).toEqual([expect.objectContaining({ state: 'new', active: true })]);
    const audit = await tg.call('GET', `/api/audit?action=alarm.acknowledge&targetId=${cameraId}`, { token: admin });
    expect(audit.body).toHaveLength(1);
    expect(audit.body[0]).toMatchObject({ actorName: 'post11-officer', targetType: 'camera', details: { alarmId: patrolAlarmId, kind: 'patrol', note: 'station informed, car sent' } });
    await until('the acknowledgement on the post stream', async () => officerEvents.find((e) => e.event === 'alarm' && e.data.id === patrolAlarmId && e.data.change === 'acknowledged'), 2000);
  });
});
