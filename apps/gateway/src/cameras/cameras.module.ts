import { Module } from '@nestjs/common';
import { CameraEvents } from './camera.events';
import { CameraImportService } from './camera-import.service';
import { CameraPlacement } from './camera-placement';
import { CameraProber } from './camera-prober.adapter';
import { CameraSweepOnboarding } from './camera-sweep-onboarding.service';
import { CamerasController } from './cameras.controller';
import { CamerasService } from './cameras.service';
import { SweepAccess } from '../sweeps/sweep.access';

/** The cameras API: list/read within scope, add (ONVIF probe or RTSP URL), import, edit, delete. */
@Module({
  controllers: [CamerasController],
  providers: [CameraPlacement, CameraProber, CameraEvents, CamerasService, CameraImportService, CameraSweepOnboarding, SweepAccess],
  exports: [SweepAccess],
})
export class CamerasModule {}
