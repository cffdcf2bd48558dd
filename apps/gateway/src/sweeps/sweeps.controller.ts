import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@tiergate/access';
import { CurrentPrincipal, Roles } from '@tiergate/platform';
import { StartSweepDto } from './sweep.dto';
import { SweepsService } from './sweeps.service';

@ApiTags('discovery')
@ApiBearerAuth()
@Controller('api/discovery/sweeps')
@Roles('admin', 'operator')
export class SweepsController {
  constructor(private readonly sweeps: SweepsService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Start a discovery sweep of a CIDR (at most /16) and/or a multicast probe; follow it with GET or MQTT progress' })
  start(@CurrentPrincipal() principal: Principal, @Body() dto: StartSweepDto) {
    return this.sweeps.start(principal, dto);
  }

  @Get(':id')
  @ApiOperation({ summary: 'State, progress (0..1) and findings of a sweep; cameraId and cameraName mark findings that are already cameras you may see (matched by endpoint reference or ONVIF host:port)' })
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.sweeps.get(principal, id);
  }
}
