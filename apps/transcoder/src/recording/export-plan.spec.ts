import { concatListOf, exportFfmpegArgs, exportRunsOf, progressTimeMsOf, type ExportSegment } from './export-plan';

const T0 = Date.UTC(2026, 0, 5, 10);
const INIT_A = 'c/sub/init/00000000000000aa.mp4';
const INIT_B = 'c/sub/init/00000000000000bb.mp4';
const seg = (id: string, fromS: number, toS: number, initPath = INIT_A): ExportSegment => ({
  id, rootId: 'r0', path: `c/sub/x/${id}.m4s`, initPath, startAt: new Date(T0 + fromS * 1000), endAt: new Date(T0 + toS * 1000), bytes: 100,
});

describe('exportRunsOf', () => {
  it('keeps segments that meet under one init in one run, in time order', () => {
    const runs = exportRunsOf([seg('2', 4, 8), seg('1', 0, 4), seg('3', 8.02, 12)]);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ initPath: INIT_A, durationMs: 11_980, bytes: 300 });
    expect(runs[0].segments.map((s) => s.id)).toEqual(['1', '2', '3']);
  });
  it('starts a new run at a gap (even one the timeline tolerates) and where the init changes', () => {
    const runs = exportRunsOf([seg('1', 0, 4), seg('2', 5, 9), seg('3', 9, 13, INIT_B)]);
    expect(runs.map((r) => r.segments.map((s) => s.id))).toEqual([['1'], ['2'], ['3']]);
  });
});

describe('exportFfmpegArgs', () => {
  it('stream-copies one run with faststart and progress on stdout', () => {
    expect(exportFfmpegArgs({ run: '/r/x/a.tmp' }, '/r/x/a.mp4.tmp').join(' ')).toBe(
      '-hide_banner -nostdin -loglevel error -y -i /r/x/a.tmp -map 0 -c copy -movflags +faststart -progress pipe:1 -nostats -f mp4 /r/x/a.mp4.tmp',
    );
  });
  it('reads several runs through the concat demuxer', () => {
    expect(exportFfmpegArgs({ concatList: '/r/x/l.txt' }, '/o.mp4').join(' ')).toContain('-f concat -safe 0 -i /r/x/l.txt -map 0 -c copy');
    expect(concatListOf(["/r/a.tmp", "/r/it's.tmp"])).toBe("ffconcat version 1.0\nfile '/r/a.tmp'\nfile '/r/it'\\''s.tmp'\n");
  });
  it('reads the newest out_time_us of a progress block', () => {
    expect(progressTimeMsOf('frame=10\nout_time_us=400000\nprogress=continue\nout_time_us=1250000\n')).toBe(1250);
    expect(progressTimeMsOf('progress=end\n')).toBeUndefined();
  });
});
