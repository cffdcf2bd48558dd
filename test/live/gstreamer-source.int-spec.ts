/**
 * Live video from an RTSP server that is not ours: GStreamer's gst-rtsp-server (Debian), serving a live H.264
 * pattern behind basic authentication, through the real worker, adapter and ffmpeg (FFMPEG_PATH or PATH: CI
 * runs this with Debian's 5.1 and with the npm 4.x build) to HLS, decoded by ffmpeg as an HLS client.
 * Skips, saying why, where Debian's GStreamer RTSP server is not installed (.ci/run installs it).
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { SystemClock } from '../../apps/transcoder/src/clock';
import { HlsHttpServer } from '../../apps/transcoder/src/hls-http.server';
import { chooseHlsRoot, HlsOutputStore } from '../../apps/transcoder/src/hls-output.store';
import { TranscoderWorker } from '../../apps/transcoder/src/transcoder.worker';
import { FfmpegProcessAdapter, locateFfmpeg, probeFfmpeg } from '@tiergate/media';

jest.setTimeout(60_000);

const PYTHON = '/usr/bin/python3';
const HOST = '127.0.62.1';
const PORT = 38654;
const gstAvailable = (() => {
  try {
    execFileSync(PYTHON, ['-c', "import gi; gi.require_version('GstRtspServer', '1.0'); from gi.repository import GstRtspServer"], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!gstAvailable) console.warn('gstreamer-source: skipped, no GStreamer RTSP server (apt-get install gstreamer1.0-rtsp gir1.2-gst-rtsp-server-1.0 python3-gi gstreamer1.0-plugins-ugly)');
const withGst = gstAvailable ? describe : describe.skip;

function startGst(): Promise<ChildProcess> {
  const child = spawn(PYTHON, [join(__dirname, '..', 'support', 'gst-rtsp-server.py'), '--host', HOST, '--port', String(PORT), '--user', 'admin', '--password', 'gst-pass'], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('gst-rtsp-server did not start')), 10_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line === 'ready') {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => reject(new Error(`gst-rtsp-server exited (${code})`)));
  });
}

withGst('live video from GStreamer\'s RTSP server', () => {
  let gst: ChildProcess | undefined;
  let adapter: FfmpegProcessAdapter;
  let store: HlsOutputStore;
  let worker: TranscoderWorker;
  let server: HlsHttpServer;
  let base: string;
  const bins = locateFfmpeg(process.env);
  const TOKEN = 'gst-viewer';

  beforeAll(async () => {
    gst = await startGst();
    const { features } = await probeFfmpeg(bins.ffmpegPath);
    adapter = new FfmpegProcessAdapter({ ffmpegPath: bins.ffmpegPath, graceMs: 1000 });
    store = new HlsOutputStore(chooseHlsRoot(`gst-spec-${process.pid}`));
    worker = new TranscoderWorker({
      workerId: 'gst1', baseUrl: 'http://127.0.0.1', capacity: 4, clock: new SystemClock(), spawner: adapter, output: store, ffmpeg: features,
      publish: () => undefined,
      session: { startTimeoutMs: 15_000, idleTimeoutMs: 10_000 },
    });
    server = new HlsHttpServer({ source: worker, authorize: (req) => new URL(req.url!, 'http://x').searchParams.get('t') === TOKEN });
    base = `http://127.0.0.1:${(await server.listen()).port}`;
  });

  afterAll(async () => {
    await worker?.stopAll();
    await adapter?.stopAll(500);
    await server?.close();
    await store?.removeAll();
    if (gst && gst.exitCode === null) {
      const gone = new Promise((r) => gst!.once('exit', r));
      gst.kill('SIGTERM');
      await gone;
    }
  });

  it('plays: HLS from the worker decodes as the 640x360 H.264 the server sends', async () => {
    const reply = await worker.ensure({ cameraId: 'gstcam', profile: 'main', sourceUrl: `rtsp://admin:gst-pass@${HOST}:${PORT}/live` });
    expect(reply).toMatchObject({ ok: true });
    const { stdout, stderr } = await new Promise<{ stdout: Buffer; stderr: string }>((resolve, reject) =>
      execFile(bins.ffmpegPath, ['-hide_banner', '-nostdin', '-v', 'info', '-i', `${base}${reply.playlistPath}?t=${TOKEN}`, '-map', '0:v:0', '-frames:v', '10', '-f', 'rawvideo', '-pix_fmt', 'gray', '-'],
        { timeout: 20_000, encoding: 'buffer', maxBuffer: 16 * 1024 * 1024 },
        (err, out, errOut) => (err ? reject(new Error(`HLS client failed: ${String(errOut).slice(-2000)}`)) : resolve({ stdout: out, stderr: String(errOut) }))));
    expect(stderr).toMatch(/Stream #0:0.*Video: h264.*640x360/);
    expect(stdout.length).toBe(10 * 640 * 360);
  });

  it('a wrong password is CAMERA_UNAUTHORIZED, without the password in the answer', async () => {
    const reply = await worker.ensure({ cameraId: 'gstcam', profile: 'sub', sourceUrl: `rtsp://admin:wrong-one@${HOST}:${PORT}/live` });
    expect(reply).toMatchObject({ ok: false, code: 'CAMERA_UNAUTHORIZED' });
    expect(JSON.stringify(reply)).not.toContain('wrong-one');
  });
});
