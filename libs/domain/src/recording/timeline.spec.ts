import { TiergateError } from '../errors';
import { GAP_TOLERANCE_MS, MAX_TIMELINE_RANGE_MS, recordingRangeOf, timelineOf } from './timeline';

const T0 = Date.UTC(2026, 0, 5, 10);
const s = (fromS: number, toS: number) => ({ startAt: T0 + fromS * 1000, endAt: T0 + toS * 1000 });
const iv = (fromS: number, toS: number) => ({ from: T0 + fromS * 1000, to: T0 + toS * 1000 });

describe('timelineOf', () => {
  it('joins segments up to GAP_TOLERANCE_MS apart into one span and leaves a gap where the camera stopped', () => {
    // 0-4, 4-8 (touching), 9.5-13.5 (1.5 s apart: joined), then stopped until 30
    const segs = [s(9.5, 13.5), s(0, 4), s(4, 8), s(30, 34)];
    expect(timelineOf(segs, iv(0, 40))).toEqual({ spans: [iv(0, 13.5), iv(30, 34)], gaps: [iv(13.5, 30), iv(34, 40)] });
  });
  it('splits at a gap just over the tolerance', () => {
    const segs = [s(0, 4), { startAt: T0 + 4000 + GAP_TOLERANCE_MS + 1, endAt: T0 + 10_000 }];
    expect(timelineOf(segs, iv(0, 10)).spans).toHaveLength(2);
    expect(timelineOf(segs, iv(0, 10)).gaps).toEqual([{ from: T0 + 4000, to: T0 + 4000 + GAP_TOLERANCE_MS + 1 }]);
  });
  it('clips to the range, and the gaps before the first and after the last segment are gaps whatever their length', () => {
    const segs = [s(-10, 2), s(3, 7), s(9, 20)];
    expect(timelineOf(segs, iv(0, 8))).toEqual({ spans: [iv(0, 7)], gaps: [iv(7, 8)] });
    expect(timelineOf([s(1, 5)], iv(0, 6))).toEqual({ spans: [iv(1, 5)], gaps: [iv(0, 1), iv(5, 6)] });
  });
  it('ignores segments outside the range (a segment ending at from, one starting at to)', () => {
    expect(timelineOf([s(-4, 0), s(10, 14)], iv(0, 10))).toEqual({ spans: [], gaps: [iv(0, 10)] });
  });
  it('absorbs overlapping segments (two roots, a restart) into one span', () => {
    expect(timelineOf([s(0, 8), s(2, 4), s(7, 12)], iv(0, 12))).toEqual({ spans: [iv(0, 12)], gaps: [] });
  });
  it('spans and gaps cover the range exactly, without overlap', () => {
    const segs = Array.from({ length: 50 }, (_, i) => s(i * 5 + (i % 7 === 0 ? 3 : 0), i * 5 + 4));
    const { spans, gaps } = timelineOf(segs, iv(1, 240));
    const all = [...spans, ...gaps].sort((a, b) => a.from - b.from);
    expect(all[0].from).toBe(T0 + 1000);
    expect(all[all.length - 1].to).toBe(T0 + 240_000);
    for (let i = 1; i < all.length; i++) expect(all[i].from).toBe(all[i - 1].to);
  });
});

describe('recordingRangeOf', () => {
  const code = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return (e as TiergateError).code;
    }
    return 'none';
  };
  it('parses a valid range to epoch ms', () => {
    expect(recordingRangeOf('2026-01-05T10:00:00Z', '2026-01-05T10:00:30.500Z')).toEqual({ from: T0, to: T0 + 30_500 });
  });
  it('refuses from ≥ to and unparsable times as VALIDATION_FAILED', () => {
    expect(code(() => recordingRangeOf('2026-01-05T10:00:00Z', '2026-01-05T10:00:00Z'))).toBe('VALIDATION_FAILED');
    expect(code(() => recordingRangeOf('2026-01-05T11:00:00Z', '2026-01-05T10:00:00Z'))).toBe('VALIDATION_FAILED');
    expect(code(() => recordingRangeOf('yesterday', '2026-01-05T10:00:00Z'))).toBe('VALIDATION_FAILED');
  });
  it('allows exactly the longest range and refuses one millisecond more as RANGE_TOO_LARGE', () => {
    const to = new Date(T0 + MAX_TIMELINE_RANGE_MS);
    expect(code(() => recordingRangeOf(new Date(T0).toISOString(), to.toISOString()))).toBe('none');
    expect(code(() => recordingRangeOf(new Date(T0 - 1).toISOString(), to.toISOString()))).toBe('RANGE_TOO_LARGE');
    expect(code(() => recordingRangeOf(new Date(T0).toISOString(), new Date(T0 + 2 * 3600_000 + 1).toISOString(), 2 * 3600_000))).toBe('RANGE_TOO_LARGE');
  });
});
