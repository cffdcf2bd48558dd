import { Body, Controller, Get, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Principal } from '@tiergate/access';
import { CurrentPrincipal, Public } from '@tiergate/platform';
import { DeviceLoginDto, DeviceLoginResult, WallDeviceView } from './wall-devices.dto';
import { DeviceSessionsService } from './device-sessions.service';

@ApiTags('auth')
@Controller('api/auth/device')
export class DeviceAuthController {
  constructor(private readonly sessions: DeviceSessionsService) {}

  @Public()
  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: "A wall device's session from its secret",
    description: 'An ordinary login token of the device account (viewer, home = its jurisdiction, normal session length), asked for again whenever the console finds its token refused (expiry, key rotation, restart). The token reads and watches only: any other write is 403. Audited (`auth.device`).',
  })
  @ApiOkResponse({ type: DeviceLoginResult })
  @ApiUnauthorizedResponse({ description: 'unknown device or wrong secret' })
  @ApiForbiddenResponse({ description: 'the device has been revoked (only said to a caller with the right secret)' })
  start(@Body() dto: DeviceLoginDto, @Ip() ip: string) {
    return this.sessions.start(dto.deviceId, dto.secret, ip);
  }

  @Get()
  @ApiBearerAuth()
  @ApiOperation({ summary: "The calling wall device's own record (its wall, monitors, layout, tour); the kiosk's heartbeat", description: '404 for a person.' })
  @ApiOkResponse({ type: WallDeviceView })
  self(@CurrentPrincipal() principal: Principal) {
    return this.sessions.self(principal);
  }
}
