import { Inject, Injectable, Logger } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isAbsolute, join, resolve } from 'node:path';
import { ExportDownloadTokens, PlaybackTokens } from '@tiergate/access';
import { TIERGATE_CONFIG, type TiergateConfig } from '@tiergate/config';
import { Commands, type RecordingExportDeleteRequest, type RecordingExportRequest } from '@tiergate/contracts';
import { FfmpegProcessAdapter } from '@tiergate/media';
import { MqttBus } from '@tiergate/messaging';
import { RecordingsRepository } from '@tiergate/persistence';
import { ExportDownloads } from './export-download';
import { ExportJobs } from './export-job';
import { VodServer } from './vod-server';

/** Pure: this worker's storage roots, id → absolute directory (a relative path lies under dataDir; none in memory mode). */
export function recordingRootsOf(config: Pick<TiergateConfig, 'dataDir' | 'recording'>): Map<string, string> {
  const memory = config.dataDir.startsWith('memory://');
  const roots = new Map<string, string>();
  for (const r of config.recording.roots) {
    if (isAbsolute(r.path)) roots.set(r.id, resolve(r.path));
    else if (!memory) roots.set(r.id, resolve(join(config.dataDir, r.path)));
  }
  return roots;
}

/**
 * The worker's recorded media (docs/recording.md, "Playback" and "Evidence export"): the VOD server and the
 * export downloads on its HTTP server (hls-http.server.ts hands it every request first), and the export jobs
 * the gateways send over Commands.recordingExport(workerId). Started by TranscoderHost once it knows its id.
 */
@Injectable()
export class VodHost {
  private readonly logger = new Logger('RecordedMedia');
  private server?: VodServer;
  private jobs?: ExportJobs;
  private adapter?: FfmpegProcessAdapter;
  private unserve?: () => Promise<void>;

  constructor(
    @Inject(TIERGATE_CONFIG) private readonly config: TiergateConfig,
    private readonly bus: MqttBus,
    private readonly recordings: RecordingsRepository,
    private readonly playback: PlaybackTokens,
    private readonly downloads: ExportDownloadTokens,
  ) {}

  async start(workerId: string, ffmpegPath: string): Promise<void> {
    const roots = recordingRootsOf(this.config);
    const recordings = this.recordings;
    const exportsServer = new ExportDownloads({ workerId, allows: (t, id) => this.downloads.allows(t, id), getExport: (id) => recordings.getExport(id) });
    this.server = new VodServer({ workerId, roots, index: recordings, rangeOf: (t, c, p) => this.playback.rangeOf(t, c, p), next: exportsServer });
    this.adapter = new FfmpegProcessAdapter({ ffmpegPath, graceMs: 2000 });
    this.jobs = new ExportJobs({
      workerId,
      roots,
      index: recordings,
      spawner: this.adapter,
      publish: (topic, payload) => this.bus.publish(topic, payload, { qos: 1 }),
      log: (m) => this.logger.warn(m),
    });
    const jobs = this.jobs;
    // before taking jobs: what this worker left unfinished when it last died is failed, its temp files removed
    await jobs.recover().then(
      (r) => {
        if (r.failed.length + r.filesDeleted > 0) this.logger.warn(`exports left unfinished by this worker's previous run marked failed (worker-restarted): ${r.failed.join(', ') || 'none'}; ${r.filesDeleted} file(s) removed`);
      },
      (e) => this.logger.error(`export recovery at start-up failed: ${(e as Error).message}`),
    );
    const unserveExport = await this.bus.serve<RecordingExportRequest>(Commands.recordingExport(workerId), (request) => jobs.request(request.exportId));
    const unserveDelete = await this.bus.serve<RecordingExportDeleteRequest>(Commands.recordingExportDelete(workerId), (request) => jobs.delete(request.exportId));
    this.unserve = async () => {
      await Promise.all([unserveExport(), unserveDelete()]);
    };
  }

  /** Answers a /vod/… or /exports/… request and returns true; false for any other path. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    return this.server ? this.server.handle(req, res) : Promise.resolve(false);
  }

  async stop(): Promise<void> {
    await this.unserve?.().catch(() => undefined);
    this.unserve = undefined;
    await this.jobs?.close();
    await this.adapter?.stopAll();
  }
}
