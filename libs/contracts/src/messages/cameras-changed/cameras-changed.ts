import { ArrayMaxSize, IsArray, IsIn, IsInt, IsISO8601, IsString, Min } from 'class-validator';
import { Topics } from '../../topics';
import { defineEvent } from '../message';

export const CAMERA_CHANGES = ['created', 'updated', 'deleted', 'imported'] as const;

/** Topics.camerasChanged: cameras were added, changed or removed (ids capped at 1000 for big imports). */
export class CamerasChangedMessage {
  @IsIn(CAMERA_CHANGES) change!: (typeof CAMERA_CHANGES)[number];
  @IsArray() @ArrayMaxSize(1000) @IsString({ each: true }) cameraIds!: string[];
  @IsInt() @Min(0) count!: number;
  @IsISO8601() at!: string;
}

/** Whether the notice names every camera it changed (a big import names at most 1000: then a reader reloads all). */
export const namesEveryCamera = (m: Pick<CamerasChangedMessage, 'count' | 'cameraIds'>): boolean => m.count <= m.cameraIds.length;

export const CamerasChangedEvent = defineEvent({ name: 'cameras-changed', filter: Topics.camerasChanged, payload: CamerasChangedMessage });
