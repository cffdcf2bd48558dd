/**
 * What an ffmpeg binary can do, read from its own help output, and the argument features derived from it.
 * Pure: the probe that runs the binary lives in ffmpeg-probe.ts. Arguments follow what the ffmpeg actually
 * run supports, never its version number alone: distributions patch and backport, and builds such as the
 * npm-shipped one report a git snapshot ("N-47683-g0e8eb07980") instead of a release number.
 */

/** The raw texts a probe collects from one binary (each capped and deadline-bound by the probe). */
export interface FfmpegProbeOutputs {
  /** `ffmpeg -hide_banner -version` */
  version: string;
  /** `ffmpeg -hide_banner -h demuxer=rtsp` */
  rtspDemuxer: string;
  /** `ffmpeg -hide_banner -h muxer=hls` */
  hlsMuxer: string;
  /** `ffmpeg -hide_banner -h encoder=libx264` */
  x264Encoder: string;
}

export interface AvOption {
  description: string;
  /** Named constants listed under the option (flag names for `<flags>` options). */
  constants: ReadonlySet<string>;
}

export type LibVersion = readonly [major: number, minor: number, micro: number];

export interface FfmpegCapabilities {
  path: string;
  /** As the binary prints it: `5.1.9-0+deb12u1`, `N-47683-g0e8eb07980-static`, `n7.1`. */
  version: string;
  libavformat?: LibVersion;
  /** Release family from libavformat's major version (`5.x`), the one number every build reports truthfully. */
  family: string;
  rtspDemuxer?: ReadonlyMap<string, AvOption>;
  hlsMuxer?: ReadonlyMap<string, AvOption>;
  libx264: boolean;
}

/**
 * The facts the HLS argument builder needs, derived once per binary. A builder given these never emits an
 * option the binary does not have.
 */
export interface FfmpegArgFeatures {
  /**
   * RTSP input option bounding each socket read/connect, in microseconds: `-stimeout` on FFmpeg ≤ 4.x,
   * `-timeout` from 5.0 (where 4.x's `-timeout` meant "listen for an incoming connection").
   */
  rtspSocketTimeout: '-stimeout' | '-timeout';
  /** HLS muxer flags this binary knows (only the ones Tiergate may use). */
  hlsFlags: ReadonlySet<HlsFlag>;
  /** `-hls_start_number_source` constants this binary knows (`epoch` on every supported build). */
  hlsStartNumberSources: ReadonlySet<string>;
  /** libx264 is compiled in (needed to transcode H.265/MJPEG cameras, never for stream copy). */
  libx264: boolean;
}

/** Flags the builder may ask for; `delete_segments` and `omit_endlist` are required, the others used when present. */
export const HLS_FLAGS = ['delete_segments', 'omit_endlist', 'temp_file', 'independent_segments', 'discont_start', 'program_date_time'] as const;
export type HlsFlag = (typeof HLS_FLAGS)[number];
const REQUIRED_HLS_FLAGS: readonly HlsFlag[] = ['delete_segments', 'omit_endlist'];

/** Oldest libavformat major accepted: 58 is FFmpeg 4.0 (the npm-shipped 2018 build is 58.24). */
export const MIN_LIBAVFORMAT_MAJOR = 58;

/** libavformat major → FFmpeg release family (libavformat bumps its major with each FFmpeg major). */
const FAMILIES: Readonly<Record<number, string>> = { 56: '2.x', 57: '3.x', 58: '4.x', 59: '5.x', 60: '6.x', 61: '7.x', 62: '8.x' };

export function familyOf(libavformat: LibVersion | undefined): string {
  if (!libavformat) return 'unknown';
  return FAMILIES[libavformat[0]] ?? (libavformat[0] > 62 ? `newer than 8.x (libavformat ${libavformat[0]})` : `older than 2.x (libavformat ${libavformat[0]})`);
}

/** Reads `ffmpeg version X` and the `libavformat  59. 27.100 / ...` line of `ffmpeg -version`. */
export function parseFfmpegVersion(text: string): { version: string; libavformat?: LibVersion } {
  const version = /ffmpeg version (\S+)/.exec(text)?.[1] ?? 'unknown';
  const lib = /^\s*libavformat\s+(\d+)\.\s*(\d+)\.\s*(\d+)/m.exec(text);
  return lib ? { version, libavformat: [Number(lib[1]), Number(lib[2]), Number(lib[3])] } : { version };
}

/**
 * Parses the AVOptions of `ffmpeg -h demuxer=X` / `-h muxer=X`: option lines are `  -name <type> FLAGS description`,
 * their constants are the deeper-indented lines below (`     name [value] FLAGS description`; 5.x+ prints the
 * value column, 4.x does not). Returns undefined when ffmpeg says the format is unknown.
 */
