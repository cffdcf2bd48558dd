import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** Largest JSON page of GET /api/audit. */
export const AUDIT_JSON_MAX = 1000;
/** Largest (and default) CSV export: the whole filter in one file up to this many rows. */
export const AUDIT_CSV_MAX = 10_000;

export class AuditQueryDto {
  @ApiPropertyOptional({ description: 'user id or username of the actor' }) @IsOptional() @IsString() @MaxLength(64) actor?: string;
  @ApiPropertyOptional({ description: 'exact action, e.g. camera.live, or a prefix ending in * (grant.*)' }) @IsOptional() @IsString() @MaxLength(64) action?: string;
  @ApiPropertyOptional({ description: 'what the entry is about: a camera id (camera.live, camera.update…), a user id, a grant id' }) @IsOptional() @IsString() @MaxLength(64) targetId?: string;
  @ApiPropertyOptional({ description: 'entries at or after this ISO 8601 time' }) @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ description: 'entries before this ISO 8601 time' }) @IsOptional() @IsISO8601({ strict: true }) to?: string;
  @ApiPropertyOptional({ description: `page size: JSON default 100, at most ${AUDIT_JSON_MAX}; CSV default and at most ${AUDIT_CSV_MAX} (the whole filter in one file)`, maximum: AUDIT_CSV_MAX })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(AUDIT_CSV_MAX)
  limit?: number;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset?: number;
  @ApiPropertyOptional({
    enum: ['json', 'csv'],
    default: 'json',
    description:
      'csv: the matching entries (from offset, up to limit) as text/csv, header id,at,actorId,actorName,action,targetType,targetId,ip,details,targetName; cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR) are prefixed with a quote',
  })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}
