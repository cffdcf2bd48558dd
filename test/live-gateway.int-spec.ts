import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Repository } from 'typeorm';
import { SecretBox, StreamTokens } from '@tiergate/access';
import { CameraEntity } from '@tiergate/persistence';
import { startCameraFleet, Fleet } from '../apps/camera-sim/src';
import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { TranscoderHost } from '../apps/transcoder/src/transcoder.host';
import { TranscoderModule } from '../apps/transcoder/src/transcoder.module';
import { startTestProcess, TestProcess } from './support/harness';
import { decodeVideo } from './support/media';

const timing = { 'transcoder.idleCloseMs': 3000, 'transcoder.heartbeatMs': 300, 'transcoder.workerStaleMs': 1500, 'transcoder.startTimeoutMs': 8000 };

describe('live video: simulated camera → transcoder worker → token-checked HLS', () => {
  let tg: TestProcess;
  let fleet: Fleet;
  let token: string;
  let cameraId: string;
  let otherCameraId: string;
  let deadCameraId: string;

  const get = (url: string) => fetch(url).then(async (r) => ({ status: r.status, body: Buffer.from(await r.arrayBuffer()) }));
  const workerHost = (p: TestProcess) => p.running.app.get(TranscoderHost);

  beforeAll(async () => {
    fleet = await startCameraFleet({ count: 2, firstAddress: '127.0.4.1' });
    tg = await startTestProcess({ name: 'live-test', modules: [GatewayModule, TranscoderModule], http: true }, timing);
    token = await tg.login();
    const repo = tg.running.infra.database.dataSource.getRepository(CameraEntity);
    const box = tg.running.app.get(SecretBox);
    const add = (name: string, rtspUrl: string) =>
      repo.save(repo.create({ name, rtspUrl, username: 'admin', passwordSealed: box.seal('sim-pass'), profiles: [], tags: [] })).then((c) => c.id);
    cameraId = await add('sim-1', fleet.cameras[0].mainRtspUrl);
    otherCameraId = await add('sim-2', fleet.cameras[1].mainRtspUrl);
    deadCameraId = await add('nobody', 'rtsp://127.0.4.250:8554/main');
  });
  afterAll(async () => {
    await tg?.stop();
    await fleet?.stop();
  });

  const live = (id: string, body: object = {}) => tg.call('POST', `/api/cameras/${id}/live`, { token, body });

  it('/api/health names each transcoder and the ffmpeg it runs (version and family probed at its start)', async () => {
    const res = await tg.call('GET', '/api/health');
    expect(res.status).toBe(200);
    expect(res.body.transcoders).toEqual([
      expect.objectContaining({ workerId: workerHost(tg).workerId, live: true, ffmpeg: expect.objectContaining({ version: expect.any(String), family: expect.stringMatching(/^[4-8]\.x$/), libavformat: expect.stringMatching(/^\d+\.\d+\.\d+$/) }) }),
    ]);
  });

  it('answers a playable HLS URL whose playlist and segments decode to real frames', async () => {
    const res = await live(cameraId);
    expect(res.status).toBe(200);
    expect(new Date(res.body.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const playlist = await get(res.body.hlsUrl);
    expect(playlist.status).toBe(200);
    const text = playlist.body.toString();
    expect(text).toMatch(/#EXTM3U/);
    const segment = text.split('\n').find((l) => l && !l.startsWith('#'))!;
    expect(segment).toMatch(/token=/);
    // a player with nothing but the URL decodes the live playlist through the gateway…
    const viaPlaylist = await decodeVideo(res.body.hlsUrl, 30);
    expect(viaPlaylist).toEqual(expect.objectContaining({ width: 1280, height: 720, frames: 30 }));
    expect(viaPlaylist.distinctFrames).toBeGreaterThan(20);
    // …and a segment fetched with the same token holds real frames of the moving test pattern.
    const seg = await get(new URL(segment, res.body.hlsUrl).toString());
    expect(seg.status).toBe(200);
    const dir = mkdtempSync(join(tmpdir(), 'tg-seg-'));
    try {
      writeFileSync(join(dir, 'seg.ts'), seg.body);
      const decoded = await decodeVideo(join(dir, 'seg.ts'), 100);
      expect(decoded.frames).toBeGreaterThanOrEqual(10);
      expect(decoded.distinctFrames).toBeGreaterThan(decoded.frames / 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shares one session among ten viewers', async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, () => live(otherCameraId)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    const sessions = workerHost(tg).worker!.sessionStates().filter((s) => s.cameraId === otherCameraId);
    expect(sessions).toHaveLength(1);
    expect(sessions[0].generation).toBe(1);
  });

  it('refuses a wrong, foreign or missing token on playlist and segment alike', async () => {
    const res = await live(cameraId);
    const url = new URL(res.body.hlsUrl);
    const playlist = (await get(url.toString())).body.toString();
    const segment = playlist.split('\n').find((l) => l && !l.startsWith('#'))!.split('?')[0];
    const foreign = new URL((await live(otherCameraId)).body.hlsUrl).searchParams.get('token')!;
    for (const file of ['index.m3u8', segment]) {
      const base = `${url.origin}/hls/${cameraId}/main/${file}`;
      expect((await get(base)).status).toBe(404);
      expect((await get(`${base}?token=garbage`)).status).toBe(404);
      expect((await get(`${base}?token=${foreign}`)).status).toBe(404);
      expect((await get(`${url.origin}/hls/${cameraId}/sub/${file}?${url.searchParams}`)).status).toBe(404);
    }
  });

  it('refuses an expired token on playlist and segment', async () => {
    const res = await live(cameraId);
    const url = new URL(res.body.hlsUrl);
    const playlist = (await get(url.toString())).body.toString();
    const segment = playlist.split('\n').find((l) => l && !l.startsWith('#'))!.split('?')[0];
    const expired = tg.running.app.get(StreamTokens).issue('someone', cameraId, 'main', Date.now() - 3_600_000).token;
    for (const file of ['index.m3u8', segment]) {
      expect((await get(`${url.origin}/hls/${cameraId}/main/${file}?token=${expired}`)).status).toBe(404);
    }
  });

  it('answers 502 CAMERA_UNREACHABLE for a source that cannot be reached, within the start timeout', async () => {
    const started = Date.now();
    const res = await live(deadCameraId);
    expect([502, 504]).toContain(res.status);
    expect(['CAMERA_UNREACHABLE', 'STREAM_START_TIMEOUT']).toContain(res.body.code);
    expect(Date.now() - started).toBeLessThan(timing['transcoder.startTimeoutMs'] + 3000);
  });

  it('answers 404 for a camera id that does not exist, and the same for a camera out of scope', async () => {
    const missing = await live('00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    const square = { type: 'Polygon', coordinates: [[[123.4, 41.7], [123.5, 41.7], [123.5, 41.8], [123.4, 41.8], [123.4, 41.7]]] };
    const fc = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: 'P9', name: 'Post 9', tier: 'post', parentCode: null }, geometry: square }] };
    expect((await tg.call('POST', '/api/jurisdictions/import', { token, body: fc })).status).toBe(200);
    const post = ((await tg.call('GET', '/api/jurisdictions', { token })).body as { id: string; code: string }[]).find((j) => j.code === 'P9')!;
    expect((await tg.call('POST', '/api/users', { token, body: { username: 'post9', password: 'viewer-pass-9', role: 'viewer', jurisdictionId: post.id } })).status).toBe(201);
    const viewer = await tg.login('post9', 'viewer-pass-9');
    const outOfScope = await tg.call('POST', `/api/cameras/${cameraId}/live`, { token: viewer, body: {} });
    expect(outOfScope.status).toBe(404);
    expect(outOfScope.body).toEqual(missing.body);
  });

  it('closes the session after the idle time', async () => {
    const worker = workerHost(tg).worker!;
    await live(cameraId);
    // the POST may answer from the session it holds while that session's ffmpeg is restarting (a warm answer):
    // ready within a start time, then idle after the idle time
    const readyBy = Date.now() + timing['transcoder.startTimeoutMs'];
    while (Date.now() < readyBy && !worker.sessionStates().some((s) => s.cameraId === cameraId && s.state === 'ready')) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(worker.sessionStates().some((s) => s.cameraId === cameraId && s.state === 'ready')).toBe(true);
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && worker.sessionStates().some((s) => s.cameraId === cameraId && s.state !== 'idle')) {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(worker.sessionStates().filter((s) => s.cameraId === cameraId && s.state !== 'idle')).toEqual([]);
  });

  it('brings a killed worker’s session back on another worker while the viewer keeps asking', async () => {
    const second = await startTestProcess({ name: 'worker-2', modules: [TranscoderModule], http: false }, { ...timing, 'mqtt.url': tg.running.infra.mqttUrl });
    try {
      const res = await live(otherCameraId);
      expect(res.status).toBe(200);
      const holder = workerHost(tg).worker!.sessionStates().some((s) => s.cameraId === otherCameraId && s.state === 'ready') ? tg : second;
      const survivor = holder === tg ? second : tg;
      await workerHost(holder).stop({ announceLeave: false }); // the holder dies: no more heartbeats, ffmpeg reaped
      const deadline = Date.now() + 10_000;
      let status = 0;
      while (Date.now() < deadline) {
        status = (await get(res.body.hlsUrl)).status;
        if (status === 200) break;
        await new Promise((r) => setTimeout(r, 300));
      }
      expect(status).toBe(200);
      expect(workerHost(survivor).worker!.sessionStates().some((s) => s.cameraId === otherCameraId && s.state === 'ready')).toBe(true);
    } finally {
      await second.stop();
    }
  });
});
