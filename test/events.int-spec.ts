/**
 * GET /api/events (docs/events.md) against a real gateway and bus: a station's user gets the status changes of
 * its cameras within 2 s and never another station's, the last statuses on connect, camera-list notices for its
 * cameras only, 401 without a good ticket, the stream ended by logout; and the console's live-events.js receiving
 * an event in headless Chromium.
 */
import { type Browser } from 'playwright-core';
import { register } from 'prom-client';
import { Topics } from '@tiergate/contracts';
import { districtCode } from '@tiergate/domain';
import { MqttBus } from '@tiergate/messaging';
import { MAX_STREAMS_PER_USER } from '../apps/gateway/src/events/event-streams.service';
import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { PartitionerModule } from '../apps/partitioner/src/partitioner.module';
import { startTestProcess, TestProcess } from './support/harness';
import { seedGeneratedDistrict, SeededDistrict } from './support/generated-district.seed';
import { itWithChromium, launchChromium } from './support/chromium';

jest.setTimeout(60_000);

const R = '210103';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Received {
  event: string;
  data: any;
  atMs: number;
}

/** A minimal SSE reader over fetch: every event as it arrives, and whether the server ended the body. */
class EventStream {
  readonly events: Received[] = [];
  ended = false;
  private constructor(
    readonly status: number,
    private readonly body: ReadableStream<Uint8Array> | null,
    private readonly abort: AbortController,
  ) {}

