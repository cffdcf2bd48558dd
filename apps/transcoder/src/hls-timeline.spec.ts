import { parse, types } from 'hls-parser';
import { clockStartNumber, HlsTimeline, isTimelinePosition, laterPosition } from './hls-timeline';

/** A playlist as ffmpeg's HLS muxer writes it (both builds: version 6, no DISCONTINUITY-SEQUENCE). */
const ffmpegPlaylist = (firstSn: number, count: number, duration = 1): string => [
  '#EXTM3U', '#EXT-X-VERSION:6', '#EXT-X-TARGETDURATION:1', `#EXT-X-MEDIA-SEQUENCE:${firstSn}`, '#EXT-X-INDEPENDENT-SEGMENTS',
  ...Array.from({ length: count }, (_, i) => [`#EXTINF:${duration.toFixed(6)},`, `seg_${firstSn + i}.ts`]).flat(), '',
].join('\n');

const media = (text: string | undefined): types.MediaPlaylist => {
  const p = parse(text ?? '');
  if (p.isMasterPlaylist) throw new Error('master playlist');
  return p;
};
const uris = (text: string | undefined) => media(text).segments.map((s) => s.uri);
const T0 = Date.UTC(2026, 0, 1);

describe('clockStartNumber', () => {
  it('is the wall clock in whole milliseconds, so a later start numbers higher', () => {
    expect(clockStartNumber(T0 + 0.9)).toBe(T0);
    expect(clockStartNumber(T0 + 1)).toBeGreaterThan(clockStartNumber(T0));
  });
});

