import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { CAMERA_EVENT_KINDS, type CameraEventKind } from '@tiergate/domain';
import { Topics } from '../../topics';
import { defineEvent } from '../message';

/**
 * Topics.cameraEvent(cameraId): one motion or tamper change a camera reported over its ONVIF PullPoint
 * subscription (discovery, apps/discovery/src/events). `state` true: the event started (or repeats); false: it ended.
 */
export class CameraEventMessage {
  /** Unique per message (a gateway that sees it twice records it once). */
  @IsUUID() eventId!: string;
  @IsIn(CAMERA_EVENT_KINDS) kind!: CameraEventKind;
  @IsIn([true, false]) state!: boolean;
  /** When discovery received it (our clock: the alarm's time). */
  @IsISO8601() at!: string;
  /** The camera's own UtcTime of the event, when it sent a valid one (its clock may be off). */
  @IsOptional() @IsISO8601() cameraTime?: string;
  /** The ONVIF topic as sent, e.g. `tns1:VideoSource/MotionAlarm`. */
  @IsString() @MaxLength(128) topic!: string;
  /** The video source or rule it is about, when the camera named one. */
  @IsOptional() @IsString() @MaxLength(128) source?: string;
}

export const CameraEventEvent = defineEvent({ name: 'camera-event', filter: Topics.cameraEventAll, payload: CameraEventMessage });
