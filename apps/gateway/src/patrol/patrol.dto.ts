import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsDate, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';

export const MAX_STOPS = 200;
export const MIN_DWELL_SECONDS = 3;
export const MAX_DWELL_SECONDS = 3600;
export const MIN_EVERY_MINUTES = 5;
const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;

/** One stop: exactly one of cameraId, jurisdictionId (a whole post) or tag, and how long it is shown. */
export class PatrolStopDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() cameraId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'every camera of this node (a post) and below' }) @IsOptional() @IsUUID() jurisdictionId?: string;
  @ApiPropertyOptional({ maxLength: 64, description: "the cameras carrying this tag in the route's subtree" }) @IsOptional() @IsString() @MinLength(1) @MaxLength(64) tag?: string;
  @ApiProperty({ minimum: MIN_DWELL_SECONDS, maximum: MAX_DWELL_SECONDS }) @IsInt() @Min(MIN_DWELL_SECONDS) @Max(MAX_DWELL_SECONDS) dwellSeconds: number;
}

/** `interval`: every `everyMinutes` from `from` to `to` (local HH:MM, may cross midnight, end included); `ad-hoc`: by hand only. */
export class PatrolScheduleDto {
  @ApiProperty({ enum: ['interval', 'ad-hoc'] }) @IsIn(['interval', 'ad-hoc']) kind: 'interval' | 'ad-hoc';
  @ApiPropertyOptional({ minimum: MIN_EVERY_MINUTES, maximum: 1440 }) @IsOptional() @IsInt() @Min(MIN_EVERY_MINUTES) @Max(1440) everyMinutes?: number;
  @ApiPropertyOptional({ example: '20:00' }) @IsOptional() @Matches(CLOCK, { message: 'from must be HH:MM' }) from?: string;
  @ApiPropertyOptional({ example: '06:00' }) @IsOptional() @Matches(CLOCK, { message: 'to must be HH:MM' }) to?: string;
}

export class CreatePatrolRouteDto {
  @ApiProperty({ maxLength: 200 }) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'the owning node (default: your home node), inside your home subtree' }) @IsOptional() @IsUUID() jurisdictionId?: string;
  @ApiProperty({ type: [PatrolStopDto] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_STOPS) @ValidateNested({ each: true }) @Type(() => PatrolStopDto) stops: PatrolStopDto[];
  @ApiProperty({ type: PatrolScheduleDto }) @ValidateNested() @Type(() => PatrolScheduleDto) schedule: PatrolScheduleDto;
}

export class UpdatePatrolRouteDto {
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() jurisdictionId?: string;
  @ApiPropertyOptional({ type: [PatrolStopDto] }) @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_STOPS) @ValidateNested({ each: true }) @Type(() => PatrolStopDto) stops?: PatrolStopDto[];
  @ApiPropertyOptional({ type: PatrolScheduleDto }) @IsOptional() @ValidateNested() @Type(() => PatrolScheduleDto) schedule?: PatrolScheduleDto;
}

export class RouteListQuery {
  @ApiPropertyOptional({ format: 'uuid', description: "this node's subtree only" }) @IsOptional() @IsUUID() jurisdictionId?: string;
}

export class StartRoundDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() routeId: string;
  @ApiPropertyOptional({ description: "one of an interval route's planned times (required there); an ad-hoc round defaults to now" })
  @IsOptional() @Type(() => Date) @IsDate() plannedAt?: Date;
}

export class MarkStopDto {
  @ApiProperty({ minimum: 0 }) @IsInt() @Min(0) @Max(MAX_STOPS - 1) stopIndex: number;
  @ApiProperty({ format: 'uuid', description: 'one of the cameras of that stop' }) @IsUUID() cameraId: string;
  @ApiProperty({ enum: ['normal', 'abnormal'] }) @IsIn(['normal', 'abnormal']) result: 'normal' | 'abnormal';
  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @IsString() @MaxLength(2000) note?: string;
  @ApiPropertyOptional({ default: false, description: "abnormal marks only: also raise an alarm of kind `patrol` for the camera, with the note and the round (docs/alarms.md); ignored on a normal mark" })
  @IsOptional() @IsBoolean() raiseAlarm?: boolean;
}

/** A node and a period [from, to) of at most 366 days. */
export class PeriodQuery {
  @ApiProperty({ format: 'uuid' }) @IsUUID() jurisdictionId: string;
  @ApiProperty({ description: 'start, inclusive (ISO 8601)' }) @Type(() => Date) @IsDate() from: Date;
  @ApiProperty({ description: 'end, exclusive (ISO 8601)' }) @Type(() => Date) @IsDate() to: Date;
}

export class SetAlertLevelDto {
  @ApiProperty({ enum: [1, 2, 3], description: '1 normal, 2 heightened, 3 high' }) @IsIn([1, 2, 3]) level: 1 | 2 | 3;
  @ApiProperty({ minLength: 1, maxLength: 500 }) @IsString() @MinLength(1) @MaxLength(500) reason: string;
  @ApiPropertyOptional({ description: 'when the level returns to 1 (in the future)' }) @IsOptional() @Type(() => Date) @IsDate() expiresAt?: Date;
}
