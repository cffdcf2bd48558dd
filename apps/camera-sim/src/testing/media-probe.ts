import { spawn } from 'node:child_process';
import { defaultFfmpegPath } from '../fixtures/fixture.store';

/**
 * Test helpers: record an RTSP URL with the static ffmpeg and count frames with ffprobe.
 * NB: the static ffprobe of @ffprobe-installer segfaults on MPEG-TS input here; record to .mkv.
 */

export function defaultFfprobePath(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('@ffprobe-installer/ffprobe') as { path: string }).path;
}

export function run(bin: string, args: string[], timeoutMs = 20_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-8000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export async function recordRtsp(url: string, transport: 'tcp' | 'udp', output: string, seconds = 3): Promise<string> {
  const r = await run(defaultFfmpegPath(), [
    '-hide_banner', '-nostdin', '-loglevel', 'warning', '-y', '-rtsp_transport', transport, '-i', url,
    '-t', String(seconds), '-c', 'copy', output,
  ]);
  if (r.code !== 0) throw new Error(`ffmpeg exited ${r.code}: ${r.stderr}`);
  return r.stderr;
}

export interface ProbeResult {
  width: number;
  height: number;
  codec: string;
  frames: number;
}

export async function probeVideo(file: string): Promise<ProbeResult> {
  const r = await run(defaultFfprobePath(), [
    '-v', 'error', '-count_frames', '-select_streams', 'v:0',
    '-show_entries', 'stream=codec_name,width,height,nb_read_frames', '-of', 'json', file,
  ]);
  if (r.code !== 0) throw new Error(`ffprobe exited ${r.code}: ${r.stderr}`);
  const s = (JSON.parse(r.stdout) as { streams: Array<Record<string, string | number>> }).streams[0];
  return { width: Number(s.width), height: Number(s.height), codec: String(s.codec_name), frames: Number(s.nb_read_frames) };
}
