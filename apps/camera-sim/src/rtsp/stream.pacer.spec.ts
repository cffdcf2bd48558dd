import type { H264Source, PacketizedFrame } from './h264.source';
import { StreamPacer } from './stream.pacer';

const frame = (keyframe: boolean, id: number): PacketizedFrame => ({ keyframe, payloads: [Buffer.from([id])] });
const source: H264Source = {
  frames: [frame(true, 0), frame(false, 1), frame(false, 2), frame(true, 3), frame(false, 4)],
  fps: 25, width: 2, height: 2, sprop: '', profileLevelId: '42c01f',
};

describe('StreamPacer', () => {
  let now = 0;
  beforeEach(() => {
    jest.useFakeTimers();
    now = 0;
  });
  afterEach(() => jest.useRealTimers());

  const advance = (ms: number): void => {
    for (let i = 0; i < ms; i += 1) {
      now += 1;
      jest.advanceTimersByTime(1);
    }
  };

  it('paces at the frame rate, loops with increasing timestamps, and starts new sinks on a keyframe', () => {
    const pacer = new StreamPacer(source, () => now);
    const a: Array<[number, number]> = [];
    const b: Array<[number, number]> = [];
    const sinkA = { onFrame: (f: PacketizedFrame, ts: number) => a.push([f.payloads[0][0], ts]) };
    const sinkB = { onFrame: (f: PacketizedFrame, ts: number) => b.push([f.payloads[0][0], ts]) };
    pacer.subscribe(sinkA);
    advance(200); // 5 frames at 40 ms (the first one at t=0)
    expect(a.map(([id]) => id)).toEqual([0, 1, 2, 3, 4, 0]);
    const expectedStart = pacer.nextKeyframeTimestamp();
    pacer.subscribe(sinkB); // joins mid-GOP: waits for the next keyframe (frame 3)
    advance(200);
    expect(a.map(([id]) => id)).toEqual([0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0]);
    expect(b.map(([id]) => id)).toEqual([3, 4, 0]);
    expect(b[0][1]).toBe(expectedStart); // what RTP-Info announced
    const steps = a.slice(1).map(([, ts], i) => (ts - a[i][1] + 2 ** 32) % 2 ** 32);
    expect(new Set(steps)).toEqual(new Set([3600]));
    const tsB = b.map(([, ts]) => ts);
    expect(tsB).toEqual(a.slice(-3).map(([, ts]) => ts)); // one shared clock
    pacer.unsubscribe(sinkA);
    pacer.unsubscribe(sinkB);
    expect(pacer.running).toBe(false);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('gives a sink that starts at the last keyframe the current GOP at once, then the live frames', () => {
    const pacer = new StreamPacer(source, () => now);
    const a: number[] = [];
    const b: Array<[number, number]> = [];
    const sinkA = { onFrame: (f: PacketizedFrame) => a.push(f.payloads[0][0]) };
    const sinkB = { onFrame: (f: PacketizedFrame, ts: number) => b.push([f.payloads[0][0], ts]) };
    pacer.subscribe(sinkA);
    advance(100); // frames 0, 1, 2 sent: the current GOP starts at frame 0
    expect(a).toEqual([0, 1, 2]);
    const announced = pacer.startTimestamp(true);
    pacer.subscribe(sinkB, { fromLastKeyframe: true });
    expect(b.map(([id]) => id)).toEqual([0, 1, 2]); // the burst, before any timer
    expect(b[0][1]).toBe(announced);
    advance(80);
    expect(b.map(([id]) => id)).toEqual([0, 1, 2, 3, 4]);
    pacer.unsubscribe(sinkA);
    pacer.unsubscribe(sinkB);
  });
});
