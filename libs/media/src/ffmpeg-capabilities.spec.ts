import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { argFeaturesOf, capabilitiesFrom, FfmpegUnusableError, parseAvOptions, parseFfmpegVersion, problemsOf, type FfmpegProbeOutputs } from './ffmpeg-capabilities';
import { buildHlsArgs } from './hls-args.builder';
import { probeFfmpeg, type FfmpegCommandRunner } from './ffmpeg-probe';

const FIXTURES = join(__dirname, 'fixtures', 'ffmpeg');
const outputsOf = (build: string): FfmpegProbeOutputs => {
  const read = (file: string) => readFileSync(join(FIXTURES, build, file), 'utf8');
  return { version: read('version.txt'), rtspDemuxer: read('demuxer-rtsp.txt'), hlsMuxer: read('muxer-hls.txt'), x264Encoder: read('encoder-libx264.txt') };
};
const capsOf = (build: string) => capabilitiesFrom(`/opt/${build}/ffmpeg`, outputsOf(build));

describe('parseFfmpegVersion', () => {
  it.each([
    ['deb12-5.1', '5.1.9-0+deb12u1', [59, 27, 100]],
    ['npm-4.1', 'N-47683-g0e8eb07980-static', [58, 24, 100]],
    ['ubuntu22-4.4', '4.4.2-0ubuntu0.22.04.1', [58, 76, 100]],
    ['ubuntu24-6.1', '6.1.1-3ubuntu5', [60, 16, 100]],
    ['debian13-7.1', '7.1.1-1+b1', [61, 7, 100]],
    ['ubuntu18-3.4', '3.4.11-0ubuntu0.1', [57, 83, 100]],
  ])('%s', (build, version, libavformat) => {
    expect(parseFfmpegVersion(outputsOf(build).version)).toEqual({ version, libavformat });
  });

  it('a binary that is not ffmpeg has no libavformat', () => {
    expect(parseFfmpegVersion('GNU bash, version 5.2.15')).toEqual({ version: 'unknown' });
  });
});

describe('parseAvOptions', () => {
  it('reads options and their constants in the 4.x layout and the 5.x layout (value column)', () => {
    const old = parseAvOptions(outputsOf('npm-4.1').hlsMuxer)!;
    const neu = parseAvOptions(outputsOf('deb12-5.1').hlsMuxer)!;
    for (const opts of [old, neu]) {
      expect(opts.get('hls_flags')!.constants).toEqual(expect.any(Set));
      expect([...opts.get('hls_flags')!.constants]).toEqual(expect.arrayContaining(['delete_segments', 'omit_endlist', 'temp_file', 'discont_start']));
      expect(opts.get('hls_start_number_source')!.constants.has('epoch')).toBe(true);
    }
    expect(neu.get('hls_start_number_source')!.constants.has('epoch_us')).toBe(true);
    expect(old.get('hls_start_number_source')!.constants.has('epoch_us')).toBe(false);
  });

  it('an unknown format is undefined', () => {
    expect(parseAvOptions("Unknown format 'rtsp'.\n")).toBeUndefined();
  });
});

