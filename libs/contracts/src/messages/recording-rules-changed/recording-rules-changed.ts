import { IsIn, IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { RecordingTopics } from '../../recording';
import { defineEvent } from '../message';

export const RECORDING_RULE_CHANGES = ['rule-created', 'rule-updated', 'rule-deleted', 'hold-created', 'hold-deleted'] as const;
export type RecordingRuleChange = (typeof RECORDING_RULE_CHANGES)[number];

/** RecordingTopics.rulesChanged (qos 1): a rule or a hold changed; the acting partitioner publishes a new plan at once. */
export class RecordingRulesChangedMessage {
  @IsIn(RECORDING_RULE_CHANGES) change!: RecordingRuleChange;
  /** The rule's or the hold's id. */
  @IsString() @MaxLength(64) id!: string;
  /** The camera of a hold (its segments' pruning changes). */
  @IsOptional() @IsString() @MaxLength(64) cameraId?: string;
  @IsISO8601() at!: string;
}

export const RecordingRulesChangedEvent = defineEvent({ name: 'recording-rules-changed', filter: RecordingTopics.rulesChanged, payload: RecordingRulesChangedMessage });
