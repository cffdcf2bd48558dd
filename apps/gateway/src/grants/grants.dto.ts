import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';

/** Exactly one object (cameraId or jurisdictionId) and exactly one grantee (granteeUserId, granteeUsername or granteeJurisdictionId). */
export class CreateGrantDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID() cameraId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() jurisdictionId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() granteeUserId?: string;
  @ApiPropertyOptional({ description: 'the grantee by username (case-insensitive), for a user outside the users you administer; unknown: 404 like a missing user' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_.@-]{1,64}$/, { message: 'granteeUsername must be 1-64 letters, digits or _.@-' })
  granteeUsername?: string;
  @ApiPropertyOptional({ description: 'every user whose home node is this node or below it' }) @IsOptional() @IsUUID() granteeJurisdictionId?: string;
  @ApiProperty({ description: 'ISO 8601 time with an offset or Z, in the future, at most 90 days ahead' })
  @IsISO8601({ strict: true, strictSeparator: true })
  expiresAt: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

/** Grants are paged by default (CONTRACT.md is silent on this list): `limit` defaults to limits.defaultPageSize. */
export class ListGrantsQuery {
  @ApiPropertyOptional({ description: 'page size: default limits.defaultPageSize (100), at most limits.maxPageSize (1000)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  limit?: number;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset?: number;
}