export function parseAvOptions(text: string): Map<string, AvOption> | undefined {
  if (/^Unknown format /m.test(text) || !/^(De)?[Mm]uxer \S+/m.test(text)) return undefined;
  const options = new Map<string, { description: string; constants: Set<string> }>();
  let current: { description: string; constants: Set<string> } | undefined;
  for (const line of text.split('\n')) {
    const option = /^ {2}-(\S+)\s+<[^>]*>\s+[A-Z.]+\s*(.*)$/.exec(line);
    if (option) {
      current = { description: option[2].trim(), constants: new Set() };
      options.set(option[1], current);
      continue;
    }
    const constant = /^ {4,}(\S+)\s+(?:-?\d+\s+)?[A-Z.]{5,}(?:\s|$)/.exec(line);
    if (constant && current) {
      current.constants.add(constant[1]);
      continue;
    }
    if (!line.startsWith(' ')) current = undefined; // a new section ("hls muxer AVOptions:")
  }
  return options;
}

/** Builds the capabilities of one binary from what it printed. */
export function capabilitiesFrom(path: string, outputs: FfmpegProbeOutputs): FfmpegCapabilities {
  const { version, libavformat } = parseFfmpegVersion(outputs.version);
  return {
    path,
    version,
    libavformat,
    family: familyOf(libavformat),
    rtspDemuxer: parseAvOptions(outputs.rtspDemuxer),
    hlsMuxer: parseAvOptions(outputs.hlsMuxer),
    libx264: /^Encoder libx264 /m.test(outputs.x264Encoder),
  };
}

/** The RTSP socket-timeout option, chosen by what each option says it does (never by version alone). */
function rtspSocketTimeoutOf(rtsp: ReadonlyMap<string, AvOption>): FfmpegArgFeatures['rtspSocketTimeout'] | undefined {
  const timeout = rtsp.get('timeout');
  if (timeout && /socket/i.test(timeout.description) && !/incoming connections/i.test(timeout.description)) return '-timeout';
  if (rtsp.has('stimeout')) return '-stimeout';
  return undefined;
}

/** Everything that keeps Tiergate from using this binary, in words an operator can act on; empty when usable. */
export function problemsOf(caps: FfmpegCapabilities): string[] {
  const problems: string[] = [];
  if (!caps.libavformat) problems.push('it did not report a libavformat version (is it ffmpeg?)');
  else if (caps.libavformat[0] < MIN_LIBAVFORMAT_MAJOR) problems.push(`FFmpeg 4.0 or newer is needed (libavformat ${MIN_LIBAVFORMAT_MAJOR}+)`);
  if (!caps.rtspDemuxer) problems.push('it has no RTSP demuxer');
  else if (!rtspSocketTimeoutOf(caps.rtspDemuxer)) problems.push('its RTSP demuxer has no socket timeout option (-stimeout or -timeout)');
  if (!caps.hlsMuxer) problems.push('it has no HLS muxer');
  else {
    const flags = caps.hlsMuxer.get('hls_flags')?.constants ?? new Set<string>();
    const missing = REQUIRED_HLS_FLAGS.filter((f) => !flags.has(f));
    if (missing.length > 0) problems.push(`its HLS muxer lacks -hls_flags ${missing.join(', ')}`);
  }
  return problems;
}

/** One line naming a binary: `ffmpeg 5.1.9-0+deb12u1 (libavformat 59.27.100, 5.x) at /usr/bin/ffmpeg`. */
export function describeFfmpeg(caps: Pick<FfmpegCapabilities, 'path' | 'version' | 'libavformat' | 'family'>): string {
  const lib = caps.libavformat ? `libavformat ${caps.libavformat[0]}.${caps.libavformat[1]}.${caps.libavformat[2]}, ${caps.family}` : 'libavformat unknown';
  return `ffmpeg ${caps.version} (${lib}) at ${caps.path}`;
}

/** Thrown when the located ffmpeg cannot serve; its message is the one start-up line. */
export class FfmpegUnusableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FfmpegUnusableError';
  }
}

const HOW_TO_FIX =
  'set FFMPEG_PATH to an FFmpeg 4.0-7.x build with the RTSP demuxer and HLS muxer (Debian: apt-get install ffmpeg, then FFMPEG_PATH=/usr/bin/ffmpeg; or the npm-shipped one at node_modules/@ffmpeg-installer/linux-x64/ffmpeg)';

/** The argument features of a usable binary; throws FfmpegUnusableError with the one start-up line otherwise. */
export function argFeaturesOf(caps: FfmpegCapabilities): FfmpegArgFeatures {
  const problems = problemsOf(caps);
  if (problems.length > 0) throw new FfmpegUnusableError(`${describeFfmpeg(caps)} cannot be used: ${problems.join('; ')}. To fix: ${HOW_TO_FIX}`);
  const flags = caps.hlsMuxer!.get('hls_flags')!.constants;
  return {
    rtspSocketTimeout: rtspSocketTimeoutOf(caps.rtspDemuxer!)!,
    hlsFlags: new Set(HLS_FLAGS.filter((f) => flags.has(f))),
    hlsStartNumberSources: new Set(caps.hlsMuxer!.get('hls_start_number_source')?.constants ?? []),
    libx264: caps.libx264,
  };
}

/** The message for a binary that could not even be run (missing, not executable, hung). */
export function unrunnableMessage(path: string, reason: string): string {
  return `ffmpeg at ${path} cannot be used: ${reason}. To fix: ${HOW_TO_FIX}`;
}
