import { Injectable, Logger, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { PlaybackTokens } from '@tiergate/access';
import { parseVodPath } from '@tiergate/contracts';
import { initHashOfPath, isUuid, parseVodFile } from '@tiergate/domain';
import { RecordingsRepository } from '@tiergate/persistence';
import { RecordedFileRelay, relayFailed } from './vod-proxy.relay';

const NOT_FOUND = JSON.stringify({ code: 'NOT_FOUND', message: 'recording not found' });

/**
 * Recorded video on the hot path: GET /vod/<cameraId>/<profile>/<file>?from&to&token (docs/recording.md).
 * One HMAC check of the playback token, then the request goes to the worker holding the file, found from the
 * index rows: a segment by its row id (of the path's camera and profile), an init by a row of the token's
 * range that names it, the playlist by the range's rows (any of their workers builds it from the index). The
 * worker checks the token again. Bad, expired, foreign and missing all answer the same 404.
 */
@Injectable()
export class VodProxyMiddleware implements NestMiddleware {
  private readonly logger = new Logger('VodProxy');

  constructor(
    private readonly tokens: PlaybackTokens,
    private readonly recordings: RecordingsRepository,
    private readonly relay: RecordedFileRelay,
  ) {}

  use(req: Request, res: Response, _next: NextFunction): void {
    void this.deliver(req, res).catch((e) => {
      this.logger.warn(`recorded delivery failed: ${(e as Error).message}`);
      relayFailed(res);
    });
  }

  private async deliver(req: Request, res: Response): Promise<void> {
    // originalUrl, not path/url: those depend on how the middleware was mounted.
    const ref = parseVodPath(req.originalUrl);
    const file = ref && parseVodFile(ref.file);
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !ref || !file || !isUuid(ref.cameraId)) return void res.status(404).type('application/json').end(NOT_FOUND);
    const token = typeof req.query.token === 'string' ? req.query.token : undefined;
    const grant = this.tokens.rangeOf(token, ref.cameraId, ref.profile);
    if (!grant) return void res.status(404).type('application/json').end(NOT_FOUND);
    let workerIds: string[];
    if (file.kind === 'segment') {
      const row = await this.recordings.segmentById(file.segmentId);
      workerIds = row && row.cameraId === ref.cameraId && row.profile === ref.profile ? [row.workerId] : [];
    } else {
      const rows = await this.recordings.segmentsOf(ref.cameraId, ref.profile, new Date(grant.from), new Date(grant.to));
      const holders = file.kind === 'init' ? rows.filter((r) => initHashOfPath(r.initPath) === file.hash) : rows;
      workerIds = [...new Set(holders.map((r) => r.workerId))];
    }
    if (workerIds.length === 0) return void res.status(404).type('application/json').end(NOT_FOUND);
    await this.relay.relay(workerIds, req.originalUrl, req, res);
  }
}
