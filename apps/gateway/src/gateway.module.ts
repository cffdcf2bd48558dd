import { Module } from '@nestjs/common';
import { AuthController } from './auth/auth.controller';
import { AuthService } from './auth/auth.service';
import { CamerasModule } from './cameras/cameras.module';
import { ConsoleModule } from './console/console.module';
import { HealthController } from './health/health.controller';
import { HotspotsModule } from './hotspots/hotspots.module';
import { IncidentsModule } from './incidents/incidents.module';
import { JurisdictionsModule } from './jurisdictions/jurisdictions.module';
import { LiveModule } from './live/live.module';
import { SnapshotsModule } from './snapshots/snapshots.module';
import { MetricsController } from './metrics/metrics.controller';
import { SweepsModule } from './discovery/sweeps.module';
import { BuiltInAdminInitializer } from './users/builtin-admin.initializer';
import { UsersController } from './users/users.controller';
import { UsersService } from './users/users.service';

/** The HTTP API, the console and video delivery. */
@Module({
  // ConsoleModule stays last: its SPA fallback must not shadow other modules' routes.
  imports: [JurisdictionsModule, CamerasModule, SweepsModule, IncidentsModule, HotspotsModule, LiveModule, SnapshotsModule, ConsoleModule],
  controllers: [AuthController, UsersController, HealthController, MetricsController],
  providers: [AuthService, UsersService, BuiltInAdminInitializer],
})
export class GatewayModule {}
