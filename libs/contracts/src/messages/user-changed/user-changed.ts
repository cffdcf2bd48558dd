import { IsISO8601, IsString, MaxLength } from 'class-validator';
import { Topics } from '../../topics';
import { defineEvent } from '../message';

/**
 * Topics.userChanged: only a hint to re-read the row (never trusted for rights), so it is not signed: a
 * forged one costs one indexed read of that user.
 */
export class UserChangedMessage {
  @IsString() @MaxLength(64) userId!: string;
  @IsISO8601() at!: string;
}

export const UserChangedEvent = defineEvent({ name: 'user-changed', filter: Topics.userChangedAll, payload: UserChangedMessage });
