import { Injectable, Logger } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ExportDownloadTokens, Principal, ScopeService } from '@tiergate/access';
import { Commands, exportFailureOf, exportFailureText, type ExportFailure, type RecordingExportDeleteReply, type RecordingExportReply, type StreamProfile } from '@tiergate/contracts';
import { isUuid, notFound, recordingRangeOf, TiergateError } from '@tiergate/domain';
import { AuditWriter, CameraRepository, RecordingsRepository, Transactor, type RecordingExportRecord } from '@tiergate/persistence';
import { MqttBus } from '@tiergate/messaging';
import { RecordedFileRelay, relayFailed } from './vod-proxy.relay';

/** The longest range one export covers. */
export const MAX_EXPORT_RANGE_MS = 2 * 3600_000;
/** How long the worker has to take (or refuse) a job, or to delete an export's files. */
const EXPORT_REQUEST_TIMEOUT_MS = 5000;

/** GET /api/exports/:id (no path, worker or failure text beyond the reason shown to users). */
export interface ExportView {
  id: string;
  cameraId: string;
  profile: StreamProfile;
  from: string;
  to: string;
  reason: string;
  state: RecordingExportRecord['state'];
  progress: number;
  sha256: string | null;
  bytes: number | null;
  /** state failed: why, one of EXPORT_FAILURES (libs/contracts), for the console to translate. */
  failure: ExportFailure | null;
  /** The failure's detail as the worker gave it (ffmpeg's last lines, a refusal's reason), untranslated. */
  failureDetail: string | null;
  createdBy: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export const exportViewOf = (e: RecordingExportRecord): ExportView => ({
  id: e.id,
  cameraId: e.cameraId,
  profile: e.profile,
  from: e.from.toISOString(),
  to: e.to.toISOString(),
  reason: e.reason,
  state: e.state,
  progress: e.progress,
  sha256: e.sha256,
  bytes: e.bytes,
  failure: exportFailureOf(e.failure)?.code ?? null,
  failureDetail: exportFailureOf(e.failure)?.detail ?? null,
  createdBy: e.createdBy,
  createdAt: e.createdAt.toISOString(),
  finishedAt: e.finishedAt?.toISOString() ?? null,
});

/**
 * Evidence exports (docs/recording.md, "Evidence export"): roles admin and operator (the controller), the
 * camera in their scope (else 404 like missing). The job goes to the worker holding the range's segments over
 * Commands.recordingExport; the worker writes progress to the row and the bus. The download is relayed from
 * that worker with a short ticket. Creation and every download are audited with who, reason and hash.
 */
@Injectable()
export class RecordingExportsService {
  private readonly logger = new Logger('RecordingExports');

  constructor(
    private readonly cameras: CameraRepository,
    private readonly scope: ScopeService,
    private readonly recordings: RecordingsRepository,
    private readonly bus: MqttBus,
    private readonly tickets: ExportDownloadTokens,
    private readonly relay: RecordedFileRelay,
    private readonly audit: AuditWriter,
    private readonly transactor: Transactor,
  ) {}

  async create(principal: Principal, cameraId: string, dto: { from: string; to: string; reason: string; profile?: StreamProfile }, ip?: string): Promise<ExportView> {
    await this.assertCamera(principal, cameraId);
    const range = recordingRangeOf(dto.from, dto.to, MAX_EXPORT_RANGE_MS);
    const from = new Date(range.from);
    const to = new Date(range.to);
    const profile = dto.profile ?? 'sub';
    const rows = await this.recordings.segmentsOf(cameraId, profile, from, to);
    if (rows.length === 0) throw notFound('recording in the range');
    const workers = [...new Set(rows.map((r) => r.workerId))];
    if (workers.length > 1) throw new TiergateError('CONFLICT', 'the range spans recordings held by several workers; export each part separately', { workers: workers.length });
    const workerId = workers[0]!;
    const created = await this.recordings.createExport({ cameraId, profile, from, to, reason: dto.reason, createdBy: principal.userId, workerId });
    await this.audit.append(
      { userId: principal.userId, username: principal.username },
      { action: 'recording.export', targetType: 'camera', targetId: cameraId, ip, details: { exportId: created.id, profile, from: from.toISOString(), to: to.toISOString(), reason: dto.reason } },
    );
    let reply: RecordingExportReply | undefined;
    try {
      reply = await this.bus.request<RecordingExportReply>(Commands.recordingExport(workerId), { exportId: created.id }, EXPORT_REQUEST_TIMEOUT_MS);
    } catch (e) {
      this.logger.warn(`worker ${workerId} did not take export ${created.id}: ${(e as Error).message}`);
    }
    if (!reply?.accepted) {
      const failure = reply ? exportFailureText('not-taken', reply.reason) : exportFailureText('worker-unreachable', 'the worker holding the recording did not answer');
      await this.recordings.updateExport(created.id, { state: 'failed', failure, finishedAt: new Date() });
      throw new TiergateError('SERVICE_UNAVAILABLE', `export not started: ${reply?.reason ?? 'the worker holding the recording did not answer'}`, { exportId: created.id });
    }
    return exportViewOf((await this.recordings.getExport(created.id)) ?? created);
  }

