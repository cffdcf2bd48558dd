/**
 * Live video through faults of the bus and of a worker, on the production layout in one test process:
 * a gateway, two transcoder workers and the broker's host as separate Nest processes, each TCP link
 * (gateway→broker, worker→broker, gateway→worker HTTP) through a relay the test can cut. Cutting a
 * worker's links and reaping its ffmpeg is what a killed worker looks like from the outside: connections
 * reset and refused, heartbeats gone. A viewer polls the playlist through the gateway and fetches each
 * new segment, like a player at the live edge.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'hls-parser';
import { Repository } from 'typeorm';
import { Topics } from '@tiergate/contracts';
import { MqttBus } from '@tiergate/messaging';
import { SecretBox } from '@tiergate/access';
import { CameraEntity } from '@tiergate/persistence';
import { startCameraFleet, Fleet } from '../apps/camera-sim/src';
import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { StreamPlacement } from '../apps/gateway/src/live/stream-placement.service';
import { WorkerDirectory } from '../apps/gateway/src/live/worker.directory';
import { PLAYLIST_DEADLINE_MS } from '../apps/gateway/src/live/worker-link';
import { TranscoderHost } from '../apps/transcoder/src/transcoder.host';
import { TranscoderModule } from '../apps/transcoder/src/transcoder.module';
import { startTestProcess, TestProcess } from './support/harness';
import { childrenOf } from './support/process-tree';
import { freePort, TcpRelay } from './support/tcp-relay';

jest.setTimeout(120_000);

const timing = { 'transcoder.idleCloseMs': 8000, 'transcoder.heartbeatMs': 300, 'transcoder.workerStaleMs': 1500, 'transcoder.startTimeoutMs': 8000 };
const NET = '127.0.61'; // this file's addresses: cameras .1-.2, workers' HTTP .11-.12 (relays .21-.22), bus relays .30-.32
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean | Promise<boolean>, ms: number, every = 100): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return true;
    await sleep(every);
  }
  return cond();
}

/** Every ffmpeg among this process's descendants. */
function ffmpegsBelow(pid: number): number[] {
  const found: number[] = [];
  const walk = (p: number) => {
    for (const c of childrenOf(p)) {
      try {
        if (readFileSync(`/proc/${c}/comm`, 'utf8').trim() === 'ffmpeg') found.push(c);
      } catch {
        /* gone */
      }
      walk(c);
    }
  };
  walk(pid);
  return found;
}

interface Attempt {
  at: number;
  kind: 'playlist' | 'segment';
  status: number; // 0: no HTTP answer
  ms: number;
}

/** A player at the live edge: polls the playlist, fetches every segment it has not fetched yet. */
class Viewer {
  readonly attempts: Attempt[] = [];
  /** When each new segment was fetched whole. */
  readonly segmentsAt: number[] = [];
  /** Each playlist's newest segment: media sequence and discontinuity sequence (what hls.js keys its timeline by). */
  readonly newest: { at: number; sn: number; dsn: number }[] = [];
  private readonly seen = new Set<string>();
  private running = true;
  private readonly loop: Promise<void>;

  constructor(private readonly url: string, private readonly everyMs = 400) {
    this.loop = this.run();
  }

  failuresSince(t: number): Attempt[] {
    return this.attempts.filter((a) => a.at >= t && a.status !== 200);
  }

  segmentsSince(t: number): number[] {
    return this.segmentsAt.filter((s) => s >= t);
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async get(url: string, kind: Attempt['kind']): Promise<{ status: number; body: Buffer }> {
    const at = Date.now();
    let status = 0;
    let body = Buffer.alloc(0);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(15_000) });
      body = Buffer.from(await res.arrayBuffer());
      status = res.status;
    } catch {
      status = 0;
    }
    this.attempts.push({ at, kind, status, ms: Date.now() - at });
    return { status, body };
  }

  private async run(): Promise<void> {
    let first = true;
    while (this.running) {
      const playlist = await this.get(this.url, 'playlist');
      if (playlist.status === 200) {
        const parsed = parse(playlist.body.toString('utf8'));
        const last = parsed.isMasterPlaylist ? undefined : parsed.segments.at(-1);
        if (last) this.newest.push({ at: Date.now(), sn: last.mediaSequenceNumber, dsn: last.discontinuitySequence });
        const uris = playlist.body.toString('utf8').split('\n').filter((l) => l && !l.startsWith('#'));
        // Start at the live edge like a player, then take every new segment in order.
        const fresh = uris.filter((u) => !this.seen.has(u.split('?')[0]!));
        for (const uri of first ? fresh.slice(-1) : fresh) {
          if (!this.running) break;
          const seg = await this.get(new URL(uri, this.url).toString(), 'segment');
          if (seg.status === 200 && seg.body.length > 0) {
            this.seen.add(uri.split('?')[0]!);
            this.segmentsAt.push(Date.now());
          }
        }
        if (first) for (const u of uris) this.seen.add(u.split('?')[0]!);
        first = false;
      }
      await sleep(this.everyMs);
    }
  }
}

