import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';

export const ALARMS_MAX_PAGE = 500;
export const ALARMS_DEFAULT_PAGE = 100;
export const ALARM_NOTE_MAX = 500;

export class AlarmListQuery {
  @ApiPropertyOptional({ enum: ['new', 'acknowledged'], description: 'new: not acknowledged yet' }) @IsOptional() @IsIn(['new', 'acknowledged']) state?: 'new' | 'acknowledged';
  @ApiPropertyOptional({ format: 'uuid', description: 'one camera (one you may see: another one answers an empty list)' }) @IsOptional() @IsUUID() cameraId?: string;
  @ApiPropertyOptional({ description: 'alarms started at or after this ISO 8601 time' }) @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ description: 'alarms started before this ISO 8601 time' }) @IsOptional() @IsISO8601({ strict: true }) to?: string;
  @ApiPropertyOptional({ default: ALARMS_DEFAULT_PAGE, maximum: ALARMS_MAX_PAGE }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(ALARMS_MAX_PAGE) limit?: number;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset?: number;
}

export class AcknowledgeAlarmDto {
  @ApiPropertyOptional({ maxLength: ALARM_NOTE_MAX, description: 'what was seen or done (kept with the alarm and in the audit log)' })
  @IsOptional()
  @IsString()
  @MaxLength(ALARM_NOTE_MAX)
  note?: string;
}
