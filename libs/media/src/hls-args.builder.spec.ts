import { TiergateError } from '@tiergate/domain';
import type { FfmpegArgFeatures } from './ffmpeg-capabilities';
import { buildHlsArgs, needsTranscode, type HlsArgsOptions } from './hls-args.builder';

/** Debian 12's ffmpeg 5.1 as probed (per-family tables: ffmpeg-capabilities.spec.ts). */
const F5: FfmpegArgFeatures = {
  rtspSocketTimeout: '-timeout',
  hlsFlags: new Set(['delete_segments', 'omit_endlist', 'temp_file', 'independent_segments', 'discont_start', 'program_date_time']),
  hlsStartNumberSources: new Set(['generic', 'epoch', 'epoch_us', 'datetime']),
  libx264: true,
};

const URL_ = 'rtsp://admin:sim-pass@127.0.1.5:8554/main';
const INPUT = (url: string, probe = '32768', analyze = '500000', socketTimeout = '5000000') => [
  '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'warning',
  '-protocol_whitelist', 'rtsp,rtsps,rtp,udp,tcp,tls',
  '-rtsp_transport', 'tcp',
  '-timeout', socketTimeout,
  '-probesize', probe,
  '-analyzeduration', analyze,
  '-fpsprobesize', '0', // stream copy: no frame-rate estimate before output starts
  '-i', url,
  '-map', '0:v:0', '-an', '-sn', '-dn',
];
/** A transcode keeps ffmpeg's frame-rate estimate (the encoder's rate comes from it). */
const TRANSCODING_INPUT = (url: string): string[] => INPUT(url).filter((a, i, all) => a !== '-fpsprobesize' && all[i - 1] !== '-fpsprobesize');
const OUTPUT = (dir: string, time = '1', size = '6') => [
  '-f', 'hls',
  '-hls_time', time,
  '-hls_list_size', size,
  '-hls_flags', 'delete_segments+omit_endlist+temp_file+independent_segments',
  '-hls_allow_cache', '0',
  '-hls_segment_filename', `${dir}/seg_%d.ts`,
  '-y', `${dir}/index.m3u8`,
];
const X264 = (height: string, time = '1') => [
  '-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-profile:v', 'main', '-pix_fmt', 'yuv420p',
  '-vf', `scale=-2:min(${height}\\,ih)`,
  '-force_key_frames', `expr:gte(t,n_forced*${time})`, '-sc_threshold', '0',
];

