import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, MaxLength, Min } from 'class-validator';
import { Topics } from '../../topics';
import { defineEvent } from '../message';
import { ALARM_KINDS, type AlarmKind } from '@tiergate/domain';

export const ALARM_STATES = ['new', 'acknowledged'] as const;
export type AlarmState = (typeof ALARM_STATES)[number];

/**
 * Topics.cameraAlarm(cameraId): an alarm as stored after a change (created, a repeat folded in, the event ended,
 * acknowledged). A patrol alarm's round and note are read with GET /api/alarms/:id. Every gateway pushes it to the event streams of the users who may see the camera (docs/alarms.md).
 */
export class CameraAlarmMessage {
  @IsUUID() id!: string;
  @IsUUID() cameraId!: string;
  /** motion, tamper (camera events) or patrol (an abnormal patrol mark raised as an alarm). */
  @IsIn(ALARM_KINDS) kind!: AlarmKind;
  @IsIn(ALARM_STATES) state!: AlarmState;
  /** The camera still reports the event (no `state: false` seen since the last start). */
  @IsIn([true, false]) active!: boolean;
  @IsISO8601() startedAt!: string;
  @IsISO8601() lastEventAt!: string;
  @IsOptional() @IsISO8601() endedAt?: string;
  /** Starts folded into this alarm (1 + repeats within the dedup window). */
  @IsInt() @Min(1) count!: number;
  @IsOptional() @IsISO8601() acknowledgedAt?: string;
  @IsOptional() @IsString() @MaxLength(64) acknowledgedBy?: string;
  @IsOptional() @IsString() @MaxLength(500) note?: string;
  /** What changed: created, repeated, ended, acknowledged. */
  @IsIn(['created', 'repeated', 'ended', 'acknowledged']) change!: 'created' | 'repeated' | 'ended' | 'acknowledged';
}

export const CameraAlarmEvent = defineEvent({ name: 'camera-alarm', filter: Topics.cameraAlarmAll, payload: CameraAlarmMessage });
