import { IsIn, IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { Topics } from '../../topics';
import { defineEvent } from '../message';

/** Topics.alertLevel(jurisdictionId), retained: the node's own level as set; from `expiresAt` on it counts as 1. */
export class AlertLevelMessage {
  @IsString() @MaxLength(64) jurisdictionId!: string;
  @IsIn([1, 2, 3]) level!: 1 | 2 | 3;
  @IsString() @MaxLength(500) reason!: string;
  @IsOptional() @IsISO8601() expiresAt?: string;
  @IsString() @MaxLength(64) setBy!: string;
  @IsISO8601() at!: string;
}

export const AlertLevelEvent = defineEvent({ name: 'alert-level', filter: Topics.alertLevelAll, payload: AlertLevelMessage });