describe('argument tables per version family (the -stimeout/-timeout split)', () => {
  const URL_ = 'rtsp://admin:sim-pass@127.0.1.5:8554/main';
  const INPUT = (timeoutOption: string) => [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'warning',
    '-protocol_whitelist', 'rtsp,rtsps,rtp,udp,tcp,tls',
    '-rtsp_transport', 'tcp',
    timeoutOption, '5000000',
    '-probesize', '32768',
    '-analyzeduration', '500000',
    '-fpsprobesize', '0',
    '-i', URL_,
  ];
  it.each([
    ['npm-4.1', '4.x', '-stimeout'],
    ['ubuntu22-4.4', '4.x', '-stimeout'],
    ['deb12-5.1', '5.x', '-timeout'],
    ['ubuntu24-6.1', '6.x', '-timeout'],
    ['debian13-7.1', '7.x', '-timeout'],
  ])('%s (%s) gets %s for the socket timeout', (build, family, timeoutOption) => {
    const caps = capsOf(build);
    expect(caps.family).toBe(family);
    expect(problemsOf(caps)).toEqual([]);
    const features = argFeaturesOf(caps);
    expect(features.rtspSocketTimeout).toBe(timeoutOption);
    expect(features.libx264).toBe(true);
    const args = buildHlsArgs({ sourceUrl: URL_, outputDir: '/tmp/x', ffmpeg: features });
    expect(args.slice(0, INPUT(timeoutOption).length)).toEqual(INPUT(timeoutOption));
    // never the 4.x listen option on 4.x, never the removed one on 5.x+
    expect(args).not.toContain(timeoutOption === '-timeout' ? '-stimeout' : '-timeout');
    const flags = args[args.indexOf('-hls_flags') + 1]!;
    expect(flags).toBe('delete_segments+omit_endlist+temp_file+independent_segments');
  });

  it('a 3.x build is refused with one line naming it, its version, what is missing and FFMPEG_PATH', () => {
    const caps = capsOf('ubuntu18-3.4');
    expect(caps.family).toBe('3.x');
    expect(() => argFeaturesOf(caps)).toThrow(FfmpegUnusableError);
    try {
      argFeaturesOf(caps);
    } catch (e) {
      const message = (e as Error).message;
      expect(message).not.toContain('\n');
      expect(message).toContain('ffmpeg 3.4.11-0ubuntu0.1 (libavformat 57.83.100, 3.x) at /opt/ubuntu18-3.4/ffmpeg cannot be used');
      expect(message).toContain('FFmpeg 4.0 or newer is needed');
      expect(message).toContain('FFMPEG_PATH');
    }
  });

  it('a build without the RTSP demuxer or the HLS muxer names each', () => {
    const outputs = { ...outputsOf('deb12-5.1'), rtspDemuxer: "Unknown format 'rtsp'.\n", hlsMuxer: "Unknown format 'hls'.\n" };
    expect(problemsOf(capabilitiesFrom('/x/ffmpeg', outputs))).toEqual(['it has no RTSP demuxer', 'it has no HLS muxer']);
  });

  it('a build without libx264 is usable for stream copy and refuses a transcode as TRANSCODER_MISCONFIGURED', () => {
    const features = argFeaturesOf(capabilitiesFrom('/x/ffmpeg', { ...outputsOf('deb12-5.1'), x264Encoder: "Codec 'libx264' is not recognized by FFmpeg.\n" }));
    expect(features.libx264).toBe(false);
    expect(buildHlsArgs({ sourceUrl: URL_, outputDir: '/tmp/x', ffmpeg: features })).toContain('copy');
    expect(() => buildHlsArgs({ sourceUrl: URL_, outputDir: '/tmp/x', ffmpeg: features, sourceCodec: 'h265' })).toThrow(expect.objectContaining({ code: 'TRANSCODER_MISCONFIGURED' }));
  });
});

describe('probeFfmpeg', () => {
  const runnerFor = (build: string): FfmpegCommandRunner => async (_path, args) => {
    const o = outputsOf(build);
    if (args.includes('-version')) return o.version;
    if (args.includes('demuxer=rtsp')) return o.rtspDemuxer;
    if (args.includes('muxer=hls')) return o.hlsMuxer;
    return o.x264Encoder;
  };

  it('derives the features from what the binary prints', async () => {
    const probed = await probeFfmpeg('/usr/bin/ffmpeg', { run: runnerFor('deb12-5.1') });
    expect(probed.capabilities.version).toBe('5.1.9-0+deb12u1');
    expect(probed.features.rtspSocketTimeout).toBe('-timeout');
  });

  it('a binary that cannot run is one clear line', async () => {
    const run: FfmpegCommandRunner = async () => {
      throw new Error('no such file');
    };
    await expect(probeFfmpeg('/nope/ffmpeg', { run })).rejects.toThrow('ffmpeg at /nope/ffmpeg cannot be used: no such file. To fix: set FFMPEG_PATH');
  });

  it('runs a real binary: a script that is not ffmpeg is refused, a missing file too', async () => {
    await expect(probeFfmpeg('/bin/true')).rejects.toThrow(/at \/bin\/true cannot be used/);
    await expect(probeFfmpeg('/nonexistent/ffmpeg')).rejects.toThrow('ffmpeg at /nonexistent/ffmpeg cannot be used: no such file');
  });
});
