import { spawn, spawnSync } from 'node:child_process';
import { createSocket, Socket } from 'node:dgram';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { Topics } from '@tiergate/contracts';
import { buildProbeMatches, parseProbe } from '@tiergate/onvif';
import { Fleet, startCameraFleet } from '../apps/camera-sim/src';
import { DiscoveryModule } from '../apps/discovery/src/discovery.module';
import { HealthMonitor } from '../apps/discovery/src/health/health.monitor';
import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { startTestProcess, TestProcess } from './support/harness';

// Embedded and external runs may overlap: each sweeps its own loopback /24 that only this file uses.
const BLOCK = process.env.TIERGATE_TEST_MODE === 'external' ? 13 : 3;
const NET = `127.0.${BLOCK}`;
const PASSWORD = 'sim-pass';
const HEALTH_PERIOD_S = 2;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await sleep(100);
  }
}

/** A hostile neighbour on UDP 3702: answers every datagram with garbage, a lookalike with a wrong RelatesTo, and a huge packet. */
async function startHostileResponder(host: string): Promise<Socket> {
  const s = createSocket('udp4');
  s.on('message', (msg, rinfo) => {
    let probeId = 'urn:uuid:00000000-0000-0000-0000-000000000000';
    try {
      probeId = parseProbe(msg)?.messageId ?? probeId;
    } catch {
      // ignore
    }
    const lookalike = buildProbeMatches({
      relatesTo: 'urn:uuid:not-your-probe',
      matches: [{ endpointReference: 'urn:uuid:evil', types: ['dn:NetworkVideoTransmitter'], scopes: [], xaddrs: [`http://${host}/onvif/device_service`], metadataVersion: 1 }],
    });
    for (const reply of ['not xml at all', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>', lookalike, 'A'.repeat(60000), `<soap:Envelope><soap:Body><ProbeMatches>${probeId}`]) {
      s.send(reply, rinfo.port, rinfo.address, () => undefined);
    }
  });
  await new Promise<void>((resolve) => s.bind(3702, host, () => resolve()));
  return s;
}

describe('discovery: sweeps and health', () => {
  let tg: TestProcess;
  let fleet: Fleet;
  let silent: Fleet;
  let hostile: Socket;
  let admin: string;
  let health: HealthMonitor;
  let ds: DataSource;
  const progress: { topic: string; payload: { progress: number; found: number } }[] = [];
  const statuses: { topic: string; payload: { status: string; at: string; reason?: string } }[] = [];

  beforeAll(async () => {
    fleet = await startCameraFleet({ count: 4, firstAddress: `${NET}.10`, password: PASSWORD, labelPerCamera: false });
    // Answers ONVIF over HTTP but not WS-Discovery on 3702: found by the HTTP fallback.
    silent = await startCameraFleet({ count: 1, firstAddress: `${NET}.50`, password: PASSWORD, discoveryPort: 13702, rtspPort: 8555, labelPerCamera: false });
    hostile = await startHostileResponder(`${NET}.60`);
    tg = await startTestProcess(
      { name: 'discovery-test', modules: [DiscoveryModule, GatewayModule], http: true },
      { 'discovery.probeTimeoutMs': 750, 'discovery.concurrency': 128, 'discovery.ports': [8080], 'health.intervalSeconds': HEALTH_PERIOD_S, 'health.timeoutMs': 1500 },
    );
    admin = await tg.login();
    health = tg.running.app.get(HealthMonitor, { strict: false });
    ds = tg.running.app.get(DataSource, { strict: false });
    await tg.running.infra.bus.subscribe('tiergate/v1/discovery/sweeps/+/progress', (topic, payload) => progress.push({ topic, payload: payload as never }));
    await tg.running.infra.bus.subscribe(Topics.cameraStatusAll, (topic, payload) => statuses.push({ topic, payload: payload as never }));
  });
  afterAll(async () => {
    await tg?.stop();
    await fleet?.stop();
    await silent?.stop();
    await new Promise<void>((r) => (hostile ? hostile.close(() => r()) : r()));
  });

  let sweepId: string;

  it('sweeps a /24 by unicast and finds exactly the simulated cameras', async () => {
    const t0 = Date.now();
    const start = await tg.call('POST', '/api/discovery/sweeps', { token: admin, body: { cidr: `${NET}.0/24`, ports: [8080] } });
    expect(start.status).toBe(202);
    sweepId = start.body.id;
    const done = await until(() => tg.call('GET', `/api/discovery/sweeps/${sweepId}`, { token: admin }), (r) => r.body.state !== 'running', 25_000);
    expect(done.body).toMatchObject({ id: sweepId, state: 'done', progress: 1 });
    expect(Date.now() - t0).toBeLessThan(25_000);
    const found = [...done.body.found].sort((a, b) => a.host.localeCompare(b.host));
    const expected = [
      ...fleet.cameras.map((c) => ({ endpoint: c.endpointReference, host: c.host, port: 8080, xaddr: c.onvifUrl, model: 'SimCam 1000' })),
      { endpoint: silent.cameras[0].onvifUrl, host: silent.cameras[0].host, port: 8080, xaddr: silent.cameras[0].onvifUrl },
    ].sort((a, b) => a.host.localeCompare(b.host));
    expect(found.map(({ scopes: _s, ...f }: { scopes: string[] }) => f)).toEqual(expected);
    expect(found[0].scopes).toContain('onvif://www.onvif.org/Profile/Streaming');
    await sleep(200);
    const mine = progress.filter((p) => p.topic === Topics.sweepProgress(sweepId));
    expect(mine.length).toBeGreaterThan(0);
    expect(mine[mine.length - 1].payload).toEqual({ progress: 1, found: 5 });
    expect(mine.every((p, i) => i === 0 || p.payload.progress >= mine[i - 1].payload.progress)).toBe(true);
  });

  it('refuses ranges larger than /16, bad CIDRs, and multicast when it is not configured', async () => {
    const big = await tg.call('POST', '/api/discovery/sweeps', { token: admin, body: { cidr: '10.0.0.0/15' } });
    expect(big.status).toBe(400);
    expect(big.body.code).toBe('RANGE_TOO_LARGE');
    const bad = await tg.call('POST', '/api/discovery/sweeps', { token: admin, body: { cidr: '10.0.0.300/24' } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/cidr/);
    const multicast = await tg.call('POST', '/api/discovery/sweeps', { token: admin, body: { multicast: true } });
    expect(multicast.status).toBe(400);
    expect(multicast.body.message).toMatch(/multicast.*off/);
    expect((await tg.call('GET', '/api/discovery/sweeps/00000000-0000-4000-8000-000000000000', { token: admin })).status).toBe(404);
  });

  it('adds the findings of a sweep and marks them with their camera ids', async () => {
    const res = await tg.call('POST', '/api/cameras/from-sweep', { token: admin, body: { sweepId, username: 'admin', password: PASSWORD, tags: ['swept'] } });
    expect(res.status).toBe(201);
    expect(res.body.errors).toEqual([]);
    expect(res.body.created).toHaveLength(5);
    expect(res.text).not.toContain(PASSWORD);
    const named = res.body.created.find((c: { onvif: { host: string } }) => c.onvif.host === fleet.cameras[0].host);
    expect(named).toMatchObject({ name: fleet.cameras[0].name, endpointReference: fleet.cameras[0].endpointReference, status: 'online' });
    const again = await tg.call('GET', `/api/discovery/sweeps/${sweepId}`, { token: admin });
    const ids = new Set(res.body.created.map((c: { id: string }) => c.id));
    expect(again.body.found.every((f: { cameraId?: string }) => f.cameraId && ids.has(f.cameraId))).toBe(true);
    const twice = await tg.call('POST', '/api/cameras/from-sweep', { token: admin, body: { sweepId, username: 'admin', password: PASSWORD } });
    expect(twice.body.created).toEqual([]);
  });

  it('follows a camera going offline and back within one check period, publishing each change retained', async () => {
    const cam = fleet.cameras[1];
    const [{ id }] = await ds.query(`SELECT id FROM cameras WHERE "onvifHost" = $1`, [cam.host]);
    const statusOf = async () => (await tg.call('GET', `/api/cameras/${id}`, { token: admin })).body;
    expect((await statusOf()).status).toBe('online');
    await cam.goOffline();
    const off = await until(statusOf, (c) => c.status === 'offline', HEALTH_PERIOD_S * 1000 + 3000);
    expect(off.status).toBe('offline');
    expect(off.statusReason).toMatch(/unreachable/);
    await cam.goOnline();
    const on = await until(statusOf, (c) => c.status === 'online', HEALTH_PERIOD_S * 1000 + 3000);
    expect(on.status).toBe('online');
    expect(new Date(on.lastSeenAt).getTime()).toBeGreaterThan(new Date(off.statusCheckedAt).getTime());
    // the status is written, then published: the message may arrive a moment after the row changed
    const statusesOf = async () => statuses.filter((s) => s.topic === Topics.cameraStatus(id)).map((s) => s.payload.status as string);
    const mine = await until(statusesOf, (m) => m.includes('offline') && m.includes('online'), 3000);
    expect(mine).toEqual(expect.arrayContaining(['offline', 'online']));
    expect(mine.filter((s, i) => i > 0 && s === mine[i - 1])).toEqual([]); // changes only
    // Retained: a late subscriber gets the last status at once.
    const late: unknown[] = [];
    const unsubscribe = await tg.running.infra.bus.subscribe(Topics.cameraStatus(id), (_t, p) => late.push(p));
    await until(async () => late.length, (n) => n > 0, 2000);
    await unsubscribe();
    expect(late[0]).toMatchObject({ status: 'online' });
  });

  it('reports wrong ONVIF credentials as unauthorized, and checks RTSP-only cameras with Digest', async () => {
    const cam = fleet.cameras[2];
    const [{ id }] = await ds.query(`SELECT id FROM cameras WHERE "onvifHost" = $1`, [cam.host]);
    await tg.call('PATCH', `/api/cameras/${id}`, { token: admin, body: { credentials: { username: 'admin', password: 'wrong-now' } } });
    expect((await health.checkNow(id)).get(id)).toMatchObject({ status: 'unauthorized' });
    expect((await tg.call('GET', `/api/cameras/${id}`, { token: admin })).body).toMatchObject({ status: 'unauthorized' });

    const withCreds = cam.subRtspUrl.replace('rtsp://', `rtsp://admin:${PASSWORD}@`);
    const rtsp = await tg.call('POST', '/api/cameras', { token: admin, body: { name: 'rtsp ok', rtspUrl: withCreds } });
    const wrong = await tg.call('POST', '/api/cameras', { token: admin, body: { name: 'rtsp wrong', rtspUrl: cam.mainRtspUrl.replace('rtsp://', 'rtsp://admin:bad@') } });
    const gone = await tg.call('POST', '/api/cameras', { token: admin, body: { name: 'rtsp gone', rtspUrl: `rtsp://${NET}.240:8554/main` } });
    expect((await health.checkNow(rtsp.body.id)).get(rtsp.body.id)).toEqual({ status: 'online' });
    expect((await health.checkNow(wrong.body.id)).get(wrong.body.id)).toMatchObject({ status: 'unauthorized' });
    expect((await health.checkNow(gone.body.id)).get(gone.body.id)).toMatchObject({ status: 'offline', reason: expect.stringMatching(/unreachable/) });
    const views = await Promise.all([rtsp, wrong, gone].map((r) => tg.call('GET', `/api/cameras/${r.body.id}`, { token: admin })));
    expect(views.map((v) => v.body.status)).toEqual(['online', 'unauthorized', 'offline']);
    expect(views.map((v) => v.text).join('')).not.toMatch(/sim-pass|admin:bad/);
  });

  it('checks imported cameras soon after the import (imports do not probe)', async () => {
    const c = fleet.cameras[3];
    await ds.query(`DELETE FROM cameras WHERE "onvifHost" = $1`, [c.host]);
    const csv = `name,lat,lon,tags,onvif_host,onvif_port,username,password,rtsp_url\nimported,,,,${c.host},8080,admin,${PASSWORD},\n`;
    const res = await tg.call('POST', '/api/cameras/import', { token: admin, raw: csv });
    expect(res.status).toBe(201);
    const [{ id }] = await ds.query(`SELECT id FROM cameras WHERE "onvifHost" = $1`, [c.host]);
    const view = await until(() => tg.call('GET', `/api/cameras/${id}`, { token: admin }), (r) => r.body.status === 'online', 5000);
    expect(view.body.status).toBe('online');
  });

  const netnsWorks = spawnSync('unshare', ['-n', 'true']).status === 0;
  (netnsWorks ? it : it.skip)('finds cameras by WS-Discovery multicast inside a network namespace', async () => {
    const root = join(__dirname, '..');
    const child = spawn(
      'unshare',
      ['-n', 'sh', '-c', 'ip link set lo up && ip link set lo multicast on && ip route add 224.0.0.0/4 dev lo && exec node -r ./test/support/ts-register.js test/discovery/multicast-netns.script.ts'],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(timer);
    expect({ code, err: err.slice(-500) }).toEqual({ code: 0, err: '' });
    const result = JSON.parse(out.trim().split('\n').pop()!);
    expect(result.found.map((f: { endpoint: string; host: string }) => ({ endpoint: f.endpoint, host: f.host })).sort((a: { host: string }, b: { host: string }) => a.host.localeCompare(b.host))).toEqual(result.expected);
  });
});
