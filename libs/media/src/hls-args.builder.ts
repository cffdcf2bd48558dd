import { PLAYLIST_NAME } from '@tiergate/contracts';
import { TiergateError } from '@tiergate/domain';
import type { FfmpegArgFeatures, HlsFlag } from './ffmpeg-capabilities';

/** Codecs a camera profile may announce; anything other than H.264 forces a transcode. */
export type SourceCodec = 'h264' | 'h265' | 'mjpeg' | 'unknown';

export interface HlsArgsOptions {
  /** rtsp:// or rtsps:// URL, credentials included (only ever passed as an argv entry, never logged). */
  sourceUrl: string;
  /** Absolute directory for the playlist and segments. */
  outputDir: string;
  sourceCodec?: SourceCodec;
  /** Force a transcode to H.264 even for an H.264 source. */
  transcode?: boolean;
  /** Maximum output height when transcoding (width follows the aspect ratio; never upscaled). Default 720. */
  transcodeHeight?: number;
  /** Target segment length in seconds; the real length follows the source keyframe interval. Default 1. */
  hlsTime?: number;
  /** Segments kept in the sliding playlist. Default 6. */
  listSize?: number;
  /**
   * Media sequence number of the first segment (`-start_number`; the first segment file is seg_<n>.ts). Default 0.
   * A live session passes one that never repeats across restarts and workers (see apps/transcoder hls-timeline.ts).
   */
  startNumber?: number;
  /** Bytes ffmpeg may read to find stream parameters. Default 32768: at 2 Mbit/s the old 500000 alone cost ~2 s before output started (measured). */
  probeSize?: number;
  /** Microseconds ffmpeg may analyse for stream parameters. Default 500000. */
  analyzeDurationUs?: number;
  /** Socket I/O timeout towards the camera in microseconds (RTSP `-stimeout` or `-timeout`, per `ffmpeg`). Default 5000000. */
  socketTimeoutUs?: number;
  /** What the ffmpeg that will run these arguments supports (from probeFfmpeg at start-up). */
  ffmpeg: FfmpegArgFeatures;
  /**
   * A second output for the low-latency path (issue 13): fragmented MP4 on stdout, a fragment at least every
   * `fragmentDurationMs` and at every keyframe. Absent: the classic HLS output alone, exactly as before.
   */
  fmp4?: { fragmentDurationMs: number };
}

export const SEGMENT_PATTERN = 'seg_%d.ts';

/** Minimal input allow-list: RTSP(S) and what it rides on. No file, http, concat, data, ... */
export const RTSP_PROTOCOL_WHITELIST = 'rtsp,rtsps,rtp,udp,tcp,tls';

const SUPPORTED_SCHEMES = new Set(['rtsp:', 'rtsps:']);

export function needsTranscode(options: Pick<HlsArgsOptions, 'sourceCodec' | 'transcode'>): boolean {
  return options.transcode === true || (options.sourceCodec !== undefined && options.sourceCodec !== 'h264' && options.sourceCodec !== 'unknown');
}

/** Throws UNSUPPORTED_URL for anything but a well-formed rtsp:// or rtsps:// URL. The message never echoes credentials. */
export function assertRtspUrl(sourceUrl: string): URL {
  let url: URL;
  try {
    url = new URL(sourceUrl);
  } catch {
    throw new TiergateError('UNSUPPORTED_URL', 'source URL is not a valid URL');
  }
  if (!SUPPORTED_SCHEMES.has(url.protocol)) {
    throw new TiergateError('UNSUPPORTED_URL', `source URL scheme ${JSON.stringify(url.protocol.slice(0, 16))} is not supported (rtsp:// or rtsps:// only)`);
  }
  if (!url.hostname || /[\s]/.test(sourceUrl)) throw new TiergateError('UNSUPPORTED_URL', 'source URL has no host or contains whitespace');
  return url;
}

const positive = (name: string, value: number, integer: boolean): number => {
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new TiergateError('VALIDATION_FAILED', `${name} must be a positive ${integer ? 'integer' : 'number'}`);
  }
  return value;
};

/** A media sequence number: an integer from 0 up to what a JS number holds exactly (ffmpeg takes int64). */
const sequenceNumber = (name: string, value: number): number => {
  if (!Number.isSafeInteger(value) || value < 0) throw new TiergateError('VALIDATION_FAILED', `${name} must be an integer from 0 to ${Number.MAX_SAFE_INTEGER}`);
  return value;
};

/**
 * Builds the exact ffmpeg argument array for RTSP -> sliding-window HLS. Pure: no I/O, no defaults read
 * from the environment. The result goes to spawn() as argv, never through a shell.
 */
