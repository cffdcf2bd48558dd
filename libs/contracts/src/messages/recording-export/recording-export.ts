import { IsBoolean, IsIn, IsISO8601, IsNumber, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { EXPORT_STATES, type ExportState, RecordingTopics, type RecordingExportProgressMessage } from '../../recording';
import { TOPIC_ROOT } from '../../topics';
import { defineCommand, defineEvent } from '../message';

/**
 * Commands.recordingExport(workerId), gateway → the transcoder worker holding a range's segments: make export
 * `exportId` (its row in `recording_exports` says camera, profile, range). The worker answers at once whether it
 * took the job, then runs it, writing progress to the row and to RecordingTopics.exportProgress(exportId).
 */
export class RecordingExportRequest {
  @IsUUID() exportId!: string;
}

export class RecordingExportReply {
  @IsBoolean() accepted!: boolean;
  @IsString() @MaxLength(128) workerId!: string;
  /** Why not, when not accepted. */
  @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

export const RecordingExport = defineCommand({
  name: 'recording-export',
  filter: `${TOPIC_ROOT}/cmd/transcoder/+/recording-export`,
  request: RecordingExportRequest,
  reply: RecordingExportReply,
});

/**
 * Commands.recordingExportDelete(workerId), gateway → the worker that made (or is making) export `exportId`:
 * cancel its job if it runs, delete its MP4 and temp files. The gateway removes the row and writes the audit
 * entry once the worker answers `deleted` (the file is evidence: it goes only on this explicit, audited call).
 */
export class RecordingExportDeleteRequest {
  @IsUUID() exportId!: string;
}

export class RecordingExportDeleteReply {
  /** True when nothing of the export is left on this worker's disk (also when there was nothing). */
  @IsBoolean() deleted!: boolean;
  @IsString() @MaxLength(128) workerId!: string;
  /** True when the finished MP4 was on this worker's disk and is now gone. */
  @IsOptional() @IsBoolean() hadFile?: boolean;
  /** True when the job was still queued or running here and was cancelled. */
  @IsOptional() @IsBoolean() cancelled?: boolean;
  @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

export const RecordingExportDelete = defineCommand({
  name: 'recording-export-delete',
  filter: `${TOPIC_ROOT}/cmd/transcoder/+/recording-export-delete`,
  request: RecordingExportDeleteRequest,
  reply: RecordingExportDeleteReply,
});

/** RecordingTopics.exportProgress(exportId): RecordingExportProgressMessage, published by the worker making it. */
export class RecordingExportProgressPayload implements RecordingExportProgressMessage {
  @IsUUID() exportId!: string;
  @IsIn(EXPORT_STATES) state!: ExportState;
  @IsNumber() @Min(0) @Max(1) progress!: number;
  @IsOptional() @Matches(/^[0-9a-f]{64}$/) sha256?: string;
  @IsOptional() @IsNumber() @Min(0) bytes?: number;
  @IsOptional() @IsString() @MaxLength(2000) reason?: string;
  @IsISO8601() at!: string;
}

export const RecordingExportProgressEvent = defineEvent({ name: 'recording-export-progress', filter: RecordingTopics.exportProgressAll, payload: RecordingExportProgressPayload });
