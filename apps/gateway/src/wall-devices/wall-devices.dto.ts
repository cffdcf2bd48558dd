import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { DEVICE_NAME_MAX_LENGTH } from '@tiergate/access';
import { UserView } from '../identity/auth.dto';

/** Tiles per monitor a wall device may use (the console's layouts). */
export const DEVICE_LAYOUTS = [1, 4, 9, 16, 25] as const;
export const DEVICE_MAX_MONITORS = 16;

export class EnrolWallDeviceDto {
  @ApiProperty({ description: `the screen's name (1-${DEVICE_NAME_MAX_LENGTH} characters, unique); its account is \`device:<name>\`` })
  @IsString()
  @MinLength(1)
  @MaxLength(DEVICE_NAME_MAX_LENGTH)
  @Matches(/^[^\u0000-\u001f\u007f]+$/, { message: 'name must not contain control characters' })
  name: string;
  @ApiProperty({ description: "the jurisdiction it shows (in the admin's subtree); the device sees exactly what a viewer at that node sees" }) @IsUUID() jurisdictionId: string;
  @ApiPropertyOptional({ nullable: true, description: 'a saved wall (GET /api/walls) whose cameras it shows, in order; absent: all cameras of the jurisdiction' })
  @IsOptional()
  @IsUUID()
  wallId?: string | null;
  @ApiPropertyOptional({ minimum: 1, maximum: DEVICE_MAX_MONITORS, default: 1, description: 'monitors of the wall station; each shows its own page (docs/kiosk.md)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(DEVICE_MAX_MONITORS)
  monitors?: number;
  @ApiPropertyOptional({ enum: DEVICE_LAYOUTS, default: 4, description: 'tiles per monitor' }) @IsOptional() @IsIn(DEVICE_LAYOUTS as unknown as number[]) layout?: number;
  @ApiPropertyOptional({ minimum: 0, maximum: 3600, default: 0, description: 'seconds per tour page (0: no tour; else at least 5)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3600)
  tourSeconds?: number;
}

export class DeviceLoginDto {
  @ApiProperty() @IsUUID() deviceId: string;
  @ApiProperty({ description: 'the secret shown once at enrolment' }) @IsString() @MinLength(1) @MaxLength(128) secret: string;
}

export class WallDeviceView {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'the account behind it (`device:<name>`, viewer)' }) username: string;
  @ApiProperty() jurisdictionId: string;
  @ApiProperty({ nullable: true, type: String }) wallId: string | null;
  @ApiProperty() monitors: number;
  @ApiProperty() layout: number;
  @ApiProperty() tourSeconds: number;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String, description: 'the last session start (POST /api/auth/device)' }) lastSeenAt: string | null;
  @ApiProperty({ nullable: true, type: String }) revokedAt: string | null;
  @ApiProperty() revoked: boolean;
}

export class EnrolledWallDevice {
  @ApiProperty({ type: WallDeviceView }) device: WallDeviceView;
  @ApiProperty({ description: 'shown this once; the server keeps only its SHA-256' }) secret: string;
  @ApiProperty({ description: "the console's kiosk address for this screen, secret in the fragment (never sent to a server); open it once on the screen" }) enrolmentUrl: string;
}

export class DeviceLoginResult {
  @ApiProperty() accessToken: string;
  @ApiProperty() expiresAt: string;
  @ApiProperty({ type: UserView, description: 'the device account' }) user: UserView;
  @ApiProperty({ type: WallDeviceView }) device: WallDeviceView;
}
