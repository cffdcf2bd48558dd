import { dirname } from 'node:path';
import { FfmpegProcessAdapter, probeFfmpeg, type FfmpegBinaries, type ProbedFfmpeg } from '@tiergate/media';
import type { FfmpegInUse, RecordingStorageOffer } from '@tiergate/contracts';
import type { Registry } from 'prom-client';
import { SystemClock, type Clock } from './clock';
import { EventLoopDelay } from './event-loop-delay';
import { LlHlsRegistry } from './ll-hls/ll-hls.registry';
import { HlsHttpServer, type AuthorizeHook, type HlsHttpServerOptions } from './hls-http.server';
import { MseWebSocketServer, type TokenCheck } from './mse-websocket.server';
import { hlsRootFor, HlsOutputStore } from './hls-output.store';
import type { SessionConfig } from './stream-session';
import { StaticMediaLinks } from './static-media/static-media.links';
import type { RecordingManager } from './recording/recording-manager';
import { createRecordingManager, type RecordingSetup } from './recording/recording.setup';
import { TranscoderMetrics } from './transcoder.metrics';
import { TranscoderWorker, type PublishFn, type TranscoderEvents, type TranscoderWorkerPorts } from './transcoder.worker';

/** One worker's settings, mapped from libs/config's `transcoder` section (transcoderConfigOf in transcoder.host.ts). */
export interface TranscoderConfig {
  workerId: string;
  host: string;
  port: number;
  /** Base URL of this worker's HLS server as other processes reach it. */
  baseUrl: string;
  capacity: number;
  heartbeatMs: number;
  /** `transcoder.hlsDir`: the parent of this worker's output directory; empty: RAM-backed /dev/shm when writable. */
  hlsDir: string;
  session: SessionConfig;
  binaries: FfmpegBinaries;
  /** Probe tuning passed to the argument builder. */
  probeSize: number;
  analyzeDurationUs: number;
  /** Longest fMP4 fragment of the low-latency output in ms (`transcoder.fragmentDurationMs`); 0 or absent: off. */
  fragmentDurationMs?: number;
  /** Streams that may start at once (`transcoder.startsAtOnce`, start-gate.ts); absent: no limit. */
  startsAtOnce?: number;
  /** Niceness of the worker's ffmpegs (`transcoder.ffmpegNiceness`); absent: 0, the worker's own. */
  ffmpegNiceness?: number;
  /** Static-media mode (`transcoder.staticMediaUrl`, docs/delivery.md): nginx's public base URL and the link secret; absent: off. */
  staticMedia?: { baseUrl: string; secret: string };
}

export interface TranscoderRuntimeDeps {
  publish: PublishFn;
  /** Stream-token check from libs/access; without it the HLS server denies everything (404). */
  authorize?: AuthorizeHook;
  /** The same check by token, for the MSE WebSocket (at connect, every second, on renewal); without it every upgrade is refused. */
  allowsToken?: TokenCheck;
  events?: TranscoderEvents;
  registry?: Registry;
  clock?: Clock;
  log?: TranscoderWorkerPorts['log'];
  /** Recorded media on the same HTTP server (recording/vod-host.ts); without it /vod/ answers 404. */
  recorded?: HlsHttpServerOptions['recorded'];
  /** Recording (docs/recording.md): this worker's roots and index; absent: it records nothing and offers no storage. */
  recording?: RecordingSetup;
  /** Probes the ffmpeg binary; tests may pass a fixed answer. Default: probeFfmpeg. */
  probe?: (ffmpegPath: string) => Promise<ProbedFfmpeg>;
}

