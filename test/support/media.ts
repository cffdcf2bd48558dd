import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { locateFfmpeg } from '@tiergate/media';

const run = promisify(execFile);

export interface DecodedVideo {
  width: number;
  height: number;
  frames: number;
  /** Frames with distinct content: a moving test pattern gives nearly as many as frames. */
  distinctFrames: number;
}

/**
 * Decodes up to `maxFrames` video frames of `input` (a URL or a file) and hashes each one. Uses ffmpeg
 * rather than ffprobe: the static ffprobe shipped in npm crashes on MPEG-TS on this platform.
 */
export async function decodeVideo(input: string, maxFrames = 50): Promise<DecodedVideo> {
  const { ffmpegPath } = locateFfmpeg({ PATH: process.env.PATH });
  const { stdout } = await run(ffmpegPath, ['-v', 'error', '-i', input, '-map', '0:v:0', '-frames:v', String(maxFrames), '-f', 'framemd5', '-'], { timeout: 30_000, maxBuffer: 16 * 1024 * 1024 });
  const dims = /#dimensions 0: (\d+)x(\d+)/.exec(stdout);
  const hashes = stdout.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(',').pop()!.trim());
  return { width: Number(dims?.[1] ?? 0), height: Number(dims?.[2] ?? 0), frames: hashes.length, distinctFrames: new Set(hashes).size };
}
