import { IsIn, IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { Topics } from '../../topics';
import { defineEvent } from '../message';

export const STREAM_STATES = ['starting', 'ready', 'stopped', 'failed'] as const;
export type StreamState = (typeof STREAM_STATES)[number];

/** Topics.streamState(cameraId, profile), retained: `{state, workerId, at, reason?}` (CONTRACT.md). */
export class StreamStateMessage {
  @IsIn(STREAM_STATES) state!: StreamState;
  @IsString() @MaxLength(128) workerId!: string;
  @IsISO8601() at!: string;
  @IsOptional() @IsString() @MaxLength(2000) reason?: string;
}

export const StreamStateEvent = defineEvent({ name: 'stream-state', filter: Topics.streamStateAll, payload: StreamStateMessage });
