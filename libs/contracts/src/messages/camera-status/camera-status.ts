import { IsIn, IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { CAMERA_STATUSES, CameraStatus } from '@tiergate/domain';
import { Topics } from '../../topics';
import { defineEvent } from '../message';

/** Topics.cameraStatus(cameraId), retained: `{status, at, reason?}` (CONTRACT.md). */
export class CameraStatusMessage {
  @IsIn(CAMERA_STATUSES) status!: CameraStatus;
  @IsISO8601() at!: string;
  @IsOptional() @IsString() @MaxLength(2000) reason?: string;
}

export const CameraStatusEvent = defineEvent({ name: 'camera-status', filter: Topics.cameraStatusAll, payload: CameraStatusMessage });
