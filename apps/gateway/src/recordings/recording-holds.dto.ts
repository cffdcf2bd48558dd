import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';

export const MIN_HOLD_REASON = 4;
export const MAX_HOLD_REASON = 500;

/** Keeps the camera's footage overlapping [from, to) from retention and quota pruning. */
export class CreateRecordingHoldDto {
  @ApiProperty() @IsUUID() cameraId: string;
  @ApiProperty({ description: 'ISO 8601 with an offset or Z' }) @IsISO8601({ strict: true, strictSeparator: true }) from: string;
  @ApiProperty({ description: 'ISO 8601 with an offset or Z, after from' }) @IsISO8601({ strict: true, strictSeparator: true }) to: string;
  @ApiProperty({ minLength: MIN_HOLD_REASON, maxLength: MAX_HOLD_REASON, description: 'the case or reason; kept in the audit log' })
  @IsString()
  @MinLength(MIN_HOLD_REASON)
  @MaxLength(MAX_HOLD_REASON)
  reason: string;
}

export class ListRecordingHoldsQuery {
  @ApiPropertyOptional({ description: 'only the holds of this camera' }) @IsOptional() @IsUUID() cameraId?: string;
}
