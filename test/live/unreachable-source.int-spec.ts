/**
 * CONTRACT: a source that cannot be reached answers CAMERA_UNREACHABLE. ffmpeg prints "Connection refused"
 * just before it exits; reading its stderr on 'exit' (before the pipe drained) answered ~2 % of refused
 * sources CAMERA_PROTOCOL_ERROR. 200 refused sources through the real worker, adapter and ffmpeg (the one on
 * FFMPEG_PATH / PATH, as CI runs it with each), 25 at a time: every one must be CAMERA_UNREACHABLE.
 */
import { createServer, type Server } from 'node:net';
import { SystemClock } from '../../apps/transcoder/src/clock';
import { chooseHlsRoot, HlsOutputStore } from '../../apps/transcoder/src/hls-output.store';
import { TranscoderWorker } from '../../apps/transcoder/src/transcoder.worker';
import { FfmpegProcessAdapter, locateFfmpeg, probeFfmpeg } from '@tiergate/media';

jest.setTimeout(180_000);

const TOTAL = 200;
const AT_ONCE = 25;

/** A port on 127.0.61.1 that was just free: connecting to it is refused. */
async function refusedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.61.1', r));
  const { port } = server.address() as import('node:net').AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('an unreachable RTSP source is CAMERA_UNREACHABLE every time', () => {
  let adapter: FfmpegProcessAdapter;
  let store: HlsOutputStore;
  let worker: TranscoderWorker;

  beforeAll(async () => {
    const { ffmpegPath } = locateFfmpeg(process.env);
    const { features } = await probeFfmpeg(ffmpegPath);
    adapter = new FfmpegProcessAdapter({ ffmpegPath, graceMs: 500 });
    store = new HlsOutputStore(chooseHlsRoot(`unreachable-spec-${process.pid}`));
    worker = new TranscoderWorker({
      workerId: 'unreach', baseUrl: 'http://127.0.0.1', capacity: TOTAL, clock: new SystemClock(), spawner: adapter, output: store, ffmpeg: features,
      publish: () => undefined,
      session: { startTimeoutMs: 30_000, idleTimeoutMs: 5000 },
    });
  });

  afterAll(async () => {
    await worker?.stopAll();
    await adapter?.stopAll(200);
    await store?.removeAll();
  });

  it(`${TOTAL} refused connections, ${AT_ONCE} in parallel`, async () => {
    const port = await refusedPort();
    const codes = new Map<string, number>();
    for (let first = 0; first < TOTAL; first += AT_ONCE) {
      const replies = await Promise.all(
        Array.from({ length: Math.min(AT_ONCE, TOTAL - first) }, (_, i) =>
          worker.ensure({ cameraId: `cam${first + i}`, profile: 'main', sourceUrl: `rtsp://admin:secret@127.0.61.1:${port}/main` })),
      );
      for (const r of replies) codes.set(r.ok ? 'ok' : r.code!, (codes.get(r.ok ? 'ok' : r.code!) ?? 0) + 1);
    }
    expect(Object.fromEntries(codes)).toEqual({ CAMERA_UNREACHABLE: TOTAL });
    expect(adapter.size).toBe(0);
  });
});