describe('HlsTimeline', () => {
  it('renders nothing before a run or before any segment', () => {
    const t = new HlsTimeline({ listSize: 3 });
    expect(t.render(ffmpegPlaylist(0, 1), T0)).toBeUndefined();
    t.beginRun(T0);
    expect(t.render(undefined, T0)).toBeUndefined();
  });

  it('numbers the first run from the clock and tags its first segment a discontinuity', () => {
    const t = new HlsTimeline({ listSize: 3 });
    const start = t.beginRun(T0);
    expect(start).toBe(T0);
    const p = media(t.render(ffmpegPlaylist(start, 2), T0));
    expect(p.mediaSequenceBase).toBe(start);
    expect(p.segments.map((s) => [s.uri, s.discontinuity ?? false, s.discontinuitySequence])).toEqual([
      [`seg_${start}.ts`, true, 1], [`seg_${start + 1}.ts`, false, 1],
    ]);
    expect(p.independentSegments).toBe(true);
  });

  it('keeps the last run listed while ffmpeg restarts, then joins the new run after it with one discontinuity', () => {
    const t = new HlsTimeline({ listSize: 3 });
    const a = t.beginRun(T0);
    t.render(ffmpegPlaylist(a, 3), T0);
    const b = t.beginRun(T0 + 5000, ffmpegPlaylist(a + 1, 3)); // ffmpeg wrote one more before it died
    expect(b).toBe(a + 4);
    expect(t.keptFiles()).toEqual([`seg_${a + 1}.ts`, `seg_${a + 2}.ts`, `seg_${a + 3}.ts`]);
    expect(uris(t.render(undefined, T0 + 5100))).toEqual(t.keptFiles()); // nothing new yet: still playable
    const joined = media(t.render(ffmpegPlaylist(b, 1), T0 + 6000));
    expect(joined.mediaSequenceBase).toBe(a + 2);
    expect(joined.segments.map((s) => [s.mediaSequenceNumber, s.discontinuity ?? false, s.discontinuitySequence])).toEqual([
      [a + 2, false, 1], [a + 3, false, 1], [b, true, 2],
    ]);
  });

  it('raises EXT-X-DISCONTINUITY-SEQUENCE as tagged segments slide out (ffmpeg itself never writes it)', () => {
    const t = new HlsTimeline({ listSize: 2 });
    const a = t.beginRun(T0);
    t.render(ffmpegPlaylist(a, 2), T0);
    const b = t.beginRun(T0 + 3000, ffmpegPlaylist(a, 2));
    expect(t.render(ffmpegPlaylist(b, 1), T0 + 4000)).toContain('#EXT-X-DISCONTINUITY-SEQUENCE:1');
    const slid = t.render(ffmpegPlaylist(b + 1, 2), T0 + 6000)!;
    expect(slid).toContain('#EXT-X-DISCONTINUITY-SEQUENCE:2');
    expect(slid).not.toContain('#EXT-X-DISCONTINUITY\n');
    expect(media(slid).segments.map((s) => s.discontinuitySequence)).toEqual([2, 2]);
  });

  it('a restart that produced nothing leaves no hole: the next run takes its numbers', () => {
    const t = new HlsTimeline({ listSize: 3 });
    const a = t.beginRun(T0);
    t.render(ffmpegPlaylist(a, 2), T0);
    const b = t.beginRun(T0 + 1000, ffmpegPlaylist(a, 2));
    const c = t.beginRun(T0 + 3000, undefined); // run b died before its first segment
    expect(c).toBe(b);
    const p = media(t.render(ffmpegPlaylist(c, 1), T0 + 4000));
    expect(p.segments.map((s) => [s.mediaSequenceNumber, s.discontinuitySequence])).toEqual([[a, 1], [a + 1, 1], [c, 2]]);
  });

  it('ignores a stale or torn playlist', () => {
    const t = new HlsTimeline({ listSize: 3 });
    const a = t.beginRun(T0);
    const good = t.render(ffmpegPlaylist(a, 2), T0);
    expect(t.render('#EXTM3U\n#EXTINF:1.0', T0)).toBe(good);
    expect(t.render(ffmpegPlaylist(a, 1), T0)).toBe(good); // older than what was seen
    const b = t.beginRun(T0 + 1000, ffmpegPlaylist(a, 2));
    expect(uris(t.render(ffmpegPlaylist(a, 2), T0 + 1000))).toEqual([`seg_${a}.ts`, `seg_${a + 1}.ts`]); // the old run's file
    expect(b).toBe(a + 2);
  });

  it('schedules kept files for deletion only after their segment plus a playlist duration (RFC 8216 6.2.2)', () => {
    const t = new HlsTimeline({ listSize: 2 });
    const a = t.beginRun(T0);
    t.render(ffmpegPlaylist(a, 2), T0);
    const b = t.beginRun(T0 + 2000, ffmpegPlaylist(a, 2));
    t.render(ffmpegPlaylist(b, 2), T0 + 4000); // both kept segments leave the window now
    expect(t.takeExpired(T0 + 4000 + 2999)).toEqual([]);
    expect(t.takeExpired(T0 + 4000 + 3000)).toEqual([`seg_${a}.ts`, `seg_${a + 1}.ts`]);
    expect(t.takeExpired(T0 + 10_000)).toEqual([]);
    expect(t.keptFiles()).toEqual([]);
  });

  it('over many restarts: numbers never go back or change meaning, discontinuity sequence stays consistent', () => {
    const t = new HlsTimeline({ listSize: 4 });
    const seen = new Map<number, { uri: string; dsn: number }>();
    let lastBase = -1;
    let lastDs = -1;
    let now = T0;
    let ffSeq = 0;
    let produced = 0;
    // runs of 0..6 segments; each restart reads the dead run's last playlist
    const runLengths = [5, 1, 0, 3, 7, 2, 0, 0, 1, 6, 4];
    let start = t.beginRun(now);
    for (const [i, length] of runLengths.entries()) {
      for (produced = 1; produced <= length; produced += 1) {
        now += 1000;
        ffSeq = start + Math.max(0, produced - 4);
        const text = t.render(ffmpegPlaylist(ffSeq, Math.min(produced, 4)), now);
        const p = media(text);
        expect(p.mediaSequenceBase ?? 0).toBeGreaterThanOrEqual(lastBase);
        expect(p.discontinuitySequenceBase ?? 0).toBeGreaterThanOrEqual(lastDs);
        lastBase = p.mediaSequenceBase ?? 0;
        lastDs = p.discontinuitySequenceBase ?? 0;
        expect(p.segments.length).toBeLessThanOrEqual(4);
        for (const s of p.segments) {
          const before = seen.get(s.mediaSequenceNumber);
          if (before) expect({ uri: s.uri, dsn: s.discontinuitySequence }).toEqual(before);
          else seen.set(s.mediaSequenceNumber, { uri: s.uri, dsn: s.discontinuitySequence });
        }
      }
      if (i === runLengths.length - 1) break;
      now += 700;
      start = t.beginRun(now, length > 0 ? ffmpegPlaylist(ffSeq, Math.min(length, 4)) : undefined);
    }
    const numbers = [...seen.keys()];
    expect(numbers).toEqual([...numbers].sort((x, y) => x - y));
    expect(numbers.at(-1)! - numbers[0]!).toBe(numbers.length - 1); // no holes, no repeats
    expect(new Set([...seen.values()].map((v) => v.dsn)).size).toBe(runLengths.filter((n) => n > 0).length);
  });

  it('refuses a bad list size', () => {
    expect(() => new HlsTimeline({ listSize: 0 })).toThrow(/listSize/);
  });

  describe('a session moved here from another worker (continueFrom)', () => {
    // what the gateways last served from the old worker: its newest segment was 5000 with discontinuity sequence 3
    const old = { mediaSequence: 5000, discontinuitySequence: 3 };

    it('serves the segment after the last one served there, one discontinuity later, from files named by the clock', () => {
      const t = new HlsTimeline({ listSize: 3 });
      const start = t.beginRun(T0, undefined, old);
      expect(start).toBe(T0); // ffmpeg's file names never repeat the old worker's
      const p = media(t.render(ffmpegPlaylist(start, 2), T0));
      expect(p.mediaSequenceBase).toBe(5001);
      expect(p.discontinuitySequenceBase).toBe(3);
      expect(p.segments.map((s) => [s.uri, s.mediaSequenceNumber, s.discontinuity ?? false, s.discontinuitySequence])).toEqual([
        [`seg_${start}.ts`, 5001, true, 4], [`seg_${start + 1}.ts`, 5002, false, 4],
      ]);
    });

    it('keeps counting on from there through its own ffmpeg restarts', () => {
      const t = new HlsTimeline({ listSize: 3 });
      const a = t.beginRun(T0, undefined, old);
      t.render(ffmpegPlaylist(a, 2), T0);
      const b = t.beginRun(T0 + 3000, ffmpegPlaylist(a, 2));
      expect(b).toBe(a + 2); // ffmpeg numbering
      const p = media(t.render(ffmpegPlaylist(b, 1), T0 + 4000));
      expect(p.segments.map((s) => [s.mediaSequenceNumber, s.discontinuity ?? false, s.discontinuitySequence])).toEqual([
        [5001, true, 4], [5002, false, 4], [5003, true, 5],
      ]);
    });

    it('of two gateways asking while nothing was served yet, the later position wins; once served the numbering stays', () => {
      const t = new HlsTimeline({ listSize: 3 });
      const a = t.beginRun(T0, undefined, old);
      t.render(undefined, T0); // ffmpeg wrote nothing yet: nothing served
      expect(t.continueFrom({ mediaSequence: 5001, discontinuitySequence: 3 })).toBe(true);
      expect(t.continueFrom({ mediaSequence: 4990, discontinuitySequence: 2 })).toBe(true); // older: changes nothing
      const p = media(t.render(ffmpegPlaylist(a, 1), T0 + 1000));
      expect(p.segments.map((s) => [s.mediaSequenceNumber, s.discontinuitySequence])).toEqual([[5002, 4]]);
      expect(t.continueFrom({ mediaSequence: 9000, discontinuitySequence: 9 })).toBe(false);
      expect(media(t.render(ffmpegPlaylist(a, 2), T0 + 2000)).segments.map((s) => s.mediaSequenceNumber)).toEqual([5002, 5003]);
    });

    it('checks positions and takes the later one field by field', () => {
      expect(isTimelinePosition(old)).toBe(true);
      for (const bad of [null, {}, { mediaSequence: -1, discontinuitySequence: 0 }, { mediaSequence: 1.5, discontinuitySequence: 0 }, { mediaSequence: '1', discontinuitySequence: 0 }, { mediaSequence: 2 ** 53, discontinuitySequence: 0 }]) {
        expect(isTimelinePosition(bad)).toBe(false);
      }
      expect(laterPosition({ mediaSequence: 5, discontinuitySequence: 1 }, { mediaSequence: 4, discontinuitySequence: 2 })).toEqual({ mediaSequence: 5, discontinuitySequence: 2 });
      expect(laterPosition(undefined, old)).toBe(old);
    });
  });
});
