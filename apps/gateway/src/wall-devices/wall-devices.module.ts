import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module';
import { DeviceAuthController } from './device-auth.controller';
import { DeviceSessionsService } from './device-sessions.service';
import { WallDevicesController } from './wall-devices.controller';
import { WallDevicesService } from './wall-devices.service';

/** Always-on walls (docs/kiosk.md): enrolment and revocation of wall devices, and their sessions from their secret. */
@Module({
  imports: [IdentityModule],
  controllers: [WallDevicesController, DeviceAuthController],
  providers: [WallDevicesService, DeviceSessionsService],
})
export class WallDevicesModule {}
