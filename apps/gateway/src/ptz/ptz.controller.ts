import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBadGatewayResponse, ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@tiergate/access';
import { notFound } from '@tiergate/domain';
import { CurrentPrincipal } from '@tiergate/platform';
import { PtzCommandView, PtzMoveDto, PtzOverviewView, PtzSavedPresetView, PtzSavePresetDto } from './ptz.dto';
import { PtzService } from './ptz.service';

const cameraId = () => new ParseUUIDPipe({ exceptionFactory: () => notFound('camera') });
const STEER = 'Admins and operators, for cameras in their own jurisdiction (403 for other roles or a camera seen through a grant; 404 out of scope, exactly as a missing camera). Takes or renews the 30 s steering lease (409 naming who holds it and until when).';

@ApiTags('cameras')
@ApiBearerAuth()
@Controller('api/cameras/:id/ptz')
export class PtzController {
  constructor(private readonly ptz: PtzService) {}

  @Get()
  @ApiOperation({ summary: 'Pan/tilt/zoom of the camera: whether it has PTZ, whether you may steer it, its position, presets and who steers it now (docs/ptz.md)' })
  @ApiOkResponse({ type: PtzOverviewView })
  @ApiBadGatewayResponse({ description: 'the camera did not answer its PTZ service' })
  overview(@CurrentPrincipal() principal: Principal, @Param('id', cameraId()) id: string) {
    return this.ptz.overview(principal, id);
  }

  @Post('move')
  @HttpCode(200)
  @ApiOperation({ summary: 'Moves at the given pan/tilt/zoom velocities for durationMs (default 1000, at most 5000) or until a newer command', description: STEER })
  @ApiOkResponse({ type: PtzCommandView })
  @ApiForbiddenResponse({ description: 'your role may not steer, or the camera is yours through a grant only' })
  @ApiConflictResponse({ description: 'another user holds the steering lease: `lease` {username, until}' })
  move(@CurrentPrincipal() principal: Principal, @Param('id', cameraId()) id: string, @Body() dto: PtzMoveDto) {
    return this.ptz.move(principal, id, dto);
  }

  @Post('stop')
  @HttpCode(200)
  @ApiOperation({ summary: 'Stops pan, tilt and zoom', description: STEER })
  @ApiOkResponse({ type: PtzCommandView })
  stop(@CurrentPrincipal() principal: Principal, @Param('id', cameraId()) id: string) {
    return this.ptz.stop(principal, id);
  }

  @Post('release')
  @HttpCode(204)
  @ApiOperation({ summary: 'Gives your steering lease up at once, so another user may steer without waiting for it to expire' })
  @ApiNoContentResponse({ description: 'released (or it was not yours)' })
  release(@CurrentPrincipal() principal: Principal, @Param('id', cameraId()) id: string): Promise<void> {
    return this.ptz.release(principal, id);
  }

  @Post('presets')
  @ApiOperation({ summary: 'Saves the current position as a preset of that name (over the preset of the same name); audited as ptz.preset.save', description: STEER })
  @ApiCreatedResponse({ type: PtzSavedPresetView })
  savePreset(@CurrentPrincipal() principal: Principal, @Param('id', cameraId()) id: string, @Body() dto: PtzSavePresetDto) {
    return this.ptz.savePreset(principal, id, dto.name);
  }

  @Post('presets/:token/goto')
  @HttpCode(200)
  @ApiOperation({ summary: 'Goes to a preset (404 for an unknown token); audited as ptz.preset.goto', description: STEER })
  @ApiOkResponse({ type: PtzCommandView })
  gotoPreset(@CurrentPrincipal() principal: Principal, @Param('id', cameraId()) id: string, @Param('token') token: string) {
    return this.ptz.gotoPreset(principal, id, token);
  }
}
