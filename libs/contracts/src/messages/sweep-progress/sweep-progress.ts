import { IsInt, IsNumber, Max, Min } from 'class-validator';
import { TOPIC_ROOT } from '../../topics';
import { defineEvent } from '../message';

/** Topics.sweepProgress(sweepId): `{progress, found}` (CONTRACT.md), published by discovery only. */
export class SweepProgressMessage {
  @IsNumber() @Min(0) @Max(1) progress!: number;
  @IsInt() @Min(0) found!: number;
}

export const SweepProgressEvent = defineEvent({ name: 'sweep-progress', filter: `${TOPIC_ROOT}/discovery/sweeps/+/progress`, payload: SweepProgressMessage });
