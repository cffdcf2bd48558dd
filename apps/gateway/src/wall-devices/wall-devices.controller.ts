import { Body, Controller, Delete, Get, HttpCode, Ip, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@tiergate/access';
import { CurrentPrincipal, Roles } from '@tiergate/platform';
import { EnrolledWallDevice, EnrolWallDeviceDto, WallDeviceView } from './wall-devices.dto';
import { WallDevicesService } from './wall-devices.service';

@ApiTags('wall-devices')
@ApiBearerAuth()
@Controller('api/wall-devices')
@Roles('admin')
export class WallDevicesController {
  constructor(private readonly devices: WallDevicesService) {}

  @Post()
  @ApiOperation({
    summary: 'Enrol a screen as an always-on wall (kiosk) for a jurisdiction of your subtree',
    description: 'Creates its view-only account (`device:<name>`, viewer, home = the jurisdiction) and answers its secret ONCE, with the console address that enrols the screen (open it on the screen once). The server keeps only the SHA-256 of the secret. Audited (`wall-device.enrol`).',
  })
  @ApiCreatedResponse({ type: EnrolledWallDevice })
  enrol(@CurrentPrincipal() principal: Principal, @Body() dto: EnrolWallDeviceDto, @Ip() ip: string) {
    return this.devices.enrol(principal, dto, ip);
  }

  @Get()
  @ApiOperation({ summary: 'The wall devices of your subtree, revoked ones included, with their last session start' })
  @ApiOkResponse({ type: WallDeviceView, isArray: true })
  list(@CurrentPrincipal() principal: Principal) {
    return this.devices.list(principal);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a wall device', description: 'Its account is disabled and its tokens are refused in every process within seconds; its screen says it was revoked. Audited (`wall-device.revoke`). A device outside your subtree is 404 like a missing one.' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse()
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Ip() ip: string): Promise<void> {
    await this.devices.revoke(principal, id, ip);
  }
}
