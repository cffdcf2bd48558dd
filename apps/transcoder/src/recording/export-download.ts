import type { IncomingMessage, ServerResponse } from 'node:http';
import { isUuid } from '@tiergate/domain';
import { notFound, queryOf, sendFile } from './vod-server';

/** The worker's route of an export's file: `/exports/<exportId>.mp4?token=…` (an ExportDownloadTokens ticket). */
export const exportFilePathOf = (exportId: string, token: string): string => `/exports/${exportId}.mp4?token=${encodeURIComponent(token)}`;

export interface ExportDownloadDeps {
  workerId: string;
  /** libs/access ExportDownloadTokens.allows */
  allows(token: string | undefined, exportId: string): boolean;
  getExport(id: string): Promise<{ id: string; cameraId: string; from: Date; state: string; workerId: string | null; path: string | null; sha256: string | null } | undefined>;
}

/**
 * Serves a finished export's MP4 from this worker's disk to the gateway that checked the user, the role and
 * the scope and wrote the audit entry (it signs the ticket). The file is found through the export's row
 * (written by this worker), never by a path from the URL. Refused, unfinished and missing all answer 404.
 */
export class ExportDownloads {
  constructor(private readonly deps: ExportDownloadDeps) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const m = /^\/exports\/([^/?]+)\.mp4(?:\?|$)/.exec(req.url ?? '');
    if (!m) return false;
    const id = m[1]!;
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !isUuid(id) || !this.deps.allows(queryOf(req.url).get('token') ?? undefined, id)) {
      notFound(res);
      return true;
    }
    const row = await this.deps.getExport(id).catch(() => undefined);
    if (!row || row.state !== 'done' || row.workerId !== this.deps.workerId || !row.path || !row.sha256) {
      notFound(res);
      return true;
    }
    const name = `tiergate-${row.cameraId}-${row.from.toISOString().replace(/[:.]/g, '-')}.mp4`;
    await sendFile(req, res, row.path, 'video/mp4', {
      'Content-Disposition': `attachment; filename="${name}"`,
      Digest: `sha-256=${Buffer.from(row.sha256, 'hex').toString('base64')}`,
      'Cache-Control': 'no-store',
    });
    return true;
  }
}
