import type { Fmp4Fragment, Fmp4Init } from '@tiergate/media';
import { Segmenter } from './segmenter';

const T0 = 1_700_000_000_000;
const init = (generation: number): Fmp4Init => ({ data: Buffer.from(`i${generation}`), codec: 'avc1', timescale: 1000, generation });

/** A run of fragments: 'K' keyframe, 'f' other, each 0.5 s, arriving as they complete. */
function run(s: Segmenter, pattern: string, generation = 1, startWall = T0, startDecode = 0) {
  const out = [];
  let i = 0;
  for (const c of pattern) {
    const f: Fmp4Fragment = { data: Buffer.alloc(10), seq: i, keyframe: c === 'K', decodeTime: startDecode + i * 500, durationSec: 0.5, receivedAt: startWall + (i + 1) * 500, generation };
    out.push(...s.pushFragment(f));
    i++;
  }
  return out;
}

describe('Segmenter', () => {
  it('cuts at the first keyframe at which a segment holds segmentSeconds; consecutive segments meet exactly', () => {
    const s = new Segmenter({ segmentSeconds: 4 });
    s.pushInit(init(1));
    // GOP of 1 s (K f): segments of exactly 4 s
    const out = run(s, 'KfKfKfKfKfKfKfKfKf');
    expect(out.map((d) => [d.startAt - T0, d.durationMs, d.fragments.length, d.closedBy])).toEqual([[0, 4000, 8, 'keyframe'], [4000, 4000, 8, 'keyframe']]);
    expect(s.building).toEqual({ startAt: T0 + 8000, durationMs: 1000 });
  });

  it('a GOP longer than the rest of a segment makes it longer, never cut inside a GOP', () => {
    const s = new Segmenter({ segmentSeconds: 4 });
    s.pushInit(init(1));
    const out = run(s, 'KfffffKfffffK'); // 3 s GOPs: first cut at 6 s
    expect(out.map((d) => d.durationMs)).toEqual([6000]);
    expect(out[0]!.fragments[0]!.keyframe).toBe(true);
  });

  it('skips fragments before the first keyframe of a run, and fragments of another generation', () => {
    const s = new Segmenter({ segmentSeconds: 1 });
    s.pushInit(init(2));
    expect(run(s, 'ff', 1)).toEqual([]);
    run(s, 'ffKfKf', 2);
    expect(s.skippedFragments).toBe(2);
    expect(s.end().map((d) => [d.startAt - T0, d.durationMs, d.closedBy])).toEqual([[2000, 1000, 'end']]);
  });

  it('a new init (ffmpeg restarted) closes the segment being built with the old init; the new run is anchored afresh', () => {
    const s = new Segmenter({ segmentSeconds: 4 });
    s.pushInit(init(1));
    run(s, 'KfKf');
    const closed = s.pushInit(init(2));
    expect(closed.map((d) => [d.init.generation, d.durationMs, d.closedBy])).toEqual([[1, 2000, 'restart']]);
    // the camera came back 6 s later; the new run's decode times start at 0 again
    const [next] = run(s, 'KfKfKfKfK', 2, T0 + 8000, 0);
    expect(next!.startAt).toBe(T0 + 8000);
    expect(next!.init.generation).toBe(2);
  });

  it('follows the decode clock, and re-anchors when arrivals drift from it by more than maxDriftMs', () => {
    const s = new Segmenter({ segmentSeconds: 1, maxDriftMs: 1000 });
    s.pushInit(init(1));
    expect(run(s, 'KfKf', 1, T0).map((d) => d.startAt - T0)).toEqual([0]);
    // the same run's next GOP arrives 300 ms late: inside the drift bound, its start follows tfdt
    expect(run(s, 'Kf', 1, T0 + 2300, 2000).map((d) => d.startAt - T0)).toEqual([1000]);
    expect(s.building!.startAt).toBe(T0 + 2000);
    // 5 s late (a stall): re-anchored to the arrival clock
    expect(run(s, 'Kf', 1, T0 + 8000, 3000).map((d) => d.startAt - T0)).toEqual([2000]);
    expect(s.building!.startAt).toBe(T0 + 8000);
  });

  it('closes a segment with no keyframe in sight at maxBytes; the next starts at a keyframe', () => {
    const s = new Segmenter({ segmentSeconds: 4, maxBytes: 35 });
    s.pushInit(init(1));
    const out = run(s, 'KfffffK');
    expect(out.map((d) => [d.fragments.length, d.closedBy])).toEqual([[3, 'cap']]);
    expect(s.skippedFragments).toBe(3);
    expect(s.building!.startAt).toBe(T0 + 3000);
  });
});
