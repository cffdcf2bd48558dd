import { Commands, Topics } from '../topics';
import { payloadProblem } from './message';
import { commandOfTopic, eventOfTopic } from './registry';

const at = new Date().toISOString();
const uuid = '6f1c0a52-3c1e-4d39-9b7e-2f7f2f0d3c11';
const event = (topic: string, payload: unknown) => payloadProblem(eventOfTopic(topic)!.payload, payload);
const request = (topic: string, payload: unknown) => payloadProblem(commandOfTopic(topic)!.request, payload);
const reply = (topic: string, payload: unknown) => payloadProblem(commandOfTopic(topic)!.reply, payload);

describe('message contracts', () => {
  it('accept what our own publishers send (CONTRACT.md topics and the internal ones)', () => {
    expect(event(Topics.cameraStatus(uuid), { status: 'online', at })).toBeUndefined();
    expect(event(Topics.cameraStatus(uuid), { status: 'unauthorized', at, reason: 'the camera refused the credentials' })).toBeUndefined();
    expect(event(Topics.sweepProgress(uuid), { progress: 0.25, found: 3 })).toBeUndefined();
    expect(event(Topics.sweepProgress(uuid), { progress: 1, found: 0 })).toBeUndefined();
    expect(event(Topics.streamState(uuid, 'main'), { state: 'failed', workerId: 'worker-1', at, reason: 'CAMERA_UNREACHABLE' })).toBeUndefined();
    const heartbeat = { workerId: 'w-1', baseUrl: 'http://127.0.0.1:8090', capacity: 16, load: 0.5, sessions: [{ cameraId: uuid, profile: 'main', state: 'ready' }], at };
    expect(event(Topics.workerHeartbeat('w-1'), heartbeat)).toBeUndefined();
    expect(event(Topics.workerHeartbeat('w-1'), { ...heartbeat, ffmpeg: { version: '5.1.9', libavformat: '59.27.100', family: '5.x', source: 'path' } })).toBeUndefined();
    expect(event(Topics.hotspotEvent(uuid), { jurisdictionId: uuid, kind: 'new', cell: { x: -12, y: 40, count: 3, z: 2.7 }, at })).toBeUndefined();
    expect(event(Topics.jurisdictionsChanged, { reason: 'import', at })).toBeUndefined();
    expect(event(Topics.camerasChanged, { change: 'imported', cameraIds: [uuid], count: 1200, at })).toBeUndefined();
    expect(event(Topics.userChanged(uuid), { userId: uuid, at })).toBeUndefined();
    // a newer sender's extra field is no reason to refuse
    expect(event(Topics.cameraStatus(uuid), { status: 'offline', at, since: at })).toBeUndefined();
  });

  it('refuse malformed events, naming the field', () => {
    expect(event(Topics.cameraStatus(uuid), { status: 'melted', at })).toMatch(/^status: /);
    expect(event(Topics.sweepProgress(uuid), { progress: 2, found: 1 })).toMatch(/^progress: /);
    expect(event(Topics.streamState(uuid, 'main'), { state: 'ready', at })).toMatch(/workerId/);
    expect(event(Topics.workerHeartbeat('w'), { workerId: 'w', baseUrl: 'x', capacity: 1, load: 0, sessions: [{ cameraId: 1 }], at })).toMatch(/sessions\.0\.cameraId/);
    expect(event(Topics.cameraStatus(uuid), null)).toMatch(/JSON object/);
    expect(event(Topics.cameraStatus(uuid), [])).toMatch(/JSON object/);
  });

  it('check command requests and replies', () => {
    const sweep = { sweepId: uuid, params: { cidr: '10.0.0.0/24', multicast: false, ports: [80, 8080] }, createdBy: uuid };
    expect(request(Commands.sweepStart, sweep)).toBeUndefined();
    expect(request(Commands.sweepStart, { ...sweep, createdBy: null, params: { multicast: true, ports: [80] } })).toBeUndefined();
    expect(request(Commands.sweepStart, { ...sweep, sweepId: "1' OR 1=1" })).toMatch(/^sweepId: /);
    expect(request(Commands.sweepStart, { ...sweep, params: { multicast: false, ports: [0] } })).toMatch(/params\.ports/);
    expect(reply(Commands.sweepStart, { accepted: true })).toBeUndefined();
    const ensure = { cameraId: uuid, profile: 'sub', sourceSealed: 's1.a.b.c', transcode: true, continueFrom: { mediaSequence: 7, discontinuitySequence: 1 } };
    expect(request(Commands.streamEnsure('w-1'), ensure)).toBeUndefined();
    expect(request(Commands.streamEnsure('w-1'), { ...ensure, profile: 'hd' })).toMatch(/^profile: /);
    expect(request(Commands.streamEnsure('w-1'), { ...ensure, continueFrom: { mediaSequence: -1, discontinuitySequence: 0 } })).toMatch(/continueFrom\.mediaSequence/);
    expect(reply(Commands.streamEnsure('w-1'), { ok: false, workerId: 'w-1', code: 'CAMERA_UNREACHABLE', message: 'no answer' })).toBeUndefined();
    const actor = { userId: uuid, username: 'script', role: 'admin', jurisdictionId: null };
    expect(request(Commands.jurisdictionsImport, { actor, featureCollection: { type: 'FeatureCollection', features: [] } })).toBeUndefined();
    expect(request(Commands.jurisdictionsDelete, { actor: { ...actor, jurisdictionId: 7 }, id: uuid })).toMatch(/actor\.jurisdictionId/);
    expect(commandOfTopic(`${Commands.sweepStart}/x`)).toBeUndefined();
  });
});
