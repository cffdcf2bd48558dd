import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, MaxLength, Min, ValidateNested } from 'class-validator';
import { STREAM_PROFILES, StreamProfile } from '../../stream-key';
import { TOPIC_ROOT } from '../../topics';
import { defineCommand } from '../message';

/**
 * When a StreamEnsure is answered (docs/live-low-latency.md, "Start time"):
 * - `segment` (the default): once the classic playlist lists its first complete segment, so `hlsUrl` plays
 *   at once in any HLS player (CONTRACT.md);
 * - `fragment`: once the session's fMP4 feed has its init and a keyframe fragment, which is all an MSE viewer
 *   needs (the GOP cache hands it the keyframe at once); about one GOP sooner on a cold start. A worker
 *   without the fMP4 output answers at `segment` instead.
 */
export const STREAM_READINESS = ['segment', 'fragment'] as const;
export type StreamReadiness = (typeof STREAM_READINESS)[number];
export const isStreamReadiness = (v: unknown): v is StreamReadiness => (STREAM_READINESS as readonly unknown[]).includes(v);

export class StreamPosition {
  @IsInt() @Min(0) mediaSequence!: number;
  @IsInt() @Min(0) discontinuitySequence!: number;
}

/** Commands.streamEnsure(workerId), gateway → one transcoder worker: run (or keep running) this stream. */
export class StreamEnsureRequest {
  @IsString() @MaxLength(64) cameraId!: string;
  @IsIn(STREAM_PROFILES) profile!: StreamProfile;
  /**
   * The source URL with its credentials, sealed (AES-256-GCM, `MqttBus.sealSecret`) with a key derived
   * from the shared secret key: only Tiergate's own processes can open it. No bus payload carries a camera
   * credential in clear (CONTRACT.md).
   */
  @IsString() @MaxLength(16_384) sourceSealed!: string;
  @IsOptional() @IsBoolean() transcode?: boolean;
  /**
   * Set by a gateway placing a session again after its worker was lost: the newest segment it served of the
   * session (media and discontinuity sequence numbers). The new worker continues that timeline (the next
   * segment one later, one more discontinuity), so players carry on instead of mistaking the new stream for
   * the old one. Of several requests the worker keeps the later position.
   */
  @IsOptional() @ValidateNested() @Type(() => StreamPosition) continueFrom?: StreamPosition;
  /** When to answer (STREAM_READINESS); absent: `segment`. */
  @IsOptional() @IsIn(STREAM_READINESS) readyAt?: StreamReadiness;
}

export class StreamEnsureReply {
  @IsBoolean() ok!: boolean;
  @IsString() workerId!: string;
  @IsOptional() @IsString() playlistPath?: string;
  @IsOptional() @IsString() code?: string;
  @IsOptional() @IsString() message?: string;
  /** With ok: what the session had when the worker answered (`segment` also satisfies a `fragment` request). */
  @IsOptional() @IsIn(STREAM_READINESS) readyAt?: StreamReadiness;
}

export const StreamEnsure = defineCommand({
  name: 'stream-ensure',
  filter: `${TOPIC_ROOT}/cmd/transcoder/+/stream-ensure`,
  request: StreamEnsureRequest,
  reply: StreamEnsureReply,
});
