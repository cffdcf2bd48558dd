import type { Fmp4Fragment, Fmp4Init } from '@tiergate/media';
import { FakeClock, flush } from '../testing/fake-clock';
import { LL_HLS_DEFAULTS, LlHlsPackager, type LlHlsAnswer } from './ll-hls-packager';

/** A fake feed: inits and 200 ms fragments, a keyframe every `gop` fragments (1 s GOP by default). */
class FakeFeed {
  private seq = 0;
  private index = 0;
  generation = 1;

  constructor(private readonly clock: FakeClock, private readonly packager: LlHlsPackager, private readonly gop = 5) {}

  init(generation = this.generation): void {
    this.generation = generation;
    this.index = 0;
    this.packager.init({ data: Buffer.from(`init-g${generation}`), codec: 'avc1.64001f', timescale: 90000, generation } satisfies Fmp4Init);
  }

  /** One fragment, 200 ms after the previous one. */
  async fragment(): Promise<Fmp4Fragment> {
    await this.clock.advance(200);
    const seq = this.seq++;
    const f: Fmp4Fragment = {
      data: Buffer.from(`frag${seq}`), seq, keyframe: this.index++ % this.gop === 0, decodeTime: seq * 18000, durationSec: 0.2,
      receivedAt: this.clock.now(), generation: this.generation,
    };
    this.packager.fragment(f);
    return f;
  }

  async fragments(n: number): Promise<void> {
    for (let i = 0; i < n; i++) await this.fragment();
  }
}

const text = (a: LlHlsAnswer) => (a.status === 200 ? a.body.toString('utf8') : `status ${a.status}: ${a.reason}`);

function setUp(options: Partial<typeof LL_HLS_DEFAULTS> = {}) {
  const clock = new FakeClock();
  const packager = new LlHlsPackager(clock, { ...LL_HLS_DEFAULTS, firstMsn: 0, ...options });
  const feed = new FakeFeed(clock, packager);
  return { clock, packager, feed };
}

/** Starts a request without awaiting it, to see whether it is held. */
function pending(p: Promise<LlHlsAnswer>) {
  const state: { answer?: LlHlsAnswer } = {};
  void p.then((a) => (state.answer = a));
  return state;
}

