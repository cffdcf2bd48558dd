import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsLatitude,
  IsLongitude,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { CAMERA_STATUSES } from '@tiergate/domain';
import { CAMERA_SORTS, CameraSort, SORT_ORDERS, SortOrder } from '@tiergate/persistence';

const HOST_RE = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$|^\[[0-9a-fA-F:.]+\]$/;

export class LocationDto {
  @ApiProperty({ example: 31.2304 }) @IsLatitude() lat: number;
  @ApiProperty({ example: 121.4737 }) @IsLongitude() lon: number;
}

export class OnvifAccessDto {
  @ApiProperty({ example: '192.168.1.64' }) @IsString() @Matches(HOST_RE, { message: 'host must be a host name or IP address' }) host: string;
  @ApiProperty({ example: 80 }) @IsInt() @Min(1) @Max(65535) port: number;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(128) username: string;
  @ApiProperty({ writeOnly: true }) @IsString() @MaxLength(256) password: string;
}

export class CredentialsDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(128) username: string;
  @ApiProperty({ writeOnly: true }) @IsString() @MaxLength(256) password: string;
}

export class CreateCameraDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiPropertyOptional({
    type: OnvifAccessDto,
    description:
      'ONVIF device: probed (device information, profiles, stream URIs) before it is saved. A device that does not answer or refuses the ' +
      'credentials is saved `offline`/`unauthorized` with a `statusReason` and onboarded when it first answers (unless `verify=true`)',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => OnvifAccessDto)
  onvif?: OnvifAccessDto;
  @ApiPropertyOptional({ description: 'rtsp:// or rtsps:// only; user:pass@ in it is split off and sealed. Checked with RTSP DESCRIBE before it is saved' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  rtspUrl?: string;
  @ApiPropertyOptional({ type: LocationDto }) @IsOptional() @ValidateNested() @Type(() => LocationDto) location?: LocationDto;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(32) @IsString({ each: true }) @MinLength(1, { each: true }) @MaxLength(64, { each: true }) tags?: string[];
  @ApiPropertyOptional({ description: 'pins the camera to this jurisdiction (must be in your scope); else it is located from `location`' })
  @IsOptional()
  @IsUUID()
  jurisdictionId?: string;
}

/** `true`/`1` and `false`/`0`, as a query string carries them; anything else fails validation. */
const queryBoolean = ({ value }: { value: unknown }): unknown => (value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value);

export class CreateCameraQuery {
  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description:
      'true: refuse a camera that does not answer (502 CAMERA_UNREACHABLE) or refuses the credentials (502 CAMERA_UNAUTHORIZED) and save nothing. ' +
      'false (default): save it as `offline`/`unauthorized` with a `statusReason` (pre-registration); the health monitor completes its onboarding when it first answers',
  })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean({ message: 'verify must be true or false' })
  verify?: boolean;
}

export class UpdateCameraDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(32) @IsString({ each: true }) @MinLength(1, { each: true }) @MaxLength(64, { each: true }) tags?: string[];
  @ApiPropertyOptional({ type: LocationDto, nullable: true, description: 'null clears the location' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @ValidateNested()
  @Type(() => LocationDto)
  location?: LocationDto | null;
  @ApiPropertyOptional({ nullable: true, description: 'a jurisdiction id pins the camera there; null unpins it (located again from its location)' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID()
  jurisdictionId?: string | null;
  @ApiPropertyOptional({ type: CredentialsDto, description: 'new ONVIF/RTSP credentials (sealed at rest)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CredentialsDto)
  credentials?: CredentialsDto;
}

export class ListCamerasQuery {
  @ApiPropertyOptional({ description: 'cameras of this jurisdiction and its subtree' }) @IsOptional() @IsUUID() jurisdictionId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) tag?: string;
  @ApiPropertyOptional({ enum: CAMERA_STATUSES }) @IsOptional() @IsIn(CAMERA_STATUSES as unknown as string[]) status?: string;
  @ApiPropertyOptional({ description: 'part of the name (case-insensitive)' }) @IsOptional() @IsString() @MaxLength(200) q?: string;
  @ApiPropertyOptional({
    enum: CAMERA_SORTS,
    default: 'name',
    description:
      'order of the list: name, status (by urgency: offline, unauthorized, unknown, online), jurisdiction (its name), created, lastSeen. ' +
      'Ties are broken by id, so pages never repeat or skip a camera; a missing value (never seen, no jurisdiction) comes first ascending, last descending',
  })
  @IsOptional()
  @IsIn(CAMERA_SORTS as unknown as string[], { message: `sort must be one of ${CAMERA_SORTS.join(', ')}` })
  sort?: CameraSort;
  @ApiPropertyOptional({ enum: SORT_ORDERS, default: 'asc', description: 'desc is exactly asc reversed' })
  @IsOptional()
  @IsIn(SORT_ORDERS as unknown as string[], { message: 'order must be asc or desc' })
  order?: SortOrder;
  @ApiPropertyOptional({ description: 'page size, at most limits.maxPageSize (1000); every match when omitted. X-Total-Count gives the number of matches' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100000) limit?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset?: number;
}

export class AddFromSweepDto {
  @ApiProperty() @IsUUID() sweepId: string;
  @ApiPropertyOptional({ type: [String], description: 'endpoint references to add; all findings not yet added when omitted' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5000)
  @IsString({ each: true })
  endpoints?: string[];
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(128) username: string;
  @ApiProperty({ writeOnly: true }) @IsString() @MaxLength(256) password: string;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(32) @IsString({ each: true }) @MaxLength(64, { each: true }) tags?: string[];
  @ApiPropertyOptional() @IsOptional() @IsUUID() jurisdictionId?: string;
}