  static async open(url: string, headers: Record<string, string> = {}): Promise<EventStream> {
    const abort = new AbortController();
    const stream = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal }).then((res) => {
      const s = new EventStream(res.status, res.body, abort);
      s.contentType = res.headers.get('content-type') ?? '';
      return s;
    });
    if (stream.status === 200) void stream.pump();
    else await stream.body?.cancel();
    return stream;
  }

  contentType = '';
  raw = '';

  private async pump(): Promise<void> {
    const reader = this.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const text = decoder.decode(value, { stream: true });
        this.raw += text;
        buffer += text;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = /^event: (.*)$/m.exec(frame)?.[1];
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (event && data !== undefined) this.events.push({ event, data: JSON.parse(data), atMs: Date.now() });
        }
      }
    } catch {
      // aborted by close()
    }
    this.ended = true;
  }

  async waitFor(pred: (e: Received) => boolean, timeoutMs = 2000): Promise<Received> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.events.find(pred);
      if (hit) return hit;
      if (Date.now() > until) throw new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(this.events.map((e) => [e.event, e.data]))}`);
      await sleep(20);
    }
  }

  async waitEnded(timeoutMs = 2000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!this.ended) {
      if (Date.now() > until) throw new Error(`the stream did not end within ${timeoutMs} ms`);
      await sleep(20);
    }
  }

  close(): void {
    this.abort.abort();
  }
}

describe('GET /api/events: scoped live events', () => {
  let tg: TestProcess;
  let admin: string;
  let bus: MqttBus;
  let seeded: SeededDistrict;
  let camA: string;
  let camA2: string;
  let camB: string;
  const open: EventStream[] = [];

  async function makeUser(username: string, code: string) {
    const res = await tg.call('POST', '/api/users', { token: admin, body: { username, password: `${username}-password`, role: 'viewer', jurisdictionId: seeded.idOfCode.get(code) } });
    if (res.status !== 201) throw new Error(`create ${username}: ${res.status} ${res.text}`);
    const login = await tg.call('POST', '/api/auth/login', { body: { username, password: `${username}-password` } });
    return login.body as { accessToken: string; expiresAt: string; user: { id: string } };
  }

  async function stream(token: string): Promise<EventStream> {
    const t = await tg.call('POST', '/api/events/ticket', { token });
    expect(t.status).toBe(200);
    const s = await EventStream.open(`${tg.url}/api/events?ticket=${encodeURIComponent(t.body.ticket)}`);
    open.push(s);
    expect(s.status).toBe(200);
    await s.waitFor((e) => e.event === 'ready');
    return s;
  }

  const status = (cameraId: string, value: string, reason?: string) =>
    bus.publish(Topics.cameraStatus(cameraId), { status: value, at: new Date().toISOString(), ...(reason ? { reason } : {}) }, { retain: true, qos: 1 });

  beforeAll(async () => {
    // docs on in both modes (by default only with the embedded database)
    tg = await startTestProcess({ name: 'gateway', modules: [PartitionerModule, GatewayModule], http: true }, { 'http.docs': 'on' });
    admin = await tg.login();
    bus = tg.running.app.get(MqttBus, { strict: false });
    seeded = await seedGeneratedDistrict(tg, admin, { stations: 2, postsPerStation: 2, cameras: 40, seed: 31 });
    const ofStation = (n: string) => [...seeded.cameras].filter(([, p]) => p.expectedCode.slice(6, 8) === n).map(([id]) => id);
    [camA, camA2] = ofStation('01');
    [camB] = ofStation('02');
    expect([camA, camA2, camB].every(Boolean)).toBe(true);
  }, 120_000);

  afterAll(async () => {
    for (const s of open) s.close();
    await tg?.stop();
  });

  const openGauge = async () => (await register.getSingleMetric('tiergate_event_streams')!.get()).values[0]!.value;

  it("sends a station user its camera's status change within 2 s, never another station's", async () => {
    const userA = await makeUser('station-a-viewer', districtCode(R, 1));
    const s = await stream(userA.accessToken);
    expect(s.contentType).toMatch(/^text\/event-stream/);
    expect(s.raw.startsWith('retry: 3000\n\n')).toBe(true);

    await status(camB, 'offline', 'timeout'); // station B: must never reach this user
    const sentAt = Date.now();
    await status(camA, 'offline', 'connection refused');
    const got = await s.waitFor((e) => e.event === 'camera-status' && e.data.cameraId === camA && e.data.status === 'offline');
    expect(got.atMs - sentAt).toBeLessThan(2000);
    expect(Object.keys(got.data).sort()).toEqual(['at', 'cameraId', 'reason', 'status']);
    expect(got.data.reason).toBe('connection refused');

    // events reach a stream in bus order: once a later A event is in, no earlier B event can still come
    await status(camB, 'online');
    await status(camA2, 'unauthorized');
    await s.waitFor((e) => e.data.cameraId === camA2);
    expect(s.events.filter((e) => JSON.stringify(e.data).includes(camB))).toEqual([]);

    // bus -> browser latency over 20 changes (a B change before each A change, as noise for the filter)
    const latencies: number[] = [];
    for (let i = 0; i < 20; i++) {
      await status(camB, i % 2 ? 'online' : 'offline');
      const t0 = Date.now();
      await status(camA, i % 2 ? 'online' : 'offline', `round ${i}`);
      latencies.push((await s.waitFor((e) => e.data.reason === `round ${i}`)).atMs - t0);
    }
    latencies.sort((a, b) => a - b);
    // eslint-disable-next-line no-console
    console.log(`events latency over 20 changes: p50 ${latencies[10]} ms, max ${latencies[19]} ms`);
    expect(latencies[19]).toBeLessThan(2000);
    expect(s.events.filter((e) => JSON.stringify(e.data).includes(camB))).toEqual([]);
  });

  it('starts a new stream with the last status of each of its cameras, and only those', async () => {
    await status(camA, 'online');
    await status(camB, 'offline');
    const userA = await makeUser('station-a-wall', districtCode(R, 1));
    await sleep(200); // the statuses above reach the gateway's own subscription
    const s = await stream(userA.accessToken);
    const readyAt = s.events.findIndex((e) => e.event === 'ready');
    const initial = s.events.slice(0, readyAt);
    expect(initial.find((e) => e.data.cameraId === camA)?.data.status).toBe('online');
    expect(initial.find((e) => e.data.cameraId === camA2)?.data.status).toBe('unauthorized');
    expect(initial.every((e) => e.event === 'camera-status' && seeded.cameras.get(e.data.cameraId)!.expectedCode.slice(6, 8) === '01')).toBe(true);
    expect(initial.some((e) => e.data.cameraId === camB)).toBe(false);
  });

  it("passes on camera-list notices naming the user's cameras only", async () => {
    const userA = await makeUser('station-a-operator', districtCode(R, 1));
    const s = await stream(userA.accessToken);
    const at = new Date().toISOString();
    await bus.publish(Topics.camerasChanged, { change: 'updated', cameraIds: [camB], count: 1, at }, { qos: 1 });
    await bus.publish(Topics.camerasChanged, { change: 'updated', cameraIds: [camB, camA], count: 2, at }, { qos: 1 });
    const got = await s.waitFor((e) => e.event === 'cameras-changed');
    expect(got.data).toEqual({ change: 'updated', cameraIds: [camA], complete: true, at });
    await sleep(200);
    expect(s.events.filter((e) => e.event === 'cameras-changed')).toHaveLength(1);
  });

  it('refuses a missing, forged, used or login-token ticket with 401', async () => {
    const userA = await makeUser('station-a-checker', districtCode(R, 1));
    const none = await EventStream.open(`${tg.url}/api/events`);
    expect(none.status).toBe(401);
    const forged = await EventStream.open(`${tg.url}/api/events?ticket=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl`);
    expect(forged.status).toBe(401);
    const asTicket = await EventStream.open(`${tg.url}/api/events?ticket=${userA.accessToken}`);
    expect(asTicket.status).toBe(401);
    expect((await tg.call('POST', '/api/events/ticket')).status).toBe(401);

    const t = await tg.call('POST', '/api/events/ticket', { token: userA.accessToken });
    const first = await EventStream.open(`${tg.url}/api/events?ticket=${t.body.ticket}`);
    open.push(first);
    expect(first.status).toBe(200);
    const again = await EventStream.open(`${tg.url}/api/events?ticket=${t.body.ticket}`);
    expect(again.status).toBe(401);
    // a ticket must not pass as a login token either
    expect((await tg.call('GET', '/api/cameras', { token: t.body.ticket })).status).toBe(401);
  });

  it('ends the stream when the user logs out, and its tickets with it', async () => {
    const userA = await makeUser('station-a-leaver', districtCode(R, 1));
    const s = await stream(userA.accessToken);
    const spare = await tg.call('POST', '/api/events/ticket', { token: userA.accessToken });
    const t0 = Date.now();
    expect((await tg.call('POST', '/api/auth/logout', { token: userA.accessToken })).status).toBe(204);
    await s.waitEnded(2000);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(s.events.at(-1)).toMatchObject({ event: 'end', data: { reason: 'session-ended' } });
    expect((await EventStream.open(`${tg.url}/api/events?ticket=${spare.body.ticket}`)).status).toBe(401);
  });

  it('follows a grant given while the stream is open, and ends the stream when an administrator disables the user', async () => {
    const userA = await makeUser('station-a-granted', districtCode(R, 1));
    const s = await stream(userA.accessToken);
    const grant = await tg.call('POST', '/api/grants', {
      token: admin,
      body: { cameraId: camB, granteeUserId: userA.user.id, expiresAt: new Date(Date.now() + 600_000).toISOString(), reason: 'pursuit across the border' },
    });
    expect(grant.status).toBe(201);
    // the grant reaches the gateway's access snapshot over the bus: retry until a B status comes through
    let delivered = false;
    for (let i = 0; i < 20 && !delivered; i++) {
      await status(camB, 'offline', `granted ${i}`);
      delivered = await s.waitFor((e) => e.data.reason === `granted ${i}`, 250).then(() => true, () => false);
    }
    expect(delivered).toBe(true);

    const disabled = await tg.call('PATCH', `/api/users/${userA.user.id}`, { token: admin, body: { disabled: true } });
    expect(disabled.status).toBe(200);
    await s.waitEnded(2000);
    expect(s.events.at(-1)).toMatchObject({ event: 'end', data: { reason: 'session-ended' } });
  });

  it(`keeps at most ${MAX_STREAMS_PER_USER} streams per user: the newest replaces the oldest; the gauge counts open streams`, async () => {
    const userA = await makeUser('station-a-many', districtCode(R, 1));
    const before = await openGauge();
    const streams: EventStream[] = [];
    for (let i = 0; i < MAX_STREAMS_PER_USER; i++) streams.push(await stream(userA.accessToken));
    expect(await openGauge()).toBe(before + MAX_STREAMS_PER_USER);
    const newest = await stream(userA.accessToken);
    await streams[0]!.waitEnded();
    expect(streams[0]!.events.at(-1)).toMatchObject({ event: 'end', data: { reason: 'replaced' } });
    expect(streams.slice(1).every((s) => !s.ended) && !newest.ended).toBe(true);
    expect(await openGauge()).toBe(before + MAX_STREAMS_PER_USER);
    for (const s of [...streams, newest]) s.close();
    await sleep(200);
    expect(await openGauge()).toBe(before);
  });

  it('fans a burst of 1000 status messages out to 48 streams of 6 users, each getting exactly its station\'s', async () => {
    const users = [];
    for (let u = 0; u < 6; u++) users.push(await makeUser(`burst-${u}`, districtCode(R, 1 + (u % 2))));
    const streams: { s: EventStream; station: string }[] = [];
    for (let u = 0; u < users.length; u++) for (let i = 0; i < 8; i++) streams.push({ s: await stream(users[u]!.accessToken), station: u % 2 ? '02' : '01' });
    const ids = [...seeded.cameras.keys()];
    const stationOf = (id: string) => seeded.cameras.get(id)!.expectedCode.slice(6, 8);
    const t0 = Date.now();
    const rounds = Math.ceil(1000 / ids.length);
    for (let r = 0; r < rounds; r++) await Promise.all(ids.map((id) => status(id, r % 2 ? 'online' : 'offline', `burst ${r}`)));
    const published = Date.now() - t0;
    const last = `burst ${rounds - 1}`;
    for (const { s, station } of streams) {
      const mine = ids.filter((id) => stationOf(id) === station);
      await s.waitFor(() => mine.every((id) => s.events.some((e) => e.data.cameraId === id && e.data.reason === last)), 10_000);
    }
    const elapsed = Date.now() - t0;
    // eslint-disable-next-line no-console
    console.log(`burst: ${rounds * ids.length} status messages to ${streams.length} streams delivered in ${elapsed} ms (publishing took ${published} ms)`);
    for (const { s, station } of streams) {
      expect(s.events.filter((e) => e.event === 'camera-status' && stationOf(e.data.cameraId) !== station)).toEqual([]);
      s.close();
    }
  });

  it('is described in the OpenAPI document and counted in /metrics', async () => {
    const doc = await tg.call('GET', '/api/docs/openapi.json');
    expect(doc.status).toBe(200);
    const get = doc.body.paths['/api/events']?.get;
    expect(Object.keys(get.responses['200'].content)).toEqual(['text/event-stream']);
    expect(get.description).toMatch(/camera-status.*stream-state.*cameras-changed.*ticket/s);
    expect(doc.body.paths['/api/events/ticket']?.post).toBeDefined();
    const metrics = await tg.call('GET', '/metrics');
    expect(metrics.text).toMatch(/^tiergate_event_streams \d+$/m);
  });

  itWithChromium('live-events.js in Chromium receives a status change of its camera', async () => {
    const userA = await makeUser('station-a-browser', districtCode(R, 1));
    let browser: Browser | undefined;
    try {
      browser = await launchChromium();
      const page = await (await browser.newContext()).newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const streamRequests: string[] = [];
      page.on('request', (r) => void (/\/api\/events\?ticket=/.test(r.url()) && streamRequests.push(r.url())));
      await page.goto(`${tg.url}/`);
      await page.evaluate((session) => localStorage.setItem('tiergate.session', JSON.stringify(session)), userA);
      await page.reload();
      await page.evaluate(async () => {
        const w = window as any;
        w.__events = [];
        const m = await import('/live-events.js' as string);
        w.__unsubscribe = m.subscribeEvents((e: unknown) => w.__events.push(e));
      });
      await page.waitForFunction(() => (window as any).__events.some((e: any) => e.type === 'ready'), undefined, { timeout: 5000 });
      const sentAt = Date.now();
      await status(camA, 'offline', 'browser check');
      await page.waitForFunction((id) => (window as any).__events.some((e: any) => e.type === 'camera-status' && e.data.cameraId === id && e.data.reason === 'browser check'), camA, { timeout: 2000 });
      expect(Date.now() - sentAt).toBeLessThan(2000);
      const types: string[] = await page.evaluate(() => (window as any).__events.map((e: any) => e.type));
      expect(types).toContain('connection');
      // a second screen of the page (the alarm panel, the alert banner) shares the one stream, and is told at
      // once what it missed: the newest status of the camera, `ready` and the open connection
      const streamsBefore = streamRequests.length;
      const late: { type: string; data: any }[] = await page.evaluate(async () => {
        const w = window as any;
        const m = await import('/live-events.js' as string);
        w.__late = [];
        w.__unsubscribeLate = m.subscribeEvents((e: unknown) => w.__late.push(e));
        return w.__late;
      });
      expect(late.find((e) => e.type === 'camera-status' && e.data.cameraId === camA)?.data).toMatchObject({ status: 'offline', reason: 'browser check' });
      expect(late.map((e) => e.type)).toEqual(expect.arrayContaining(['ready', 'connection']));
      expect(late.at(-1)).toEqual({ type: 'connection', data: { state: 'open' } });
      await status(camA, 'online', 'browser check 2');
      await page.waitForFunction((id) => (window as any).__late.some((e: any) => e.type === 'camera-status' && e.data.cameraId === id && e.data.reason === 'browser check 2'), camA, { timeout: 2000 });
      expect(streamRequests.length).toBe(streamsBefore); // no second EventSource
      expect(streamRequests.length).toBe(1);
      // the stream stays while one subscriber is left, and closes with the last
      await page.evaluate(() => (window as any).__unsubscribe());
      await status(camA, 'offline', 'browser check 3');
      await page.waitForFunction((id) => (window as any).__late.some((e: any) => e.type === 'camera-status' && e.data.cameraId === id && e.data.reason === 'browser check 3'), camA, { timeout: 2000 });
      await page.evaluate(() => (window as any).__unsubscribeLate());
      expect(await page.evaluate(() => (window as any).__late.at(-1))).toMatchObject({ type: 'connection', data: { state: 'stopped' } });
      expect(errors).toEqual([]);
    } finally {
      await browser?.close();
    }
  });

  it('ends open streams at shutdown, so the server stops at once', async () => {
    const userA = await makeUser('station-a-last', districtCode(R, 1));
    const s = await stream(userA.accessToken);
    const t0 = Date.now();
    const stopping = tg;
    tg = undefined as unknown as TestProcess;
    await stopping.stop();
    expect(Date.now() - t0).toBeLessThan(5000);
    await s.waitEnded();
    expect(s.events.at(-1)).toMatchObject({ event: 'end', data: { reason: 'shutdown' } });
  });
});
