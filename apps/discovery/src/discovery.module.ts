import { Module } from '@nestjs/common';
import { CameraEventsService } from './events/camera-events.service';
import { CameraChecker } from './health/camera.checker';
import { CameraOnboarder } from './health/camera.onboarder';
import { HealthMonitor } from './health/health.monitor';
import { SweepHandler } from './sweep/sweep.handler';
import { SweepReaper } from './sweep/sweep.reaper';
import { SweepRunner } from './sweep/sweep.runner';

/** Finds cameras (WS-Discovery sweeps, ONVIF HTTP fallback), watches their health and subscribes to their motion/tamper events. */
@Module({
  providers: [SweepRunner, SweepReaper, SweepHandler, CameraChecker, CameraOnboarder, HealthMonitor, CameraEventsService],
  exports: [SweepRunner, HealthMonitor, CameraEventsService],
})
export class DiscoveryModule {}