describe('LlHlsPackager', () => {
  it('renders the playlist of a known sequence: segments follow the GOP, parts of the newest, a preload hint', async () => {
    const { clock, packager, feed } = setUp();
    const t0 = clock.now();
    feed.init();
    await feed.fragments(12); // two 1 s GOPs complete at the 11th fragment's keyframe, two parts into the third
    const a = await packager.request('ll.m3u8', '/hls/cam1/main/ll.m3u8?token=T1');
    expect(a.status).toBe(200);
    if (a.status !== 200) return;
    expect(a.contentType).toBe('application/vnd.apple.mpegurl');
    expect(a.cacheControl).toBe('no-cache');
    const pdt = (ms: number) => new Date(ms).toISOString();
    const parts = (msn: number, n: number) =>
      Array.from({ length: n }, (_, i) => `#EXT-X-PART:DURATION=0.200,URI="ll_${msn}.${i}.m4s?token=T1"${i === 0 ? ',INDEPENDENT=YES' : ''}`);
    expect(text(a)).toBe([
      '#EXTM3U',
      '#EXT-X-VERSION:9',
      '#EXT-X-TARGETDURATION:1',
      '#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=0.600',
      '#EXT-X-PART-INF:PART-TARGET=0.200',
      '#EXT-X-MEDIA-SEQUENCE:0',
      '#EXT-X-MAP:URI="ll_init_1.mp4?token=T1"',
      // the first frame of a segment is one part duration before its part arrived
      `#EXT-X-PROGRAM-DATE-TIME:${pdt(t0)}`,
      ...parts(0, 5),
      '#EXTINF:1.000,',
      'll_0.m4s?token=T1',
      `#EXT-X-PROGRAM-DATE-TIME:${pdt(t0 + 1000)}`,
      ...parts(1, 5),
      '#EXTINF:1.000,',
      'll_1.m4s?token=T1',
      `#EXT-X-PROGRAM-DATE-TIME:${pdt(t0 + 2000)}`,
      ...parts(2, 2),
      '#EXT-X-PRELOAD-HINT:TYPE=PART,URI="ll_2.2.m4s?token=T1"',
      '',
    ].join('\n'));
  });

  it('carries the query into every URI (attributes too) without the _HLS_ directives, and drops an unsafe one', async () => {
    const { packager, feed } = setUp();
    feed.init();
    await feed.fragments(7);
    const a = text(await packager.request('ll.m3u8', '/hls/c/main/ll.m3u8?_HLS_msn=1&token=abc.DEF-1&_HLS_part=0&_HLS_skip=YES'));
    const uris = [...a.matchAll(/URI="([^"]+)"/g)].map((m) => m[1]!).concat(a.split('\n').filter((l) => l && !l.startsWith('#')));
    expect(uris.length).toBeGreaterThan(8);
    for (const uri of uris) expect(uri).toMatch(/^ll_[0-9a-z_.]+\?token=abc\.DEF-1$/);
    expect(a).not.toContain('_HLS_');
    const unsafe = text(await packager.request('ll.m3u8', '/hls/c/main/ll.m3u8?token=a"b'));
    expect(unsafe).not.toContain('?');
  });

  it('holds the first playlist until a segment is complete (hls.js rejects a playlist of parts only)', async () => {
    const { packager, feed } = setUp();
    feed.init();
    await feed.fragments(3);
    const first = pending(packager.request('ll.m3u8', '/x/ll.m3u8'));
    await feed.fragments(2);
    await flush();
    expect(first.answer).toBeUndefined();
    await feed.fragment(); // the keyframe that closes segment 0
    await flush();
    expect(first.answer?.status).toBe(200);
    expect(text(first.answer!)).toContain('ll_0.m4s');
  });

  it('a blocking reload is answered when the part it names exists, not before', async () => {
    const { packager, feed } = setUp();
    feed.init();
    await feed.fragments(8); // segment 0 complete, segment 1 has parts 0-2
    const held = pending(packager.request('ll.m3u8', '/x/ll.m3u8?token=t&_HLS_msn=1&_HLS_part=4'));
    await feed.fragment(); // part 1.3
    await flush();
    expect(held.answer).toBeUndefined();
    expect(packager.held).toBe(1);
    await feed.fragment(); // part 1.4
    await flush();
    expect(held.answer?.status).toBe(200);
    expect(text(held.answer!)).toContain('URI="ll_1.4.m4s?token=t"');
    expect(packager.held).toBe(0);
  });

  it('a part index past a complete segment\'s last part means part 0 of the next (RFC 8216bis 6.2.5.2)', async () => {
    const { packager, feed } = setUp();
    feed.init();
    await feed.fragments(10); // segment 0 complete (5 parts), segment 1 has 5 parts, not closed yet
    const held = pending(packager.request('ll.m3u8', '/x/ll.m3u8?_HLS_msn=1&_HLS_part=5'));
    await flush();
    expect(held.answer).toBeUndefined();
    await feed.fragment(); // keyframe: segment 1 complete, part 2.0
    await flush();
    expect(held.answer?.status).toBe(200);
    expect(text(held.answer!)).toContain('ll_2.0.m4s');
    // and an answered segment with no part directive: segment 1 is complete now
    expect((await packager.request('ll.m3u8', '/x/ll.m3u8?_HLS_msn=1')).status).toBe(200);
  });

  it('a blocking reload not satisfied within three target durations is answered 503', async () => {
    const { clock, packager, feed } = setUp();
    feed.init();
    await feed.fragments(6);
    const held = pending(packager.request('ll.m3u8', '/x/ll.m3u8?_HLS_msn=1&_HLS_part=3'));
    await clock.advance(2990); // the camera stopped sending
    expect(held.answer).toBeUndefined();
    await clock.advance(20);
    expect(held.answer).toEqual({ status: 503, reason: 'not available within 3000 ms' });
    expect(packager.held).toBe(0);
  });

  it('answers 400 at once for a directive too far ahead, _HLS_part without _HLS_msn, or a non-number', async () => {
    const { packager, feed } = setUp();
    feed.init();
    await feed.fragments(6); // segment 0 complete, 1 being built
    expect((await packager.request('ll.m3u8', '/x/ll.m3u8?_HLS_msn=4')).status).toBe(400);
    expect((await packager.request('ll.m3u8', '/x/ll.m3u8?_HLS_part=1')).status).toBe(400);
    expect((await packager.request('ll.m3u8', '/x/ll.m3u8?_HLS_msn=1x')).status).toBe(400);
    expect((await packager.request('ll.m3u8', '/x/ll.m3u8?_HLS_msn=1&_HLS_part=40')).status).toBe(400);
    // two ahead of the segment being built is still held, and an old one answered at once
    expect(pending(packager.request('ll.m3u8', '/x/ll.m3u8?_HLS_msn=3')).answer).toBeUndefined();
    expect((await packager.request('ll.m3u8', '/x/ll.m3u8?_HLS_msn=0')).status).toBe(200);
  });

  it('serves init, parts and segments from memory: a segment is its parts concatenated', async () => {
    const { packager, feed } = setUp();
    feed.init();
    await feed.fragments(6);
    const init = await packager.request('ll_init_1.mp4', undefined);
    expect(init).toMatchObject({ status: 200, contentType: 'video/mp4', cacheControl: 'private, max-age=60, immutable' });
    expect((await packager.request('ll_init.mp4', undefined)).status).toBe(200);
    const seg = await packager.request('ll_0.m4s', undefined);
    expect(seg).toMatchObject({ status: 200, contentType: 'video/iso.segment' });
    const parts = await Promise.all([0, 1, 2, 3, 4].map((i) => packager.request(`ll_0.${i}.m4s`, undefined)));
    const joined = Buffer.concat(parts.map((p) => (p.status === 200 ? p.body : Buffer.alloc(0))));
    expect(seg.status === 200 && seg.body.equals(joined)).toBe(true);
    expect(joined.toString()).toBe('frag0frag1frag2frag3frag4');
    expect((await packager.request('ll_init_7.mp4', undefined)).status).toBe(404);
    expect((await packager.request('ll_0.5.m4s', undefined)).status).toBe(404);
    expect((await packager.request('ll_9.m4s', undefined)).status).toBe(404);
  });

  it('holds the preload-hinted part until it is complete; a hinted part that never comes is 404', async () => {
    const { clock, packager, feed } = setUp();
    feed.init();
    await feed.fragments(7); // segment 1 has parts 0-1: the hint is 1.2
    const hinted = pending(packager.request('ll_1.2.m4s', undefined));
    await flush();
    expect(hinted.answer).toBeUndefined();
    await feed.fragment();
    await flush();
    expect(hinted.answer?.status === 200 && hinted.answer.body.toString()).toBe('frag7');
    // the segment being built is held until complete too
    const segment = pending(packager.request('ll_1.m4s', undefined));
    await feed.fragments(2);
    await flush();
    expect(segment.answer).toBeUndefined();
    await feed.fragment();
    await flush();
    expect(segment.answer?.status).toBe(200);
    // a part that would have been next, had the keyframe not closed its segment, is 404 as soon as it closes
    await feed.fragments(4); // segment 2 holds its target: the hint moves to 3.0
    const overtaken = pending(packager.request('ll_2.5.m4s', undefined));
    await flush();
    expect(overtaken.answer).toBeUndefined();
    await feed.fragment();
    await flush();
    expect(overtaken.answer?.status).toBe(404);
    // the next part, when the camera stops sending: 404 after the part hold
    const never = pending(packager.request('ll_3.1.m4s', undefined));
    await clock.advance(990);
    expect(never.answer).toBeUndefined();
    await clock.advance(20);
    expect(never.answer?.status).toBe(404);
    expect((await packager.request('ll_1.5.m4s', undefined)).status).toBe(404);
  });

  it('an ffmpeg restart adds a discontinuity with the new generation\'s map; sequence numbers never repeat', async () => {
    const { packager, feed } = setUp();
    feed.init(1);
    await feed.fragments(8); // segment 0, and 3 parts of segment 1
    feed.init(2); // restart: segment 1 closes short
    await feed.fragments(3);
    // the parts of the new run's first segment, still being built, come after the discontinuity and their map
    const building = text(await packager.request('ll.m3u8', '/x/ll.m3u8'));
    expect(building).toMatch(/\nll_1\.m4s\n#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI="ll_init_2\.mp4"\n#EXT-X-PROGRAM-DATE-TIME:[^\n]+\n#EXT-X-PART:DURATION=0\.200,URI="ll_2\.0\.m4s",INDEPENDENT=YES\n#EXT-X-PART:[^\n]+\n#EXT-X-PART:[^\n]+\n#EXT-X-PRELOAD-HINT:TYPE=PART,URI="ll_2\.3\.m4s"\n$/);
    await feed.fragments(3);
    const a = text(await packager.request('ll.m3u8', '/x/ll.m3u8'));
    const lines = a.split('\n');
    const at = (s: string) => lines.indexOf(s);
    expect(at('#EXTINF:0.600,')).toBeGreaterThan(0);
    expect(at('ll_1.m4s')).toBe(at('#EXTINF:0.600,') + 1);
    expect(lines[at('ll_1.m4s') + 1]).toBe('#EXT-X-DISCONTINUITY');
    expect(lines[at('ll_1.m4s') + 2]).toBe('#EXT-X-MAP:URI="ll_init_2.mp4"');
    expect(a).toContain('ll_2.m4s');
    expect(a).not.toContain('#EXT-X-DISCONTINUITY-SEQUENCE');
    expect((await packager.request('ll_init_1.mp4', undefined)).status).toBe(200);
    const init = await packager.request('ll_init.mp4', undefined);
    expect(init.status === 200 && init.body.toString()).toBe('init-g2');
    // once the first run's segments left the window, the sequence counts their discontinuity
    await feed.fragments(40);
    const later = text(await packager.request('ll.m3u8', '/x/ll.m3u8'));
    expect(later).toContain('#EXT-X-DISCONTINUITY-SEQUENCE:1');
    expect(later).not.toContain('#EXT-X-DISCONTINUITY\n');
    expect(later).toContain('#EXT-X-MAP:URI="ll_init_2.mp4"');
    expect((await packager.request('ll_init_1.mp4', undefined)).status).toBe(404);
    const msns = [...later.matchAll(/^ll_(\d+)\.m4s$/gm)].map((m) => Number(m[1]));
    expect(msns).toEqual([5, 6, 7, 8, 9, 10]);
  });

  it('keeps memory bounded: six segments, parts of the newest three, over a long run', async () => {
    const { packager, feed } = setUp();
    feed.init();
    await feed.fragments(5 * 200 + 2);
    const w = packager.window;
    expect(w.segments).toHaveLength(6);
    expect(w.segments.map((s) => s.parts.length)).toEqual([0, 0, 0, 5, 5, 5]);
    expect(w.open?.parts).toHaveLength(2);
    const a = text(await packager.request('ll.m3u8', '/x/ll.m3u8'));
    expect(a.match(/#EXT-X-PART:/g)).toHaveLength(17);
    expect(a.match(/#EXTINF/g)).toHaveLength(6);
    expect(Buffer.byteLength(a)).toBeLessThan(3000);
    expect((await packager.request(`ll_${w.segments[0]!.msn - 1}.m4s`, undefined)).status).toBe(404);
  });

  it('a GOP longer than the target makes longer segments and a larger target duration', async () => {
    const clock = new FakeClock();
    const packager = new LlHlsPackager(clock, { ...LL_HLS_DEFAULTS, firstMsn: 100 });
    const feed = new FakeFeed(clock, packager, 10); // 2 s GOP
    feed.init();
    await feed.fragments(21);
    const a = text(await packager.request('ll.m3u8', '/x/ll.m3u8'));
    expect(a).toContain('#EXT-X-TARGETDURATION:2');
    expect(a).toContain('#EXT-X-MEDIA-SEQUENCE:100');
    expect(a.match(/#EXTINF:2\.000,/g)).toHaveLength(2);
  });

  it('drops fragments before the first keyframe of a run, and answers every held request 404 when the feed ends', async () => {
    const { packager, feed } = setUp();
    feed.init();
    packager.fragment({ data: Buffer.from('x'), seq: 0, keyframe: false, decodeTime: 0, durationSec: 0.2, receivedAt: 0, generation: 1 });
    expect(packager.window.open).toBeUndefined();
    const f = await feed.fragment();
    expect(f.keyframe).toBe(true);
    packager.fragment({ ...f, seq: 99, keyframe: false, generation: 5 }); // a fragment of a run without init
    expect(packager.window.open?.partCount).toBe(1);
    const held = pending(packager.request('ll.m3u8', '/x/ll.m3u8'));
    packager.end('session closed');
    await flush();
    expect(held.answer).toEqual({ status: 404, reason: 'stream ended: session closed' });
    expect((await packager.request('ll_0.0.m4s', undefined)).status).toBe(404);
  });

  it('a held request whose viewer went away is dropped', async () => {
    const { packager, feed } = setUp();
    feed.init();
    await feed.fragments(6);
    const abort = new AbortController();
    const held = pending(packager.request('ll.m3u8', '/x/ll.m3u8?_HLS_msn=2', abort.signal));
    expect(packager.held).toBe(1);
    abort.abort();
    await flush();
    expect(packager.held).toBe(0);
    expect(held.answer?.status).toBe(404);
  });
});
