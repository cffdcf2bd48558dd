import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Fmp4BoxSplitter, Fmp4FormatError } from './box-splitter';
import { avcCodecOf, hevcCodecOf, parseMoof, SAMPLE_IS_NON_SYNC } from './fmp4-boxes';
import { Fmp4Reader, type Fmp4Event } from './fmp4-reader';

/** ffmpeg's real output (how it was made: fixtures/fmp4/README.md). */
const FIXTURE = readFileSync(join(__dirname, '..', 'fixtures', 'fmp4', 'testsrc2-320x240-25fps-2s.mp4'));

const box = (type: string, ...payload: Buffer[]): Buffer => {
  const body = Buffer.concat(payload);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + body.length);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
};
const u32 = (...values: number[]): Buffer => {
  const b = Buffer.alloc(4 * values.length);
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, 4 * i));
  return b;
};

/** Deterministic pseudo-random chunk sizes (1..max), so a failure replays. */
function* chunksOf(data: Buffer, seed: number, max: number): Generator<Buffer> {
  let s = seed;
  for (let at = 0; at < data.length;) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const n = 1 + (s % max);
    yield data.subarray(at, at + n);
    at += n;
  }
}

const summary = (events: Fmp4Event[]) => events.map((e) => (e.kind === 'init'
  ? { kind: e.kind, codec: e.init.codec, timescale: e.init.timescale, width: e.init.width, height: e.init.height, bytes: e.init.data.length }
  : { kind: e.kind, keyframe: e.fragment.keyframe, decodeTime: e.fragment.decodeTime, durationSec: e.fragment.durationSec, bytes: e.fragment.data.length }));

describe('Fmp4Reader on ffmpeg\'s fragmented MP4', () => {
  const whole = new Fmp4Reader().push(FIXTURE);

  it('reads ftyp+moov as the init: codec string from avcC, timescale from mdhd, size from the sample entry', () => {
    expect(summary(whole)[0]).toEqual({ kind: 'init', codec: 'avc1.64000d', timescale: 12800, width: 320, height: 240, bytes: 28 + 751 });
    const init = whole[0]!.kind === 'init' ? whole[0]!.init : undefined;
    expect(init!.data.toString('latin1', 4, 8)).toBe('ftyp');
  });

  it('reads each moof+mdat as one fragment: keyframe every 25 frames, tfdt decode times, 200 ms each', () => {
    const fragments = summary(whole).slice(1);
    expect(fragments).toHaveLength(10);
    expect(fragments.map((f) => f.keyframe)).toEqual([true, false, false, false, false, true, false, false, false, false]);
    expect(fragments.map((f) => f.decodeTime)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => i * 2560));
    expect(fragments.every((f) => f.durationSec === 0.2)).toBe(true);
    // every byte of the file but the closing mfra is in the init or a fragment
    expect(summary(whole).reduce((n, e) => n + e.bytes, 0)).toBe(FIXTURE.length - 238);
  });

  it.each([[1, 7], [2, 64], [3, 1500], [4, 65536]])('gives the same result fed in random chunks (seed %i, up to %i bytes)', (seed, max) => {
    const reader = new Fmp4Reader();
    const events: Fmp4Event[] = [];
    for (const chunk of chunksOf(FIXTURE, seed, max)) events.push(...reader.push(chunk));
    expect(summary(events)).toEqual(summary(whole));
    const bytes = Buffer.concat(events.map((e) => (e.kind === 'init' ? e.init.data : e.fragment.data)));
    expect(bytes.equals(FIXTURE.subarray(0, FIXTURE.length - 238))).toBe(true); // (toEqual compares Buffers byte by byte, slowly)
  });
});