export function buildHlsArgs(options: HlsArgsOptions): string[] {
  assertRtspUrl(options.sourceUrl);
  if (!options.outputDir.startsWith('/')) throw new TiergateError('VALIDATION_FAILED', 'outputDir must be absolute');
  const hlsTime = positive('hlsTime', options.hlsTime ?? 1, false);
  const listSize = positive('listSize', options.listSize ?? 6, true);
  const probeSize = positive('probeSize', options.probeSize ?? 32_768, true);
  const analyzeDurationUs = positive('analyzeDurationUs', options.analyzeDurationUs ?? 500_000, true);
  const socketTimeoutUs = positive('socketTimeoutUs', options.socketTimeoutUs ?? 5_000_000, true);
  const dir = options.outputDir.replace(/\/+$/, '');
  const startNumber = options.startNumber === undefined ? undefined : sequenceNumber('startNumber', options.startNumber);

  // Start-up (measured here, 720p25, 1 s GOP): `-fflags nobuffer` made the first playlist ~1 s LATER: packets read
  // while probing are dropped, the first keyframe with them, so the first segment waits a whole extra GOP.
  // A small probesize matters instead: 500 kB alone is ~2 s of a 2 Mbit/s stream read before output starts.
  const input = [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'warning',
    '-protocol_whitelist', RTSP_PROTOCOL_WHITELIST,
    '-rtsp_transport', 'tcp',
    options.ffmpeg.rtspSocketTimeout, String(socketTimeoutUs),
    '-probesize', String(probeSize),
    '-analyzeduration', String(analyzeDurationUs),
    // Stream copy needs no frame rate, and ffmpeg would read up to 20 frames (0.8 s at 25 fps, until probesize or
    // analyzeduration ends it) to estimate one: without that, output starts at the first keyframe's parameters.
    // Measured here, sub stream 640x360, 1 s GOP, time to the first fMP4 fragment p50 1380 -> 1011 ms (12 cold
    // starts each, alternating, one run). A transcode keeps the estimate: its encoder's frame rate comes from it.
    ...(needsTranscode(options) ? [] : ['-fpsprobesize', '0']),
    '-i', options.sourceUrl,
    '-map', '0:v:0', '-an', '-sn', '-dn',
  ];
  if (needsTranscode(options) && !options.ffmpeg.libx264) {
    throw new TiergateError('TRANSCODER_MISCONFIGURED', 'this transcoder\'s ffmpeg has no libx264 encoder, needed to convert this camera\'s video to H.264');
  }
  const video = needsTranscode(options)
    ? [
        '-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-profile:v', 'main', '-pix_fmt', 'yuv420p',
        // never upscale: height min(target, input); `\\,` escapes the comma inside the filtergraph
        '-vf', `scale=-2:min(${positive('transcodeHeight', options.transcodeHeight ?? 720, true)}\\,ih)`,
        '-force_key_frames', `expr:gte(t,n_forced*${hlsTime})`, '-sc_threshold', '0',
      ]
    : ['-c:v', 'copy'];
  const fmp4 = options.fmp4 && { fragDurationUs: Math.round(1000 * positive('fragmentDurationMs', options.fmp4.fragmentDurationMs, false)) };
  const hls = [
    '-f', 'hls',
    '-hls_time', String(hlsTime),
    '-hls_list_size', String(listSize),
    '-hls_flags', hlsFlagsArg(options.ffmpeg, ['delete_segments', 'omit_endlist', 'temp_file', 'independent_segments']),
    '-hls_allow_cache', '0',
    ...(startNumber === undefined ? [] : ['-start_number', String(startNumber)]),
    '-hls_segment_filename', `${dir}/${SEGMENT_PATTERN}`,
    '-y', `${dir}/${PLAYLIST_NAME}`,
  ];
  if (!fmp4) return [...input, ...video, ...hls];
  if (!needsTranscode(options)) {
    // Stream copy: a second output of the same input, copied again. Copying costs no decode or encode
    // (measured in docs/live-low-latency.md), and the HLS output's arguments stay exactly as they are.
    return [...input, ...video, ...hls, '-map', '0:v:0', '-c:v', 'copy', ...FMP4_PIPE(fmp4.fragDurationUs)];
  }
  // Transcode: a second output would encode the picture a second time (x264 is nearly all of such an ffmpeg's
  // CPU), so the one encoded stream goes to both muxers through the tee muxer. mp4 needs the SPS/PPS in the
  // moov (global header); the HLS muxer's mpegts puts them back in-band before each keyframe. A failing fMP4
  // pipe must not stop the HLS output (onfail=ignore).
  return [...input, ...video, '-flags:v', '+global_header', '-f', 'tee', '-y', teeSpec(hls, fmp4.fragDurationUs, dir)];
}

/** Muxer flags of the fMP4 output: no samples in the moov, fragments addressed from their moof, one per keyframe at least. */
export const FMP4_MOVFLAGS = 'empty_moov+default_base_moof+frag_keyframe';

const FMP4_PIPE = (fragDurationUs: number): string[] => ['-f', 'mp4', '-movflags', FMP4_MOVFLAGS, '-frag_duration', String(fragDurationUs), 'pipe:1'];

/** Characters with a meaning in a tee slave list (`[opt=v:opt=v]file|...`); an output directory must have none. */
const TEE_SPECIAL = /[[\]|:=\\'"]/;

/** The tee muxer's slave list for the HLS arguments built above and the fMP4 pipe. */
function teeSpec(hls: readonly string[], fragDurationUs: number, dir: string): string {
  if (TEE_SPECIAL.test(dir)) throw new TiergateError('VALIDATION_FAILED', 'outputDir must not contain [ ] | : = \\ or quotes when transcoding with the low-latency output');
  const options: string[] = [];
  for (let i = 0; i < hls.length - 2; i += 2) options.push(`${hls[i]!.replace(/^-/, '')}=${hls[i + 1]}`);
  const hlsSlave = `[${options.join(':')}]${hls[hls.length - 1]}`; // f=hls first, then the HLS muxer's own options
  const fmp4Slave = `[f=mp4:onfail=ignore:movflags=${FMP4_MOVFLAGS}:frag_duration=${fragDurationUs}]pipe:1`;
  return `${hlsSlave}|${fmp4Slave}`;
}

/** The wanted HLS flags this ffmpeg knows, in the order given (the required ones are checked at probe time). */
function hlsFlagsArg(ffmpeg: FfmpegArgFeatures, wanted: readonly HlsFlag[]): string {
  return wanted.filter((f) => ffmpeg.hlsFlags.has(f)).join('+');
}
