import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { RECORDING_MODES, type RecordingMode, type StreamProfile } from '@tiergate/contracts';

export const RULE_TARGET_TYPES = ['camera', 'tag', 'jurisdiction'] as const;
export type RuleTargetType = (typeof RULE_TARGET_TYPES)[number];
export const RULE_PROFILES = ['main', 'sub'] as const;

export const DEFAULT_BUFFER_MINUTES = 5;
export const MAX_BUFFER_MINUTES = 120;
export const DEFAULT_RETENTION_DAYS = 30;
export const MAX_RETENTION_DAYS = 365;

/** What a rule records: one camera (its id), the cameras carrying a tag, or a node's subtree (its id). */
export class RuleTargetDto {
  @ApiProperty({ enum: RULE_TARGET_TYPES }) @IsIn(RULE_TARGET_TYPES) type: RuleTargetType;
  @ApiProperty({ description: 'camera id, tag, or jurisdiction id', maxLength: 64 })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  value: string;
}

export class CreateRecordingRuleDto {
  @ApiProperty({ maxLength: 200 }) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiProperty({ type: RuleTargetDto }) @ValidateNested() @Type(() => RuleTargetDto) target: RuleTargetDto;
  @ApiProperty({ enum: RECORDING_MODES }) @IsIn(RECORDING_MODES) mode: RecordingMode;
  @ApiPropertyOptional({ description: 'buffer mode only', default: DEFAULT_BUFFER_MINUTES, minimum: 1, maximum: MAX_BUFFER_MINUTES })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_BUFFER_MINUTES)
  bufferMinutes?: number;
  @ApiPropertyOptional({ enum: RULE_PROFILES, default: 'sub' }) @IsOptional() @IsIn(RULE_PROFILES) profile?: StreamProfile;
  @ApiPropertyOptional({ default: DEFAULT_RETENTION_DAYS, minimum: 1, maximum: MAX_RETENTION_DAYS }) @IsOptional() @IsInt() @Min(1) @Max(MAX_RETENTION_DAYS) retentionDays?: number;
  @ApiPropertyOptional({ description: 'the node that owns the rule (default: your home node); inside your home subtree' }) @IsOptional() @IsUUID() jurisdictionId?: string;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() enabled?: boolean;
}

/** Any field of a rule; the changed rule is checked as a whole, as on creation. */
export class UpdateRecordingRuleDto {
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional({ type: RuleTargetDto }) @IsOptional() @ValidateNested() @Type(() => RuleTargetDto) target?: RuleTargetDto;
  @ApiPropertyOptional({ enum: RECORDING_MODES }) @IsOptional() @IsIn(RECORDING_MODES) mode?: RecordingMode;
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_BUFFER_MINUTES }) @IsOptional() @IsInt() @Min(1) @Max(MAX_BUFFER_MINUTES) bufferMinutes?: number;
  @ApiPropertyOptional({ enum: RULE_PROFILES }) @IsOptional() @IsIn(RULE_PROFILES) profile?: StreamProfile;
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_RETENTION_DAYS }) @IsOptional() @IsInt() @Min(1) @Max(MAX_RETENTION_DAYS) retentionDays?: number;
  @ApiPropertyOptional() @IsOptional() @IsUUID() jurisdictionId?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() enabled?: boolean;
}
