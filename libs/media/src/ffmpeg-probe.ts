import { execFile } from 'node:child_process';
import { argFeaturesOf, capabilitiesFrom, FfmpegUnusableError, unrunnableMessage, type FfmpegArgFeatures, type FfmpegCapabilities, type FfmpegProbeOutputs } from './ffmpeg-capabilities';

/** Runs one ffmpeg invocation and returns what it printed (stdout then stderr); rejects when it cannot run. */
export type FfmpegCommandRunner = (path: string, args: readonly string[], limits: { timeoutMs: number; maxBytes: number }) => Promise<string>;

const PROBES: { readonly [K in keyof FfmpegProbeOutputs]: readonly string[] } = {
  version: ['-hide_banner', '-version'],
  rtspDemuxer: ['-hide_banner', '-h', 'demuxer=rtsp'],
  hlsMuxer: ['-hide_banner', '-h', 'muxer=hls'],
  x264Encoder: ['-hide_banner', '-h', 'encoder=libx264'],
};

/**
 * child_process runner: argv only, no shell, a deadline (SIGKILL at timeoutMs) and an output cap.
 * A non-zero exit still yields its output: `-h muxer=nope` prints "Unknown format" and exits 0 on some builds, 1 on others.
 */
export const execFileRunner: FfmpegCommandRunner = (path, args, { timeoutMs, maxBytes }) =>
  new Promise((resolve, reject) => {
    execFile(path, [...args], { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: maxBytes, windowsHide: true, encoding: 'utf8' }, (err, stdout, stderr) => {
      const output = `${stdout ?? ''}${stderr ?? ''}`;
      if (!err) return resolve(output);
      const e = err as NodeJS.ErrnoException & { killed?: boolean; code?: unknown };
      if (e.killed) return reject(new Error(`it did not answer within ${timeoutMs} ms`));
      if (typeof e.code === 'string') return reject(new Error(e.code === 'ENOENT' ? 'no such file' : e.code === 'EACCES' ? 'not executable' : e.code));
      if (output.length > 0) return resolve(output); // exited non-zero but spoke: let the parser judge
      reject(new Error(`it exited with code ${String(e.code)} and printed nothing`));
    });
  });

export interface ProbedFfmpeg {
  capabilities: FfmpegCapabilities;
  features: FfmpegArgFeatures;
}

/**
 * Probes an ffmpeg binary (version, libavformat, the RTSP demuxer's options, the HLS muxer's flags, libx264)
 * and derives the argument features Tiergate will use with it. Throws FfmpegUnusableError whose message is
 * one line naming the binary, its version and what is missing, and how to point FFMPEG_PATH elsewhere.
 */
export async function probeFfmpeg(path: string, options: { timeoutMs?: number; run?: FfmpegCommandRunner } = {}): Promise<ProbedFfmpeg> {
  const run = options.run ?? execFileRunner;
  const limits = { timeoutMs: options.timeoutMs ?? 10_000, maxBytes: 1 << 20 };
  let outputs: FfmpegProbeOutputs;
  try {
    const keys = Object.keys(PROBES) as (keyof FfmpegProbeOutputs)[];
    const texts = await Promise.all(keys.map((k) => run(path, PROBES[k], limits)));
    outputs = Object.fromEntries(keys.map((k, i) => [k, texts[i]])) as unknown as FfmpegProbeOutputs;
  } catch (err) {
    throw new FfmpegUnusableError(unrunnableMessage(path, (err as Error).message));
  }
  const capabilities = capabilitiesFrom(path, outputs);
  return { capabilities, features: argFeaturesOf(capabilities) };
}
