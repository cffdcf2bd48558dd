import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsDate, IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { INCIDENT_TYPES } from '@tiergate/domain';
import { parseIsoInstant } from './incident-file.parser';

/**
 * A date in a query string: `YYYY-MM-DD` (midnight UTC) or an ISO 8601 date-time with an offset or Z.
 * Anything else becomes an invalid Date, which `@IsDate()` then refuses naming the field.
 */
export function queryDate({ value }: { value: unknown }): Date | unknown {
  if (typeof value !== 'string') return value;
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  const parsed = parseIsoInstant(text);
  return typeof parsed === 'string' ? new Date(Number.NaN) : parsed;
}

/** Filters shared by incident lists and hotspot analyses. */
export class IncidentFilterQuery {
  @ApiPropertyOptional({ enum: INCIDENT_TYPES }) @IsOptional() @IsIn(INCIDENT_TYPES as unknown as string[]) type?: string;
  @ApiPropertyOptional({ description: 'inclusive; YYYY-MM-DD (UTC) or ISO 8601 with offset' })
  @IsOptional() @Transform(queryDate) @IsDate({ message: 'from must be YYYY-MM-DD or an ISO 8601 date-time with an offset' }) from?: Date;
  @ApiPropertyOptional({ description: 'exclusive; YYYY-MM-DD (UTC) or ISO 8601 with offset' })
  @IsOptional() @Transform(queryDate) @IsDate({ message: 'to must be YYYY-MM-DD or an ISO 8601 date-time with an offset' }) to?: Date;
  @ApiPropertyOptional({ description: 'a node in your scope; its subtree is covered' }) @IsOptional() @IsUUID() jurisdictionId?: string;
}

export class ListIncidentsQuery extends IncidentFilterQuery {
  @ApiPropertyOptional({ default: 1000, maximum: 10000 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(10000) limit?: number;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset?: number;
}
