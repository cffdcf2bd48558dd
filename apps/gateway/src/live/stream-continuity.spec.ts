import { carriesContinuity, newestSegmentOf, StreamContinuity } from './stream-continuity';

/** A playlist as a worker serves it (hls-timeline.ts): a leading discontinuity, one more at each ffmpeg restart. */
const workerPlaylist = (first: number, dsn: number, tags: number[]) => [
  '#EXTM3U', '#EXT-X-VERSION:6', '#EXT-X-TARGETDURATION:1', `#EXT-X-MEDIA-SEQUENCE:${first}`, `#EXT-X-DISCONTINUITY-SEQUENCE:${dsn}`,
  ...[0, 1, 2, 3].flatMap((i) => [...(tags.includes(i) ? ['#EXT-X-DISCONTINUITY'] : []), '#EXTINF:1.000000,', `seg_${first + i}.ts?token=abc`]), '',
].join('\n');

describe('carriesContinuity', () => {
  it('is the classic playlist only: the LL-HLS playlist numbers its own segments in the worker', () => {
    expect(carriesContinuity('index.m3u8')).toBe(true);
    expect(carriesContinuity('ll.m3u8')).toBe(false);
    expect(carriesContinuity('seg_4.ts')).toBe(false);
  });
});

describe('newestSegmentOf', () => {
  it('gives the last listed segment with the discontinuities counted up to it', () => {
    expect(newestSegmentOf(workerPlaylist(1767225600123, 0, [0]))).toEqual({ mediaSequence: 1767225600126, discontinuitySequence: 1 });
    expect(newestSegmentOf(workerPlaylist(500, 3, [1, 3]))).toEqual({ mediaSequence: 503, discontinuitySequence: 5 });
  });

  it('gives nothing for a playlist without segments, a master playlist or garbage', () => {
    expect(newestSegmentOf('#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:4\n')).toBeUndefined();
    expect(newestSegmentOf('#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000\nsub.m3u8\n')).toBeUndefined();
    expect(newestSegmentOf('{"code":"NOT_FOUND"}')).toBeUndefined();
  });
});

describe('StreamContinuity', () => {
  it('remembers the newest position served per session, never going back, and forgets old ones', () => {
    const c = new StreamContinuity(10_000);
    c.record('cam/sub', { mediaSequence: 100, discontinuitySequence: 2 }, 0);
    c.record('cam/sub', { mediaSequence: 101, discontinuitySequence: 2 }, 1000);
    c.record('cam/sub', { mediaSequence: 99, discontinuitySequence: 2 }, 1500); // a slow answer of an older playlist
    expect(c.lastServed('cam/sub', 2000)).toEqual({ mediaSequence: 101, discontinuitySequence: 2 });
    expect(c.lastServed('cam/main', 2000)).toBeUndefined();
    expect(c.lastServed('cam/sub', 11_501)).toBeUndefined();
    // after it was forgotten, a new session (numbered from the clock again) is taken as it comes
    c.record('cam/sub', { mediaSequence: 50, discontinuitySequence: 0 }, 20_000);
    expect(c.lastServed('cam/sub', 20_000)).toEqual({ mediaSequence: 50, discontinuitySequence: 0 });
    c.prune(40_000);
    expect(c.lastServed('cam/sub', 20_001)).toBeUndefined();
  });
});
