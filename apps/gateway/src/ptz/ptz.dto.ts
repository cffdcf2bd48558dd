import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

/** The longest a move runs at the camera without a newer command (the console repeats moves while a button is held). */
export const MAX_MOVE_MS = 5000;
export const DEFAULT_MOVE_MS = 1000;

export class PtzMoveDto {
  @ApiProperty({ minimum: -1, maximum: 1, example: 0.5, description: 'pan velocity: negative left, positive right' })
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(-1) @Max(1) pan: number;

  @ApiProperty({ minimum: -1, maximum: 1, example: 0, description: 'tilt velocity: negative down, positive up' })
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(-1) @Max(1) tilt: number;

  @ApiProperty({ minimum: -1, maximum: 1, example: 0, description: 'zoom velocity: negative out, positive in' })
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(-1) @Max(1) zoom: number;

  @ApiPropertyOptional({ minimum: 100, maximum: MAX_MOVE_MS, default: DEFAULT_MOVE_MS, description: 'how long the camera moves unless a newer command (a move or stop) comes first' })
  @IsOptional() @IsInt() @Min(100) @Max(MAX_MOVE_MS) durationMs?: number;
}

export class PtzSavePresetDto {
  @ApiProperty({ minLength: 1, maxLength: 64, example: '南门' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString() @MinLength(1) @MaxLength(64) @Matches(/^[^\u0000-\u001f\u007f<>&]*$/, { message: 'name must not contain control characters or < > &' })
  name: string;
}

export class PtzLeaseView {
  @ApiProperty() username: string;
  @ApiProperty({ format: 'date-time' }) until: string;
  @ApiProperty({ description: 'true when the caller holds the lease' }) mine: boolean;
}

export class PtzStatusView {
  @ApiProperty({ minimum: -1, maximum: 1 }) pan: number;
  @ApiProperty({ minimum: -1, maximum: 1 }) tilt: number;
  @ApiProperty({ minimum: 0, maximum: 1 }) zoom: number;
  @ApiProperty() moving: boolean;
}

export class PtzPresetView {
  @ApiProperty() token: string;
  @ApiProperty() name: string;
}

export class PtzOverviewView {
  @ApiProperty({ description: 'the camera has an ONVIF PTZ service' }) available: boolean;
  @ApiProperty({ description: 'the caller may steer it (admin or operator, camera in their own jurisdiction)' }) canSteer: boolean;
  @ApiProperty({ type: PtzStatusView, nullable: true }) status: PtzStatusView | null;
  @ApiProperty({ type: [PtzPresetView] }) presets: PtzPresetView[];
  @ApiProperty({ type: PtzLeaseView, nullable: true, description: 'who steers the camera now' }) lease: PtzLeaseView | null;
  @ApiProperty({ description: 'how long the lease lasts after the last command' }) leaseSeconds: number;
}

export class PtzCommandView {
  @ApiProperty({ type: PtzLeaseView }) lease: PtzLeaseView;
}

export class PtzSavedPresetView extends PtzCommandView {
  @ApiProperty({ type: PtzPresetView }) preset: PtzPresetView;
  @ApiProperty({ description: 'an existing preset of that name was overwritten' }) replaced: boolean;
}