describe('live video survives a broker outage and a killed worker', () => {
  let fleet: Fleet;
  let busHost: TestProcess;
  let gateway: TestProcess;
  let gatewayBus: TcpRelay;
  const workers: { id: string; process: TestProcess; http: TcpRelay; bus: TcpRelay }[] = [];
  let token: string;
  let cameraA: string;
  let cameraB: string;
  let cameraC: string;

  const live = (id: string) => gateway.call('POST', `/api/cameras/${id}/live`, { token, body: {} });
  const directory = () => gateway.running.app.get(WorkerDirectory);
  const holderOf = (cameraId: string) => gateway.running.app.get(StreamPlacement).holderFor(cameraId, 'main')?.workerId;
  const workerNamed = (id: string) => workers.find((w) => w.id === id)!;
  const runs = (w: (typeof workers)[number], cameraId: string) =>
    w.process.running.app.get(TranscoderHost).worker?.sessionStates().some((s) => s.cameraId === cameraId && s.state === 'ready') ?? false;

  async function startWorker(n: number, brokerUrl: string): Promise<void> {
    const id = `fo-w${n}`;
    const httpHost = `${NET}.${10 + n}`;
    const httpPort = await freePort(httpHost);
    const http = await TcpRelay.start({ host: httpHost, port: httpPort }, `${NET}.${20 + n}`);
    const bus = await TcpRelay.inFrontOf(brokerUrl, `${NET}.${30 + n}`);
    const process = await startTestProcess(
      { name: id, modules: [TranscoderModule], http: false },
      { ...timing, 'transcoder.workerId': id, 'transcoder.httpHost': httpHost, 'transcoder.httpPort': httpPort, 'transcoder.publicUrl': `http://${http.host}:${http.port}`, 'mqtt.url': bus.url },
    );
    workers.push({ id, process, http, bus: bus.relay });
  }

  beforeAll(async () => {
    fleet = await startCameraFleet({ count: 3, firstAddress: `${NET}.1` });
    // The broker's host: the embedded broker in embedded mode, the real one (MQTT_URL) in external mode.
    busHost = await startTestProcess({ name: 'fo-bus', modules: [], http: false });
    const brokerUrl = busHost.running.infra.mqttUrl;
    const front = await TcpRelay.inFrontOf(brokerUrl, `${NET}.30`);
    gatewayBus = front.relay;
    gateway = await startTestProcess({ name: 'fo-gateway', modules: [GatewayModule], http: true }, { ...timing, 'mqtt.url': front.url });
    await startWorker(1, brokerUrl);
    await startWorker(2, brokerUrl);
    token = await gateway.login();
    const repo = gateway.running.infra.database.dataSource.getRepository(CameraEntity);
    const box = gateway.running.app.get(SecretBox);
    const add = (name: string, rtspUrl: string) =>
      repo.save(repo.create({ name, rtspUrl, username: 'admin', passwordSealed: box.seal('sim-pass'), profiles: [], tags: [] })).then((c) => c.id);
    cameraA = await add('fo-1', fleet.cameras[0]!.mainRtspUrl);
    cameraB = await add('fo-2', fleet.cameras[1]!.mainRtspUrl);
    cameraC = await add('fo-3', fleet.cameras[2]!.mainRtspUrl);
    expect(await until(() => workers.every((w) => directory().isLive(w.id)), 10_000)).toBe(true);
  });

  afterAll(async () => {
    // Links back first, so every process shuts down cleanly.
    for (const r of [gatewayBus, ...workers.flatMap((w) => [w.http, w.bus])]) await r?.restore();
    await gateway?.stop();
    for (const w of workers) await w.process.stop();
    await busHost?.stop();
    for (const r of [gatewayBus, ...workers.flatMap((w) => [w.http, w.bus])]) await r?.close();
    await fleet?.stop();
    expect(ffmpegsBelow(process.pid)).toEqual([]);
  });

  it('keeps playing with no failed request through a 10 s broker outage; the held camera opens again, a new one fails fast', async () => {
    const opened = await live(cameraA);
    expect(opened.status).toBe(200);
    const holder = holderOf(cameraA)!;
    expect(holder).toBeDefined();
    const viewer = new Viewer(opened.body.hlsUrl);
    try {
      expect(await until(() => viewer.segmentsAt.length >= 2, 10_000)).toBe(true);

      await gatewayBus.cut();
      const outage = Date.now();
      // The gateway hears no heartbeat any more: by heartbeat age every worker is stale.
      // (the other worker's last heartbeat may be up to one interval younger than the holder's: wait for both)
      expect(await until(() => workers.every((w) => !directory().isLive(w.id)), 6000)).toBe(true);

      // A new viewer of the camera being played is served by the worker that holds it, asked over HTTP…
      const t0 = Date.now();
      const again = await live(cameraA);
      expect(again.status).toBe(200);
      expect(Date.now() - t0).toBeLessThan(3000);
      expect((await fetch(again.body.hlsUrl)).status).toBe(200);
      // …while a camera nobody plays cannot be started without the bus, and says so at once.
      const t1 = Date.now();
      const fresh = await live(cameraC);
      expect(fresh.status).toBe(503);
      expect(fresh.body.code).toBe('SERVICE_UNAVAILABLE');
      expect(Date.now() - t1).toBeLessThan(3000);

      await sleep(Math.max(0, 10_500 - (Date.now() - outage)));
      expect(viewer.failuresSince(outage)).toEqual([]);
      // Segments kept coming all along (1 s segments: about one a second).
      expect(viewer.segmentsSince(outage).length).toBeGreaterThanOrEqual(7);
      expect(holderOf(cameraA)).toBe(holder);
    } finally {
      await gatewayBus.restore();
      await viewer.stop();
    }
    expect(await until(() => workers.every((w) => directory().isLive(w.id)), 10_000)).toBe(true);
  });

  it('keeps delivering from a worker whose heartbeat was withdrawn (the broker publishing last wills as it stops) while it answers HTTP', async () => {
    const opened = await live(cameraA);
    expect(opened.status).toBe(200);
    const holder = workerNamed(holderOf(cameraA)!);
    const viewer = new Viewer(opened.body.hlsUrl);
    try {
      expect(await until(() => viewer.segmentsAt.length >= 2, 10_000)).toBe(true);
      // What Mosquitto does when it shuts down: every client's last will, here the holder's empty retained
      // heartbeat (its own heartbeats held back meanwhile, as they would be with the broker going)…
      holder.bus.freeze();
      await gateway.running.app.get(MqttBus).clearRetained(Topics.workerHeartbeat(holder.id));
      expect(await until(() => directory().isWithdrawn(holder.id), 3000)).toBe(true);
      // …then the broker is gone
      await gatewayBus.cut();
      holder.bus.thaw();
      const at = Date.now();
      expect(directory().isLive(holder.id)).toBe(false); // no new placements there
      await sleep(4000);
      expect(viewer.failuresSince(at)).toEqual([]);
      expect(viewer.segmentsSince(at).length).toBeGreaterThanOrEqual(3);
      expect(holderOf(cameraA)).toBe(holder.id);
      expect(directory().isDead(holder.id)).toBe(false);
    } finally {
      await gatewayBus.restore();
      await viewer.stop();
    }
    expect(await until(() => directory().isLive(holder.id), 10_000)).toBe(true);
  });

  it('moves the streams of a hung worker (connections accepted, nothing answered) at the response deadline', async () => {
    const opened = await live(cameraC);
    expect(opened.status).toBe(200);
    const victim = workerNamed(holderOf(cameraC)!);
    const survivor = workers.find((w) => w !== victim)!;
    expect(directory().isLive(survivor.id)).toBe(true);
    const viewer = new Viewer(opened.body.hlsUrl, 250);
    try {
      expect(await until(() => viewer.segmentsAt.length >= 3, 10_000)).toBe(true);
      // SIGSTOP as the network sees it: its HTTP server and its broker link take bytes and answer nothing
      victim.http.freeze();
      victim.bus.freeze();
      const hung = Date.now();
      expect(await until(() => viewer.segmentsSince(hung).length >= 3, 10_000)).toBe(true);
      const gapMs = viewer.segmentsSince(hung)[0]! - hung;
      const slowest = Math.max(...viewer.attempts.filter((a) => a.at >= hung).map((a) => a.ms));
      process.stdout.write(`hung worker: viewer's first new segment after ${gapMs} ms, slowest request ${slowest} ms, failed ${viewer.failuresSince(hung).length}\n`);
      // found hung at the playlist deadline, then a stream start on the survivor (~2 s here, as for a killed
      // worker; up to ~3.4 s seen with CI's two test runs side by side on the 2 cores and other work)
      expect(gapMs).toBeLessThanOrEqual(PLAYLIST_DEADLINE_MS + 3500);
      expect(slowest).toBeLessThanOrEqual(PLAYLIST_DEADLINE_MS + timing['transcoder.startTimeoutMs']);
      expect(holderOf(cameraC)).toBe(survivor.id);
      expect(directory().isDead(victim.id)).toBe(true);
    } finally {
      victim.http.thaw();
      victim.bus.thaw();
      await viewer.stop();
    }
    // SIGCONT: its next heartbeat, stamped after it was found dead, brings it back
    expect(await until(() => directory().isLive(victim.id), 10_000)).toBe(true);
  });

  it('moves the streams of a killed worker at once: the viewer’s gap stays under 3 s and POST /live answers from the other worker', async () => {
    const opened = await live(cameraB);
    expect(opened.status).toBe(200);
    const victim = workerNamed(holderOf(cameraB)!);
    const survivor = workers.find((w) => w !== victim)!;
    const viewer = new Viewer(opened.body.hlsUrl);
    try {
      expect(await until(() => viewer.segmentsAt.length >= 3, 10_000)).toBe(true);

      // Killed: every HTTP connection to it reset, new ones refused. Its last heartbeat is still fresh and
      // (until its broker link drops too, and the broker publishes its last will) the bus still knows it:
      // a viewer opening the camera in this window must not wait on the dead holder.
      await victim.http.cut();
      const killed = Date.now();
      expect(directory().isLive(victim.id)).toBe(true);
      const reopening = live(cameraB);
      await victim.bus.cut();
      const reaped = victim.process.running.app.get(TranscoderHost).stop({ announceLeave: false });
      const reopened = await reopening;
      const openMs = Date.now() - killed;
      expect(reopened.status).toBe(200);
      expect(openMs).toBeLessThan(timing['transcoder.startTimeoutMs']);
      expect(runs(survivor, cameraB)).toBe(true);
      // Found dead from the refused request (or forgotten by its last will): it takes no new session.
      expect(directory().isLive(victim.id)).toBe(false);

      expect(await until(() => viewer.segmentsSince(killed).length >= 3, 10_000)).toBe(true);
      const gapMs = viewer.segmentsSince(killed)[0]! - killed;
      const failures = viewer.failuresSince(killed);
      process.stdout.write(`killed worker: POST /live ${openMs} ms, viewer's first new segment after ${gapMs} ms, failed requests ${failures.length} ${JSON.stringify(failures)}\n`);
      expect(gapMs).toBeLessThanOrEqual(3000);
      expect(failures.length).toBeLessThanOrEqual(2);
      expect(holderOf(cameraB)).toBe(survivor.id);
      // The survivor continues the timeline the viewer knows: the next media sequence, one discontinuity later
      // (a new ffmpeg's timestamps; hls.js keys them by discontinuity sequence). Not 0 again, not a clock jump.
      const before = viewer.newest.filter((p) => p.at < killed).at(-1)!;
      const after = viewer.newest.find((p) => p.at > killed && p.sn !== before.sn)!;
      expect(after).toBeDefined();
      expect(after.dsn).toBe(before.dsn + 1);
      expect(after.sn - before.sn).toBeGreaterThanOrEqual(1);
      expect(after.sn - before.sn).toBeLessThanOrEqual(3);
      await reaped;
    } finally {
      await viewer.stop();
    }
    // A dead worker takes no new session: the next camera goes to the survivor.
    const next = await live(cameraC);
    expect(next.status).toBe(200);
    expect(holderOf(cameraC)).toBe(survivor.id);
  });
});
