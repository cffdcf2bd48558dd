import type { Fmp4Fragment, Fmp4Init, FragmentFeed, FragmentListener } from '@tiergate/media';
import { SystemClock } from '../clock';
import { FakeClock } from '../testing/fake-clock';
import { HlsHttpServer } from '../hls-http.server';
import { LlHlsRegistry } from './ll-hls.registry';

/** A feed by hand: what the fragment hub promises (init + GOP replayed on subscribe, then live). */
class HandFeed implements FragmentFeed {
  init: Fmp4Init | undefined;
  private readonly fragments: Fmp4Fragment[] = [];
  private readonly listeners = new Set<FragmentListener>();
  private seq = 0;

  gop(): readonly Fmp4Fragment[] {
    const k = this.fragments.map((f) => f.keyframe).lastIndexOf(true);
    return k < 0 ? [] : this.fragments.slice(k);
  }

  subscribe(listener: FragmentListener): () => void {
    if (this.init) {
      listener.init(this.init);
      for (const f of this.gop()) listener.fragment(f);
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(generation = 1): void {
    this.init = { data: Buffer.from('INIT'), codec: 'avc1.64001f', timescale: 90000, generation };
    for (const l of this.listeners) l.init(this.init);
  }

  push(keyframe: boolean): void {
    const f: Fmp4Fragment = { data: Buffer.from(`F${this.seq}`), seq: this.seq++, keyframe, decodeTime: 0, durationSec: 0.2, receivedAt: Date.now(), generation: this.init!.generation };
    this.fragments.push(f);
    for (const l of this.listeners) l.fragment(f);
  }

  gopOf(n: number): void {
    for (let i = 0; i < n; i++) this.push(i === 0);
  }

  end(): void {
    for (const l of this.listeners) l.end?.('closed');
    this.listeners.clear();
  }

  get subscribers(): number {
    return this.listeners.size;
  }
}

describe('LlHlsRegistry behind the worker HTTP server', () => {
  let server: HlsHttpServer;
  let base: string;
  let registry: LlHlsRegistry;
  let feed: HandFeed | undefined;
  const touched: string[] = [];

  beforeEach(async () => {
    feed = new HandFeed();
    touched.length = 0;
    registry = new LlHlsRegistry({
      clock: new SystemClock(),
      sessions: {
        feedOf: (cameraId) => (cameraId === 'cam1' ? feed : undefined),
        touch: (cameraId, profile) => (touched.push(`${cameraId}/${profile}`), cameraId === 'cam1'),
      },
    });
    server = new HlsHttpServer({
      source: { outputDirOf: () => undefined, touch: () => true },
      authorize: (req, cameraId) => new URL(req.url!, 'http://x').searchParams.get('token') === `for-${cameraId}`,
      llHls: registry,
    });
    const { port } = await server.listen();
    base = `http://127.0.0.1:${port}/hls`;
  });

  afterEach(async () => {
    registry.close();
    await server.close();
  });

  it('serves the playlist, parts and segments of a session feed, touching the session on each request', async () => {
    feed!.start();
    registry.attach('cam1', 'main');
    feed!.gopOf(5);
    feed!.gopOf(2);
    const res = await fetch(`${base}/cam1/main/ll.m3u8?token=for-cam1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    const body = await res.text();
    expect(body).toContain('#EXT-X-PART:DURATION=0.200,URI="ll_');
    const segment = /^(ll_\d+\.m4s)\?token=for-cam1$/m.exec(body)![1];
    const seg = await fetch(`${base}/cam1/main/${segment}?token=for-cam1`);
    expect(seg.status).toBe(200);
    expect(seg.headers.get('content-type')).toBe('video/iso.segment');
    expect(seg.headers.get('cache-control')).toContain('immutable');
    expect(Buffer.from(await seg.arrayBuffer()).toString()).toBe('F0F1F2F3F4');
    const init = await fetch(`${base}/cam1/main/ll_init.mp4?token=for-cam1`);
    expect([init.status, init.headers.get('content-type')]).toEqual([200, 'video/mp4']);
    expect(touched).toEqual(['cam1/main', 'cam1/main', 'cam1/main']);
    expect(registry.size).toBe(1);
  });

  it('a blocking request returns when the part is made; the viewer leaving drops it', async () => {
    feed!.start();
    registry.attach('cam1', 'main');
    feed!.gopOf(5);
    feed!.push(true);
    const first = await (await fetch(`${base}/cam1/main/ll.m3u8?token=for-cam1`)).text();
    const msn = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(first)![1]) + 1;
    const started = Date.now();
    setTimeout(() => feed!.push(false), 150);
    const held = await fetch(`${base}/cam1/main/ll.m3u8?token=for-cam1&_HLS_msn=${msn}&_HLS_part=1`);
    expect(held.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(await held.text()).toContain(`ll_${msn}.1.m4s?token=for-cam1`);
    const abort = new AbortController();
    const gone = fetch(`${base}/cam1/main/ll.m3u8?token=for-cam1&_HLS_msn=${msn}&_HLS_part=3`, { signal: abort.signal }).catch(() => 'aborted');
    await new Promise((r) => setTimeout(r, 50));
    abort.abort();
    expect(await gone).toBe('aborted');
  });

  it('answers the same 404 for a foreign token, no session, and a name that is not LL-HLS of a session without files', async () => {
    feed!.start();
    feed!.gopOf(6);
    const foreign = await fetch(`${base}/cam1/main/ll.m3u8?token=for-cam2`);
    const noSession = await fetch(`${base}/cam2/main/ll.m3u8?token=for-cam2`);
    const foreignPart = await fetch(`${base}/cam1/main/ll_0.0.m4s?token=for-cam2`);
    const classic = await fetch(`${base}/cam1/main/index.m3u8?token=for-cam1`);
    const bodies = await Promise.all([foreign, noSession, foreignPart, classic].map(async (r) => [r.status, r.headers.get('content-type'), await r.text()]));
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
    expect(bodies[0]![0]).toBe(404);
  });

  it('a packager made on the first request starts at the GOP cache: that playlist waits for the next keyframe', async () => {
    feed!.start();
    feed!.gopOf(5);
    feed!.gopOf(3);
    const first = fetch(`${base}/cam1/main/ll.m3u8?token=for-cam1`);
    await new Promise((r) => setTimeout(r, 100));
    feed!.gopOf(1);
    const res = await first;
    expect(res.status).toBe(200);
    // the replayed GOP (F5-F7) is the first segment: no video is lost to the late start
    const segment = /^(ll_\d+\.m4s)\?/m.exec(await res.text())![1];
    expect(Buffer.from(await (await fetch(`${base}/cam1/main/${segment}?token=for-cam1`)).arrayBuffer()).toString()).toBe('F5F6F7');
  });

  it('drops a packager nobody asked for within idleMs; the next request makes a new one', async () => {
    const clock = new FakeClock();
    const idle = new LlHlsRegistry({ clock, idleMs: 1000, sessions: { feedOf: () => feed, touch: () => true } });
    feed!.start();
    idle.attach('cam1', 'main');
    expect([idle.size, feed!.subscribers]).toEqual([1, 1]);
    await clock.advance(1500);
    expect([idle.size, feed!.subscribers]).toEqual([0, 0]);
    idle.attach('cam1', 'main');
    expect(idle.size).toBe(1);
    idle.close();
    expect([idle.size, feed!.subscribers, clock.pending]).toEqual([0, 0, 0]);
  });

  it('a new feed of the session gets a new packager; an ended feed drops its packager and answers 404', async () => {
    feed!.start();
    registry.attach('cam1', 'main');
    feed!.gopOf(5);
    feed!.gopOf(1);
    expect((await fetch(`${base}/cam1/main/ll.m3u8?token=for-cam1`)).status).toBe(200);
    const old = feed!;
    feed = new HandFeed();
    feed.start();
    feed.gopOf(5);
    setTimeout(() => feed!.push(true), 50);
    expect((await fetch(`${base}/cam1/main/ll.m3u8?token=for-cam1`)).status).toBe(200);
    expect(old.subscribers).toBe(0);
    feed.end();
    expect(registry.size).toBe(0);
    feed = undefined;
    expect((await fetch(`${base}/cam1/main/ll.m3u8?token=for-cam1`)).status).toBe(404);
  });
});
