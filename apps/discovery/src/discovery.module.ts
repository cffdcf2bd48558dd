import { Module } from '@nestjs/common';
import { CameraChecker } from './health/camera.checker';
import { CameraOnboarder } from './health/camera.onboarder';
import { HealthMonitor } from './health/health.monitor';
import { SweepHandler } from './sweep/sweep.handler';
import { SweepReaper } from './sweep/sweep.reaper';
import { SweepRunner } from './sweep/sweep.runner';

/** Finds cameras (WS-Discovery sweeps, ONVIF HTTP fallback) and watches their health. */
@Module({
  providers: [SweepRunner, SweepReaper, SweepHandler, CameraChecker, CameraOnboarder, HealthMonitor],
  exports: [SweepRunner, HealthMonitor],
})
export class DiscoveryModule {}
