import { Body, Controller, HttpCode, Inject, Ip, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { Request } from 'express';
import type { Principal } from '@tiergate/access';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { STREAM_PROFILES, type StreamProfile } from '@tiergate/contracts';
import { notFound } from '@tiergate/domain';
import { CurrentPrincipal } from '@tiergate/platform';
import { LiveService } from './live.service';
import { parseAllowedHosts, publicBaseUrl, PublicUrlSettings } from './public-base-url';

export class LiveDto {
  @IsOptional() @IsIn(STREAM_PROFILES) profile?: StreamProfile;
}

@ApiTags('live')
@ApiBearerAuth()
@Controller('api/cameras')
export class LiveController {
  private readonly urls: PublicUrlSettings;

  constructor(
    private readonly live: LiveService,
    @Inject(TIERGATE_CONFIG) config: TiergateConfig,
  ) {
    this.urls = { publicUrl: config.http.publicUrl, allowedHosts: parseAllowedHosts(config.http.allowedHosts), listenHost: config.http.host };
  }

  @Post(':id/live')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Start (or join) the camera’s live stream',
    description: 'Answers {hlsUrl, expiresAt} once the playlist has its first segment. The URL carries a short-lived token bound to you, the camera and the profile; ask again before expiresAt to renew. 502/504 with CAMERA_UNREACHABLE or STREAM_START_TIMEOUT when the source does not play. A camera already playing is answered from the worker holding it even while the message bus is down; a new one then answers 503 SERVICE_UNAVAILABLE at once. A worker found dead is skipped at once (docs/live-failover.md).',
  })
  open(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe({ exceptionFactory: () => notFound('camera') })) id: string,
    @Body() dto: LiveDto,
    @Req() req: Request,
    @Ip() ip: string,
  ) {
    // The base comes from http.publicUrl, else from a Host that names this server (never a spoofed one).
    const base = publicBaseUrl(this.urls, { protocol: req.protocol, host: req.host, localAddress: req.socket.localAddress, localPort: req.socket.localPort });
    return this.live.open(principal, id, dto.profile ?? 'main', base, ip);
  }
}
