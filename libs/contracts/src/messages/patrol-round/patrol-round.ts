import { IsIn, IsInt, IsISO8601, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { Topics } from '../../topics';
import { defineEvent } from '../message';

export const PATROL_ROUND_EVENTS = ['started', 'finished', 'abnormal-mark'] as const;
export type PatrolRoundEventKind = (typeof PATROL_ROUND_EVENTS)[number];

/** Topics.patrolRound(jurisdictionId): a round of the node's route started, finished, or a stop was marked abnormal. */
export class PatrolRoundMessage {
  @IsIn(PATROL_ROUND_EVENTS) kind!: PatrolRoundEventKind;
  @IsString() @MaxLength(64) roundId!: string;
  @IsString() @MaxLength(64) routeId!: string;
  @IsString() @MaxLength(64) jurisdictionId!: string;
  @IsISO8601() plannedAt!: string;
  /** Who did it (username). */
  @IsString() @MaxLength(64) by!: string;
  /** abnormal-mark: the stop, the camera, the note and the snapshot reference. */
  @IsOptional() @IsInt() @Min(0) stopIndex?: number;
  @IsOptional() @IsString() @MaxLength(64) cameraId?: string;
  @IsOptional() @IsString() @MaxLength(2000) note?: string;
  @IsOptional() @IsString() @MaxLength(500) snapshotUrl?: string;
  /** finished: whether it started on time and is completed (docs/methods.md). */
  @IsOptional() @IsIn([true, false]) onTime?: boolean;
  @IsOptional() @IsIn([true, false]) completed?: boolean;
  @IsISO8601() at!: string;
}

export const PatrolRoundEvent = defineEvent({ name: 'patrol-round', filter: Topics.patrolRoundAll, payload: PatrolRoundMessage });