  async get(principal: Principal, id: string): Promise<ExportView> {
    return exportViewOf(await this.visibleExport(principal, id));
  }

  /** Audits the download (who, reason, hash), then relays the file from the worker that made it. */
  async download(principal: Principal, id: string, req: IncomingMessage, res: ServerResponse, ip?: string): Promise<void> {
    const row = await this.visibleExport(principal, id);
    if (row.state !== 'done' || !row.workerId || !row.sha256) throw new TiergateError('CONFLICT', `the export is ${row.state}, not ready for download`, { state: row.state });
    await this.audit.append(
      { userId: principal.userId, username: principal.username },
      { action: 'recording.export.download', targetType: 'camera', targetId: row.cameraId, ip, details: { exportId: row.id, reason: row.reason, sha256: row.sha256, bytes: row.bytes } },
    );
    const ticket = this.tickets.issue(principal.userId, row.id);
    await this.relay.relay([row.workerId], `/exports/${row.id}.mp4?token=${encodeURIComponent(ticket)}`, req, res).catch((e) => {
      this.logger.warn(`download of export ${row.id} failed: ${(e as Error).message}`);
      relayFailed(res);
    });
  }

  /**
   * DELETE /api/exports/:id (role admin, the camera in their home subtree; seen only through a grant: 403): the worker that made it cancels a job still
   * running and deletes the MP4 and its temp files (Commands.recordingExportDelete); then the row goes and the
   * audit entry `recording.export.delete` (who, hash, bytes, the export's reason and range) is written in one
   * transaction. A worker that does not answer: 503 and nothing changes (the file would be left without a row),
   * except for a `failed` export, which has no file (the job removes its output, a restarted worker its leftovers).
   */
  async delete(principal: Principal, id: string, ip?: string): Promise<void> {
    const row = await this.visibleExport(principal, id);
    // grants share viewing, never administration: an admin who sees the camera only through a grant may not delete
    if ((await this.accessOf(principal, row.cameraId))?.via !== 'scope') throw new TiergateError('FORBIDDEN', 'exports of a camera seen through a grant cannot be deleted');
    let reply: RecordingExportDeleteReply | undefined;
    if (row.workerId) {
      try {
        reply = await this.bus.request<RecordingExportDeleteReply>(Commands.recordingExportDelete(row.workerId), { exportId: row.id }, EXPORT_REQUEST_TIMEOUT_MS);
      } catch (e) {
        this.logger.warn(`worker ${row.workerId} did not delete export ${row.id}: ${(e as Error).message}`);
      }
      if (!reply?.deleted && row.state !== 'failed') {
        throw new TiergateError('SERVICE_UNAVAILABLE', `the worker holding export ${row.id} did not delete its file; nothing was deleted`, { exportId: row.id });
      }
    }
    await this.transactor.run(async (tx) => {
      if (!(await this.recordings.deleteExport(row.id, tx))) throw notFound('export');
      await this.audit.append(
        { userId: principal.userId, username: principal.username },
        {
          action: 'recording.export.delete',
          targetType: 'camera',
          targetId: row.cameraId,
          ip,
          details: {
            exportId: row.id,
            state: row.state,
            sha256: row.sha256,
            bytes: row.bytes,
            reason: row.reason,
            from: row.from.toISOString(),
            to: row.to.toISOString(),
            workerId: row.workerId,
            fileDeleted: reply?.hadFile ?? false,
            jobCancelled: reply?.cancelled ?? false,
          },
        },
        tx,
      );
    });
  }

  private async visibleExport(principal: Principal, id: string): Promise<RecordingExportRecord> {
    const row = isUuid(id) ? await this.recordings.getExport(id) : undefined;
    if (!row) throw notFound('export');
    await this.assertCamera(principal, row.cameraId, 'export');
    return row;
  }

  private async assertCamera(principal: Principal, cameraId: string, what = 'camera'): Promise<void> {
    if (!(await this.accessOf(principal, cameraId))) throw notFound(what);
  }

  private async accessOf(principal: Principal, cameraId: string) {
    const camera = await this.cameras.findById(cameraId);
    return camera ? this.scope.cameraAccess(principal, camera) : undefined;
  }
}