export interface TranscoderRuntime {
  readonly worker: TranscoderWorker;
  readonly server: HlsHttpServer;
  readonly mse: MseWebSocketServer;
  readonly adapter: FfmpegProcessAdapter;
  readonly store: HlsOutputStore;
  /** The ffmpeg in use, as probed at start. */
  readonly ffmpeg: ProbedFfmpeg;
  /** The worker's recording (crash scan done, loops running) when it has storage; the host feeds it the plan. */
  readonly recording?: RecordingManager;
  /** Where the HLS server listens (port resolved when config.port is 0). */
  readonly address: { host: string; port: number };
  /** Closes sessions, reaps every ffmpeg, stops the HTTP server and removes the HLS root. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Composes one transcoder worker: ffmpeg adapter, HLS output on /dev/shm (or tmp), the worker, its HTTP
 * server and heartbeats. The MQTT wiring (publish, StreamEnsure handler calling worker.ensure) stays outside.
 */
export async function startTranscoder(config: TranscoderConfig, deps: TranscoderRuntimeDeps): Promise<TranscoderRuntime> {
  const clock = deps.clock ?? new SystemClock();
  // Before anything else: an unusable ffmpeg stops the transcoder with one clear line (FfmpegUnusableError).
  const ffmpeg = await (deps.probe ?? probeFfmpeg)(config.binaries.ffmpegPath);
  const adapter = new FfmpegProcessAdapter({ ffmpegPath: config.binaries.ffmpegPath, graceMs: config.session.stopGraceMs, niceness: config.ffmpegNiceness });
  const store = new HlsOutputStore(hlsRootFor(config.workerId, config.hlsDir));
  const metrics = new TranscoderMetrics(deps.registry);
  // LL-HLS reads the worker's session feeds; the worker tells it when a session is ready (closures: the worker is made next)
  const llHls = new LlHlsRegistry({ clock, sessions: { feedOf: (c, p) => worker.feedOf(c, p), touch: (c, p) => worker.touch(c, p) } });
  const loopDelay = new EventLoopDelay();
  const worker = new TranscoderWorker({
    workerId: config.workerId,
    baseUrl: config.baseUrl,
    capacity: config.capacity,
    publish: deps.publish,
    clock,
    spawner: adapter,
    ffmpeg: ffmpeg.features,
    ffmpegInUse: ffmpegInUseOf(ffmpeg, config.binaries.source.ffmpeg),
    output: store,
    events: deps.events,
    metrics,
    session: config.session,
    probe: { probeSize: config.probeSize, analyzeDurationUs: config.analyzeDurationUs },
    fragmentDurationMs: config.fragmentDurationMs,
    log: deps.log,
    storageOffer: (): RecordingStorageOffer | undefined => recording?.storageOffer(),
    loopDelayMs: () => loopDelay.takeLongestMs(),
    startsAtOnce: config.startsAtOnce,
    onSessionReady: (cameraId, profile) => {
      llHls.attach(cameraId, profile);
      recording?.onSessionReady(cameraId, profile);
    },
  });
  const recording: RecordingManager | undefined = deps.recording && createRecordingManager(deps.recording, { worker, publish: deps.publish, clock, registry: deps.registry, log: deps.log });
  const mse = new MseWebSocketServer({ source: worker, allows: deps.allowsToken, metrics, workerId: config.workerId });
  // nginx serves the parent of the worker roots (transcoder.hlsDir), so one nginx can front several workers
  const segmentLinks = config.staticMedia && new StaticMediaLinks({ ...config.staticMedia, servedRoot: dirname(store.root), now: () => clock.now() });
  const server = new HlsHttpServer({
    source: worker, authorize: deps.authorize, host: config.host, port: config.port, llHls, recorded: deps.recorded, segmentLinks,
    upgrade: (req, socket, head) => mse.handleUpgrade(req, socket, head),
  });
  let address: { host: string; port: number };
  try {
    address = await server.listen();
  } catch (err) {
    loopDelay.close();
    await store.removeAll();
    throw err;
  }
  try {
    await recording?.start(); // the crash scan: the index agrees with the disk before anything is recorded or offered
  } catch (err) {
    loopDelay.close();
    await server.close();
    await store.removeAll();
    throw err;
  }
  worker.startHeartbeat(config.heartbeatMs);
  let stopped: Promise<void> | undefined;
  return {
    worker,
    server,
    mse,
    adapter,
    store,
    ffmpeg,
    address,
    recording,
    stop: () =>
      (stopped ??= (async () => {
        await recording?.stop(); // each recorder writes the segment it was building, then sessions close
        await worker.stopAll();
        loopDelay.close();
        mse.close();
        llHls.close();
        await adapter.stopAll();
        await server.close();
        await store.removeAll();
      })()),
  };
}

/** The ffmpeg as a heartbeat reports it (no path: the version says what an operator needs). */
export function ffmpegInUseOf(ffmpeg: ProbedFfmpeg, source: string): FfmpegInUse {
  const lib = ffmpeg.capabilities.libavformat;
  return { version: ffmpeg.capabilities.version, libavformat: lib ? lib.join('.') : 'unknown', family: ffmpeg.capabilities.family, source };
}
