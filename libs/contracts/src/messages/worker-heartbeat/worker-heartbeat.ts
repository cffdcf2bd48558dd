import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsISO8601, IsNumber, IsOptional, IsString, MaxLength, Min, ValidateNested } from 'class-validator';
import type { RecordingStorageOffer } from '../../recording';
import { Topics } from '../../topics';
import { defineEvent } from '../message';

/** An ffmpeg build as a worker reports it: `{version: "5.1.9-0+deb12u1", libavformat: "59.27.100", family: "5.x", source: "path"}`. */
export class FfmpegInUse {
  @IsString() version!: string;
  @IsString() libavformat!: string;
  @IsString() family!: string;
  /** Where the binary came from: FFMPEG_PATH (`env`), `PATH`, or the npm-shipped build (`npm`). */
  @IsString() source!: string;
}

/** One storage root a recording worker offers (RecordingStorageOffer in recording.ts). */
export class RecordingRootOffer {
  @IsString() @MaxLength(64) id!: string;
  @IsNumber() @Min(0) freeBytes!: number;
  @IsNumber() @Min(0) quotaBytes!: number;
  @IsNumber() @Min(0) usedBytes!: number;
}

/** The recording storage of a worker with a disk: the acting partitioner places continuous recordings by it. */
export class RecordingStorageOfferPayload implements RecordingStorageOffer {
  @IsArray() @ArrayMaxSize(64) @ValidateNested({ each: true }) @Type(() => RecordingRootOffer) roots!: RecordingRootOffer[];
}

export class WorkerSession {
  @IsString() @MaxLength(64) cameraId!: string;
  @IsString() @MaxLength(16) profile!: string;
  @IsString() @MaxLength(32) state!: string;
}

/**
 * Topics.workerHeartbeat(workerId), retained and signed: a transcoder worker's offer. An empty retained
 * message (the worker's last will, or its goodbye) means it left.
 */
export class WorkerHeartbeatMessage {
  @IsString() @MaxLength(128) workerId!: string;
  /** Base URL at which this worker serves HLS, e.g. http://127.0.0.1:8090 */
  @IsString() @MaxLength(2048) baseUrl!: string;
  @IsInt() @Min(0) capacity!: number;
  @IsNumber() @Min(0) load!: number;
  @IsArray() @ArrayMaxSize(100_000) @ValidateNested({ each: true }) @Type(() => WorkerSession) sessions!: WorkerSession[];
  /** The ffmpeg this worker runs, as probed at its start (`/api/health` reports it). */
  @IsOptional() @ValidateNested() @Type(() => FfmpegInUse) ffmpeg?: FfmpegInUse;
  /** Present only on a worker with recording storage; readers that place live sessions ignore it. */
  @IsOptional() @ValidateNested() @Type(() => RecordingStorageOfferPayload) recording?: RecordingStorageOffer;
  /**
   * The worker's longest event-loop delay over the last heartbeat period, in ms. A gateway takes a worker that
   * reports a high one for busy, not hung, when a request to it goes unanswered (docs/live-failover.md).
   */
  @IsOptional() @IsNumber() @Min(0) loopDelayMs?: number;
  @IsISO8601() at!: string;
}

export const WorkerHeartbeatEvent = defineEvent({ name: 'worker-heartbeat', filter: Topics.workerHeartbeatAll, payload: WorkerHeartbeatMessage });
