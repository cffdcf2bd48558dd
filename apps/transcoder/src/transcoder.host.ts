import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import { createServer } from 'node:net';
import { hostname } from 'node:os';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { register } from 'prom-client';
import { StreamTokens } from '@tiergate/access';
import { ConfigError, TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { Commands, LocalHlsServer, Topics } from '@tiergate/contracts';
import { describeFfmpeg, locateFfmpeg } from '@tiergate/media';
import { MqttBus } from '@tiergate/messaging';
import { startTranscoder, type TranscoderConfig, TranscoderRuntime } from './transcoder.runtime';
import { openEnsureRequest } from './ensure-request';
import { VodHost } from './recording/vod-host';
import { RecordingHost } from './recording/recording-host';
import { mediaLinkSecretOf } from './static-media/media-link';

/** The stream token travels in the query string (`?token=`), carried into segment URIs by the worker. */
export function tokenOf(req: IncomingMessage): string | undefined {
  const q = req.url?.indexOf('?') ?? -1;
  if (q < 0) return undefined;
  return new URLSearchParams(req.url!.slice(q + 1)).get('token') ?? undefined;
}

/** Maps Tiergate's validated configuration to the worker's own settings. */
export function transcoderConfigOf(config: TiergateConfig, port: number): TranscoderConfig {
  const t = config.transcoder;
  const workerId = t.workerId || `${hostname().replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 40)}-${process.pid}`;
  return {
    workerId,
    host: t.httpHost,
    port,
    baseUrl: t.publicUrl || `http://${t.httpHost === '0.0.0.0' ? hostname() : t.httpHost}:${port}`,
    capacity: t.capacity,
    heartbeatMs: t.heartbeatMs,
    hlsDir: t.hlsDir,
    session: {
      startTimeoutMs: t.startTimeoutMs,
      idleTimeoutMs: t.idleCloseMs,
      pollMs: t.pollMs,
      restartBaseMs: t.restartBaseMs,
      restartMaxMs: t.restartMaxMs,
      reportFailuresAfter: t.reportFailuresAfter,
      stopGraceMs: t.stopGraceMs,
    },
    binaries: locateFfmpeg({ FFMPEG_PATH: t.ffmpegPath || undefined, FFPROBE_PATH: t.ffprobePath || undefined, PATH: process.env.PATH }),
    probeSize: t.probeSize,
    analyzeDurationUs: t.analyzeDurationUs,
    fragmentDurationMs: t.fragmentDurationMs,
    ffmpegNiceness: t.ffmpegNiceness,
    startsAtOnce: t.startsAtOnce,
    ...staticMediaOf(config),
  };
}

/** Static-media mode's settings (docs/delivery.md); nginx gets the same derived secret, so the key must be set explicitly. */
function staticMediaOf(config: TiergateConfig): Pick<TranscoderConfig, 'staticMedia'> {
  const baseUrl = config.transcoder.staticMediaUrl;
  if (!baseUrl) return {};
  if (!config.auth.secretKey) throw new ConfigError(['transcoder.staticMediaUrl needs TIERGATE_SECRET_KEY (auth.secretKey): nginx checks links with a secret derived from it']);
  return { staticMedia: { baseUrl, secret: mediaLinkSecretOf(config.auth.secretKey) } };
}

async function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, host === '0.0.0.0' ? '0.0.0.0' : host, () => {
      const { port } = s.address() as import('node:net').AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Runs one transcoder worker inside a Nest process: its HLS server (token-checked), its heartbeats,
 * and the StreamEnsure requests addressed to it over MQTT. Every ffmpeg is reaped on shutdown.
 */
@Injectable()
export class TranscoderHost implements OnModuleInit, OnApplicationShutdown, LocalHlsServer {
  private readonly logger = new Logger('Transcoder');
  private runtime?: TranscoderRuntime;
  private unserve?: () => Promise<void>;

  constructor(
    @Inject(TIERGATE_CONFIG) private readonly config: TiergateConfig,
    private readonly bus: MqttBus,
    private readonly tokens: StreamTokens,
    @Optional() private readonly recorded?: VodHost,
    @Optional() private readonly recording?: RecordingHost,
  ) {}

  get worker() {
    return this.runtime?.worker;
  }

  /** The worker's recording, when it has storage roots. */
  get recordingManager() {
    return this.runtime?.recording;
  }

  get workerId(): string {
    return this.runtime?.worker.workerId ?? '';
  }

  holds(cameraId: string, profile: string): boolean {
    return this.runtime?.worker.outputDirOf(cameraId, profile) !== undefined;
  }

  serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!this.runtime) {
      res.statusCode = 404;
      res.end();
      return Promise.resolve();
    }
    return this.runtime.server.serve(req, res);
  }

  /** The MSE WebSocket of a session this worker holds (issue 13), checked exactly as on the worker's own server. */
  upgrade(req: IncomingMessage, socket: import('node:stream').Duplex, head: Buffer): void {
    if (this.runtime) this.runtime.server.upgrade(req, socket, head);
    else socket.destroy();
  }

  async onModuleInit(): Promise<void> {
    const port = this.config.transcoder.httpPort || (await freePort(this.config.transcoder.httpHost));
    const config = transcoderConfigOf(this.config, port);
    await this.recorded?.start(config.workerId, config.binaries.ffmpegPath);
    this.runtime = await startTranscoder(config, {
      publish: (topic, payload, options) => this.bus.publish(topic, payload, options),
      authorize: (req, cameraId, profile) => this.tokens.allows(tokenOf(req), cameraId, profile),
      allowsToken: (token, cameraId, profile) => this.tokens.allows(token, cameraId, profile),
      registry: register,
      recorded: this.recorded,
      recording: this.recording?.setup(),
      log: (level, message, fields) => this.logger[level === 'info' ? 'log' : level](fields ? `${message} ${JSON.stringify(fields)}` : message),
    });
    this.unserve = await this.bus.serve(Commands.streamEnsure(config.workerId), async (request) => this.runtime!.worker.ensure(openEnsureRequest(request, (s) => this.bus.openSecret(s))));
    if (this.runtime.recording) await this.recording?.follow(this.runtime.recording);
    await this.bus.holdLastWill(Topics.workerHeartbeat(config.workerId)); // a crash clears the heartbeat at once
    this.logger.log(`worker ${config.workerId} serving HLS at ${config.baseUrl} with ${describeFfmpeg(this.runtime.ffmpeg.capabilities)} (from ${config.binaries.source.ffmpeg})`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop({ announceLeave: true });
  }

  /**
   * Stops the worker: no more requests, every ffmpeg reaped. A graceful stop also removes the retained
   * heartbeat so gateways stop placing sessions here at once; without it (a crash) they notice when the
   * heartbeat goes stale.
   */
  async stop(options: { announceLeave: boolean }): Promise<void> {
    const workerId = this.runtime?.worker.workerId;
    await this.unserve?.().catch(() => undefined);
    this.unserve = undefined;
    await this.recording?.stop();
    await this.runtime?.stop();
    await this.recorded?.stop();
    if (options.announceLeave && workerId) await this.bus.clearRetained(Topics.workerHeartbeat(workerId)).catch(() => undefined);
  }
}
