import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Fmp4Fragment, Fmp4Init, FragmentListener } from '@tiergate/media';
import { FragmentHub } from './fragment-hub';

/** ffmpeg's fMP4: init, then 10 fragments of 200 ms, keyframes at fragments 0 and 5 (libs/media fixtures). */
const FIXTURE = readFileSync(join(__dirname, '..', '..', '..', 'libs', 'media', 'src', 'fixtures', 'fmp4', 'testsrc2-320x240-25fps-2s.mp4'));
/** Byte offsets where each top-level box ends, to feed the fixture box by box. */
const BOX_ENDS: number[] = [];
for (let at = 0; at < FIXTURE.length; at += FIXTURE.readUInt32BE(at)) BOX_ENDS.push(at + FIXTURE.readUInt32BE(at));
/** The fixture up to the end of fragment n (0-based; box 0 ftyp, 1 moov, then moof/mdat pairs). */
const upToFragment = (n: number): Buffer => FIXTURE.subarray(0, BOX_ENDS[2 + 2 * n + 1]);
const fragmentBytes = (from: number, to: number): Buffer => FIXTURE.subarray(BOX_ENDS[2 + 2 * from - 1], BOX_ENDS[2 + 2 * to + 1]);

class Recorder implements FragmentListener {
  readonly calls: string[] = [];
  readonly inits: Fmp4Init[] = [];
  readonly fragments: Fmp4Fragment[] = [];
  init(init: Fmp4Init): void {
    this.inits.push(init);
    this.calls.push(`init g${init.generation}`);
  }
  fragment(f: Fmp4Fragment): void {
    this.fragments.push(f);
    this.calls.push(`${f.keyframe ? 'K' : 'f'}${f.seq} g${f.generation}`);
  }
  end(reason: string): void {
    this.calls.push(`end ${reason}`);
  }
}

describe('FragmentHub', () => {
  it('a viewer joining mid-GOP gets the init, then the GOP from its keyframe, then the live fragments', () => {
    const hub = new FragmentHub();
    hub.attach(1, undefined);
    hub.push(1, upToFragment(6)); // fragments 0..6; keyframe at 5
    expect(hub.init?.codec).toBe('avc1.64000d');
    expect(hub.gop().map((f) => f.seq)).toEqual([5, 6]);
    const viewer = new Recorder();
    hub.subscribe(viewer);
    expect(viewer.calls).toEqual(['init g1', 'K5 g1', 'f6 g1']);
    hub.push(1, fragmentBytes(7, 7));
    expect(viewer.calls.at(-1)).toBe('f7 g1');
    expect(viewer.fragments[0]!.decodeTime).toBe(5 * 2560);
  });

  it('fans out synchronously to every listener, in order, from a stream split anywhere', () => {
    const hub = new FragmentHub();
    const a = new Recorder();
    const b = new Recorder();
    hub.subscribe(a);
    hub.attach(1, undefined);
    hub.subscribe(b);
    for (let at = 0; at < FIXTURE.length; at += 777) hub.push(1, FIXTURE.subarray(at, at + 777));
    expect(a.calls).toEqual(['init g1', ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => `${i % 5 === 0 ? 'K' : 'f'}${i} g1`)]);
    expect(b.calls).toEqual(a.calls);
    expect(Buffer.concat([a.inits[0]!.data, ...a.fragments.map((f) => f.data)]).equals(FIXTURE.subarray(0, FIXTURE.length - 238))).toBe(true);
  });

  it('an ffmpeg restart sends the new init; seq goes on; bytes of the old run are ignored', () => {
    const hub = new FragmentHub();
    const viewer = new Recorder();
    hub.attach(1, undefined);
    hub.push(1, upToFragment(1));
    hub.subscribe(viewer);
    hub.attach(2, undefined);
    hub.push(1, fragmentBytes(2, 2)); // late bytes of run 1
    expect(hub.init?.generation).toBe(1); // kept until run 2 writes its own
    hub.push(2, upToFragment(0));
    expect(viewer.calls).toEqual(['init g1', 'K0 g1', 'f1 g1', 'init g2', 'K2 g2']);
    expect(hub.gop().map((f) => f.generation)).toEqual([2]);
  });

  it('before the first keyframe of a run nothing is cached (a joiner gets the init and waits for a keyframe)', () => {
    const hub = new FragmentHub();
    hub.attach(1, undefined);
    hub.push(1, Buffer.concat([FIXTURE.subarray(0, BOX_ENDS[1]), fragmentBytes(1, 2)])); // init, then two delta fragments
    expect(hub.gop()).toEqual([]);
    const viewer = new Recorder();
    hub.subscribe(viewer);
    expect(viewer.calls).toEqual(['init g1']);
  });

  it('drops the cache when a GOP outgrows the cap, until the next keyframe', () => {
    const hub = new FragmentHub({ maxGopBytes: 20_000 });
    hub.attach(1, undefined);
    hub.push(1, upToFragment(1)); // 11 kB + 7.5 kB
    expect(hub.gop()).toHaveLength(2);
    hub.push(1, fragmentBytes(2, 2)); // + 6.3 kB: over
    expect(hub.gop()).toEqual([]);
    hub.push(1, fragmentBytes(3, 5));
    expect(hub.gop().map((f) => f.seq)).toEqual([5]);
  });

  it('malformed stdout is reported once, kills nothing, and the next run is read again', () => {
    const problems: string[] = [];
    const hub = new FragmentHub({ onMalformed: (d, g) => problems.push(`g${g}: ${d}`) });
    const viewer = new Recorder();
    hub.subscribe(viewer);
    hub.attach(1, undefined);
    hub.push(1, Buffer.from('Input #0, rtsp, from ...\n'));
    hub.push(1, upToFragment(0));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^g1: box 't #0' declares \d+ bytes, over the/); // ffmpeg's log text read as a box header
    expect(viewer.calls).toEqual([]);
    hub.attach(2, undefined);
    hub.push(2, upToFragment(0));
    expect(viewer.calls).toEqual(['init g2', 'K0 g2']);
  });

  it('a listener that throws is dropped; the others go on', () => {
    const hub = new FragmentHub();
    const good = new Recorder();
    hub.subscribe({ init: () => undefined, fragment: () => { throw new Error('boom'); } });
    hub.subscribe(good);
    hub.attach(1, undefined);
    hub.push(1, upToFragment(1));
    expect(hub.size).toBe(1);
    expect(good.calls).toEqual(['init g1', 'K0 g1', 'f1 g1']);
  });

  it('end() tells every listener once, and later subscribers at once; unsubscribe stops delivery', () => {
    const hub = new FragmentHub();
    const a = new Recorder();
    const b = new Recorder();
    hub.attach(1, undefined);
    const unsubscribeA = hub.subscribe(a);
    hub.subscribe(b);
    unsubscribeA();
    hub.push(1, upToFragment(0));
    hub.end('idle');
    hub.end('again');
    expect(a.calls).toEqual([]);
    expect(b.calls).toEqual(['init g1', 'K0 g1', 'end idle']);
    const late = new Recorder();
    hub.subscribe(late);
    expect(late.calls).toEqual(['end idle']);
  });
});
