/**
 * An ffmpeg Tiergate cannot use stops start-up with one clear line that names the binary, its version, what
 * is missing and how to point FFMPEG_PATH elsewhere (exit code 1, no stack trace). The all-in-one process
 * (`npm start`'s entry, run from the TypeScript sources) is started with fake ffmpeg binaries: a 3.4 build
 * (its real version lines and RTSP options, see libs/media/src/fixtures/ffmpeg/ubuntu18-3.4) and a binary
 * that prints nothing useful.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

jest.setTimeout(90_000);

const ROOT = resolve(__dirname, '..', '..');
const FIXTURE = join(ROOT, 'libs/media/src/fixtures/ffmpeg/ubuntu18-3.4');

function fakeFfmpeg(dir: string, name: string, body: string): string {
  const file = join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

function startAllInOne(ffmpegPath: string, dataDir: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, FFMPEG_PATH: ffmpegPath, TIERGATE_DATA_DIR: dataDir, TIERGATE_DEMO: '0', PORT: '0', TIERGATE_LOG_LEVEL: 'error' };
    const child = spawn(process.execPath, ['-r', join(ROOT, 'test/support/ts-register.js'), join(ROOT, 'apps/all-in-one/src/main.ts')], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 80_000);
    child.once('close', (code) => {
      clearTimeout(timer);
      done({ code, stderr });
    });
  });
}

const embeddedOnly = process.env.TIERGATE_TEST_MODE === 'embedded' ? describe : describe.skip;

embeddedOnly('start-up with an unusable ffmpeg', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tiergate-ffmpeg-startup-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a 3.x ffmpeg: exit 1 and one line naming it, its version, what is missing and FFMPEG_PATH', async () => {
    const ffmpeg = fakeFfmpeg(dir, 'ffmpeg3', [
      'case "$*" in',
      `  *-version*) cat '${FIXTURE}/version.txt' ;;`,
      `  *demuxer=rtsp*) cat '${FIXTURE}/demuxer-rtsp.txt' ;;`,
      `  *muxer=hls*) cat '${FIXTURE}/muxer-hls.txt' ;;`,
      `  *) cat '${FIXTURE}/encoder-libx264.txt' ;;`,
      'esac',
    ].join('\n'));
    const { code, stderr } = await startAllInOne(ffmpeg, join(dir, 'data3'));
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    const line = lines.find((l) => l.includes('cannot be used'));
    expect(line).toBeDefined();
    expect(line).toContain(`ffmpeg 3.4.11-0ubuntu0.1 (libavformat 57.83.100, 3.x) at ${ffmpeg} cannot be used: FFmpeg 4.0 or newer is needed`);
    expect(line).toContain('FFMPEG_PATH');
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('a binary that is not ffmpeg: exit 1 and the same kind of line', async () => {
    const ffmpeg = fakeFfmpeg(dir, 'broken', 'echo "segmentation fault" >&2; exit 139');
    const { code, stderr } = await startAllInOne(ffmpeg, join(dir, 'data-broken'));
    expect(code).toBe(1);
    expect(stderr).toContain(`at ${ffmpeg} cannot be used`);
    expect(stderr).toContain('FFMPEG_PATH');
  });
});