describe('buildHlsArgs', () => {
  const cases: Array<[string, HlsArgsOptions, string[]]> = [
    ['H.264 source is stream-copied', { ffmpeg: F5, sourceUrl: URL_, outputDir: '/dev/shm/tiergate-hls/w1/c1-main', sourceCodec: 'h264' },
      [...INPUT(URL_), '-c:v', 'copy', ...OUTPUT('/dev/shm/tiergate-hls/w1/c1-main')]],
    ['unknown codec defaults to copy; trailing slash trimmed', { ffmpeg: F5, sourceUrl: URL_, outputDir: '/tmp/x/' },
      [...INPUT(URL_), '-c:v', 'copy', ...OUTPUT('/tmp/x')]],
    ['transcode forced on H.264', { ffmpeg: F5, sourceUrl: URL_, outputDir: '/tmp/x', sourceCodec: 'h264', transcode: true },
      [...TRANSCODING_INPUT(URL_), ...X264('720'), ...OUTPUT('/tmp/x')]],
    ['H.265 is transcoded, custom height', { ffmpeg: F5, sourceUrl: URL_, outputDir: '/tmp/x', sourceCodec: 'h265', transcodeHeight: 360 },
      [...TRANSCODING_INPUT(URL_), ...X264('360'), ...OUTPUT('/tmp/x')]],
    ['MJPEG is transcoded', { ffmpeg: F5, sourceUrl: 'rtsps://cam.local/stream', outputDir: '/tmp/x', sourceCodec: 'mjpeg' },
      [...TRANSCODING_INPUT('rtsps://cam.local/stream'), ...X264('720'), ...OUTPUT('/tmp/x')]],
    ['tuning knobs flow through', { ffmpeg: F5, sourceUrl: URL_, outputDir: '/tmp/x', hlsTime: 2, listSize: 3, probeSize: 32768, analyzeDurationUs: 200000, socketTimeoutUs: 2000000 },
      [...INPUT(URL_, '32768', '200000', '2000000'), '-c:v', 'copy', ...OUTPUT('/tmp/x', '2', '3')]],
  ];
  it.each(cases)('%s', (_name, options, expected) => {
    expect(buildHlsArgs(options)).toEqual(expected);
  });

  it.each([
    'http://127.0.0.1/a.m3u8',
    'file:///etc/passwd',
    'concat:rtsp://a|rtsp://b',
    'rtmp://127.0.0.1/live',
    'not a url',
    'rtsp://',
  ])('rejects %s with UNSUPPORTED_URL', (sourceUrl) => {
    const run = () => buildHlsArgs({ ffmpeg: F5, sourceUrl, outputDir: '/tmp/x' });
    expect(run).toThrow(TiergateError);
    try {
      run();
    } catch (e) {
      expect((e as TiergateError).code).toBe('UNSUPPORTED_URL');
    }
  });

  it('never echoes credentials in the UNSUPPORTED_URL message', () => {
    try {
      buildHlsArgs({ ffmpeg: F5, sourceUrl: 'http://admin:secret@127.0.0.1/', outputDir: '/tmp/x' });
      throw new Error('did not throw');
    } catch (e) {
      expect((e as Error).message).not.toContain('secret');
    }
  });

  it.each([
    [{ hlsTime: 0 }], [{ listSize: 2.5 }], [{ probeSize: -1 }], [{ transcodeHeight: Number.NaN, transcode: true }],
  ])('rejects bad numbers %j with VALIDATION_FAILED', (extra) => {
    expect(() => buildHlsArgs({ ffmpeg: F5, sourceUrl: URL_, outputDir: '/tmp/x', ...extra })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });

  it('scales down only, with the filtergraph comma escaped (argv, no shell)', () => {
    const args = buildHlsArgs({ ffmpeg: F5, sourceUrl: URL_, outputDir: '/tmp/x', transcode: true, transcodeHeight: 480 });
    expect(args[args.indexOf('-vf') + 1]).toBe('scale=-2:min(480\\,ih)');
    expect(args[args.indexOf('-vf') + 1]).toHaveLength('scale=-2:min(480,ih)'.length + 1);
  });

  it('numbers segments from startNumber (ffmpeg -start_number, int64) so a restart never reuses a sequence number', () => {
    const out = OUTPUT('/tmp/x');
    const at = out.indexOf('-hls_segment_filename');
    expect(buildHlsArgs({ ffmpeg: F5, sourceUrl: URL_, outputDir: '/tmp/x', startNumber: 1_767_225_600_123 }))
      .toEqual([...INPUT(URL_), '-c:v', 'copy', ...out.slice(0, at), '-start_number', '1767225600123', ...out.slice(at)]);
    expect(buildHlsArgs({ ffmpeg: F5, sourceUrl: URL_, outputDir: '/tmp/x', startNumber: 0 })).toContain('-start_number');
  });

  it.each([-1, 1.5, Number.NaN, 2 ** 53])('rejects startNumber %p with VALIDATION_FAILED', (startNumber) => {
    expect(() => buildHlsArgs({ ffmpeg: F5, sourceUrl: URL_, outputDir: '/tmp/x', startNumber })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });

  it('rejects a relative output dir', () => {
    expect(() => buildHlsArgs({ ffmpeg: F5, sourceUrl: URL_, outputDir: 'out' })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });

  it.each([
    [{}, false], [{ sourceCodec: 'h264' as const }, false], [{ sourceCodec: 'h265' as const }, true],
    [{ sourceCodec: 'mjpeg' as const }, true], [{ transcode: true }, true], [{ sourceCodec: 'unknown' as const }, false],
  ])('needsTranscode(%j) = %s', (opts, expected) => {
    expect(needsTranscode(opts)).toBe(expected);
  });

  describe('with the low-latency fMP4 output (issue 13)', () => {
    const FMP4 = ['-map', '0:v:0', '-c:v', 'copy', '-f', 'mp4', '-movflags', 'empty_moov+default_base_moof+frag_keyframe', '-frag_duration', '200000', 'pipe:1'];

    it('stream copy: the classic HLS output exactly as without it, then a second copy to fMP4 on stdout', () => {
      expect(buildHlsArgs({ ffmpeg: F5, sourceUrl: URL_, outputDir: '/tmp/x', sourceCodec: 'h264', fmp4: { fragmentDurationMs: 200 } }))
        .toEqual([...INPUT(URL_), '-c:v', 'copy', ...OUTPUT('/tmp/x'), ...FMP4]);
    });

    it('the fragment duration is given in microseconds', () => {
      const args = buildHlsArgs({ ffmpeg: F5, sourceUrl: URL_, outputDir: '/tmp/x', fmp4: { fragmentDurationMs: 33.4 } });
      expect(args[args.indexOf('-frag_duration') + 1]).toBe('33400');
    });

    it('transcode: encodes once, the tee muxer writing the same HLS options and the fMP4 pipe', () => {
      const out = OUTPUT('/tmp/x');
      const at = out.indexOf('-hls_segment_filename');
      const withStart = [...out.slice(0, at), '-start_number', '7', ...out.slice(at)];
      const hlsOptions: string[] = [];
      for (let i = 0; i < withStart.length - 2; i += 2) hlsOptions.push(`${withStart[i]!.slice(1)}=${withStart[i + 1]}`);
      expect(buildHlsArgs({ ffmpeg: F5, sourceUrl: URL_, outputDir: '/tmp/x', transcode: true, startNumber: 7, fmp4: { fragmentDurationMs: 200 } })).toEqual([
        ...TRANSCODING_INPUT(URL_), ...X264('720'), '-flags:v', '+global_header', '-f', 'tee', '-y',
        `[${hlsOptions.join(':')}]/tmp/x/index.m3u8|[f=mp4:onfail=ignore:movflags=empty_moov+default_base_moof+frag_keyframe:frag_duration=200000]pipe:1`,
      ]);
      expect(hlsOptions[0]).toBe('f=hls');
      expect(hlsOptions).toContain('hls_segment_filename=/tmp/x/seg_%d.ts');
    });

    it.each(['/tmp/a:b', '/tmp/a|b', '/tmp/a[b]'])('refuses a tee-unsafe output dir %s when transcoding', (outputDir) => {
      expect(() => buildHlsArgs({ ffmpeg: F5, sourceUrl: URL_, outputDir, transcode: true, fmp4: { fragmentDurationMs: 200 } })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    });

    it.each([0, -5, Number.NaN])('rejects fragmentDurationMs %p', (fragmentDurationMs) => {
      expect(() => buildHlsArgs({ ffmpeg: F5, sourceUrl: URL_, outputDir: '/tmp/x', fmp4: { fragmentDurationMs } })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    });
  });
});
