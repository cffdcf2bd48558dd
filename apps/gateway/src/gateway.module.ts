import { Module } from '@nestjs/common';
import { AlarmsModule } from './alarms/alarms.module';
import { AuditModule } from './audit/audit.module';
import { CamerasModule } from './cameras/cameras.module';
import { ConsoleModule } from './console/console.module';
import { GrantsModule } from './grants/grants.module';
import { EventsModule } from './events/events.module';
import { HealthController } from './health/health.controller';
import { HotspotsModule } from './hotspots/hotspots.module';
import { IdentityModule } from './identity/identity.module';
import { IncidentsModule } from './incidents/incidents.module';
import { JurisdictionsModule } from './jurisdictions/jurisdictions.module';
import { LiveModule } from './live/live.module';
import { MetricsController } from './metrics/metrics.controller';
import { RecordingsModule } from './recordings/recordings.module';
import { RatesModule } from './rates/rates.module';
import { PatrolModule } from './patrol/patrol.module';
import { PtzModule } from './ptz/ptz.module';
import { SnapshotsModule } from './snapshots/snapshots.module';
import { SweepsModule } from './sweeps/sweeps.module';
import { WallsModule } from './walls/walls.module';
import { WallDevicesModule } from './wall-devices/wall-devices.module';

/** The HTTP API, the console and video delivery: one module per business area (README, "Where things live"). */
@Module({
  // ConsoleModule stays last: its SPA fallback must not shadow other modules' routes.
  imports: [IdentityModule, JurisdictionsModule, GrantsModule, AuditModule, CamerasModule, SweepsModule, IncidentsModule, HotspotsModule, WallsModule, LiveModule, RecordingsModule, RatesModule, PatrolModule, SnapshotsModule, EventsModule, AlarmsModule, WallDevicesModule, PtzModule, ConsoleModule],
  controllers: [HealthController, MetricsController],
})
export class GatewayModule {}