describe('Fmp4BoxSplitter', () => {
  it('reads a box with a 64-bit size', () => {
    const large = Buffer.concat([u32(1), Buffer.from('free'), u32(0, 16 + 5), Buffer.from('hello')]);
    const boxes = new Fmp4BoxSplitter().push(Buffer.concat([large, box('skip')]));
    expect(boxes.map((b) => [b.type, b.data.length, b.headerSize])).toEqual([['free', 21, 16], ['skip', 8, 8]]);
  });

  it('keeps a partial box until it is whole', () => {
    const splitter = new Fmp4BoxSplitter();
    const data = box('mdat', Buffer.alloc(100, 7));
    expect(splitter.push(data.subarray(0, 5))).toEqual([]);
    expect(splitter.push(data.subarray(5, 60))).toEqual([]);
    expect(splitter.pendingBytes).toBe(60);
    expect(splitter.push(data.subarray(60)).map((b) => b.data)).toEqual([data]);
    expect(splitter.pendingBytes).toBe(0);
  });

  it('refuses a box over the cap as soon as its header arrives (before buffering it)', () => {
    const splitter = new Fmp4BoxSplitter(1024);
    expect(() => splitter.push(Buffer.concat([u32(2048), Buffer.from('mdat')]))).toThrow(/2048 bytes, over the 1024-byte cap/);
  });

  it.each([
    ['garbage', Buffer.from('this is not mp4 at all')],
    ['a size below the header', Buffer.concat([u32(4), Buffer.from('moof')])],
    ['a size-0 box', Buffer.concat([u32(0), Buffer.from('mdat')])],
  ])('refuses %s with Fmp4FormatError', (_name, data) => {
    expect(() => new Fmp4BoxSplitter().push(data)).toThrow(Fmp4FormatError);
  });
});

describe('keyframe and duration rules of a moof', () => {
  const track = { trackId: 1, defaultSampleDuration: 512, defaultSampleFlags: SAMPLE_IS_NON_SYNC };
  const tfhd = (flags: number, ...fields: number[]) => box('tfhd', u32(flags, 1, ...fields));
  const moof = (...traf: Buffer[]) => box('moof', box('mfhd', u32(0, 1)), box('traf', ...traf));
  const tfdt64 = box('tfdt', u32(0x01000000), u32(0x1, 0x2));

  it('first_sample_flags decides, whatever the defaults', () => {
    const m = moof(tfhd(0x20, SAMPLE_IS_NON_SYNC), tfdt64, box('trun', u32(0x4, 3, 0)));
    expect(parseMoof(m, track)).toEqual({ keyframe: true, decodeTime: 2 ** 32 + 2, durationTicks: 3 * 512, sampleCount: 3 });
  });

  it('else the first sample\'s own flags (with per-sample durations)', () => {
    const m = moof(tfhd(0), box('trun', u32(0x500, 2, 100, SAMPLE_IS_NON_SYNC, 300, 0)));
    expect(parseMoof(m, { ...track, defaultSampleFlags: 0 })).toMatchObject({ keyframe: false, durationTicks: 400 });
  });

  it('else tfhd default_sample_flags and default_sample_duration', () => {
    const m = moof(tfhd(0x28, 40, 0), box('trun', u32(0, 5)));
    expect(parseMoof(m, track)).toMatchObject({ keyframe: true, durationTicks: 200 });
  });

  it('else the trex defaults from the moov', () => {
    expect(parseMoof(moof(tfhd(0), box('trun', u32(0, 2))), track)).toMatchObject({ keyframe: false, durationTicks: 1024 });
  });
});

describe('codec strings', () => {
  it('avcC: profile, compatibility and level in hex', () => {
    expect(avcCodecOf('avc1', Buffer.from([1, 0x64, 0x00, 0x1f]))).toBe('avc1.64001f');
    expect(avcCodecOf('avc1', Buffer.from([1, 0x4d, 0x40, 0x28]))).toBe('avc1.4d4028');
  });

  it('hvcC: 14496-15 Annex E (Main profile, level 3.1 -> hvc1.1.6.L93.B0)', () => {
    const hvcC = Buffer.from([1, 0x01, 0x60, 0, 0, 0, 0xb0, 0, 0, 0, 0, 0, 93]);
    expect(hevcCodecOf('hvc1', hvcC)).toBe('hvc1.1.6.L93.B0');
    const main10High = Buffer.from([1, 0x22, 0x20, 0, 0, 0, 0x90, 0, 0, 0, 0, 0, 120]);
    expect(hevcCodecOf('hev1', main10High)).toBe('hev1.2.4.H120.90');
  });
});
