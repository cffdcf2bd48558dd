import { Body, Controller, HttpCode, Inject, Ip, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { Request, Response } from 'express';
import type { Principal } from '@tiergate/access';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { STREAM_PROFILES, type StreamProfile } from '@tiergate/contracts';
import { notFound } from '@tiergate/domain';
import { CurrentPrincipal } from '@tiergate/platform';
import { type LiveAnswer, LiveService } from './live.service';
import { parseAllowedHosts, publicBaseUrl, PublicUrlSettings } from './public-base-url';
import { StepTimings } from './step-timings';
import { LIVE_TRANSPORTS, type LiveTransport } from './stream-readiness';

export class LiveDto {
  @ApiPropertyOptional({ enum: STREAM_PROFILES, default: 'main' })
  @IsOptional() @IsIn(STREAM_PROFILES) profile?: StreamProfile;
  @ApiPropertyOptional({
    enum: LIVE_TRANSPORTS,
    default: 'hls',
    description: 'How you will play the answer. `hls` (the default): answered once the classic playlist has its first segment, so hlsUrl plays at once in any player. `mse`: answered once the session\'s fMP4 feed has its init and a keyframe fragment, about one GOP sooner on a cold start; mseUrl then delivers a keyframe at once, while hlsUrl and llHlsUrl may answer 404 for up to a GOP.',
  })
  @IsOptional() @IsIn(LIVE_TRANSPORTS) transport?: LiveTransport;
}

/** The answer, for the OpenAPI document (LiveAnswer is the type the service returns). */
class LiveAnswerDto implements LiveAnswer {
  @ApiProperty({ description: 'Classic HLS playlist (MPEG-TS segments): ffprobe, VLC, mobile players, hls.js. Absolute, on the public base URL.', example: 'https://tiergate.example/hls/<cameraId>/main/index.m3u8?token=…' })
  hlsUrl!: string;
  @ApiProperty({
    description: 'MSE over WebSocket (ws:// or wss:// from the same base): a text {"type":"init","codec","generation"}, a binary init segment, then one binary fMP4 fragment per message from the newest keyframe. Send {"type":"renew","token"} with the token of a newer answer before expiresAt. Close codes 4401 token refused or expired, 4404 no such stream, 4408 too slow, 1001 session closed. A refused upgrade is answered HTTP 404 (docs/live-low-latency.md).',
    example: 'wss://tiergate.example/live/<cameraId>/main/mse?token=…',
  })
  mseUrl!: string;
  @ApiProperty({ description: 'LL-HLS playlist (fMP4 parts, blocking reload, preload hints) beside the classic one, same token.', example: 'https://tiergate.example/hls/<cameraId>/main/ll.m3u8?token=…' })
  llHlsUrl!: string;
  @ApiProperty({ description: 'When the token of all three URLs expires (ISO 8601); ask again before then.' })
  expiresAt!: string;
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
    description: 'Answers {hlsUrl, mseUrl, llHlsUrl, expiresAt} once the playlist has its first segment (with `transport: "mse"`: once the MSE feed has a keyframe fragment): classic HLS, the MSE WebSocket (lowest delay, for walls and post PCs) and LL-HLS of the same session. Every URL carries the same short-lived token bound to you, the camera and the profile; ask again before expiresAt to renew (an open MSE socket takes the new token as a renew message). 502/504 with CAMERA_UNREACHABLE or STREAM_START_TIMEOUT when the source does not play. A camera already playing is answered from the worker holding it even while the message bus is down; a new one then answers 503 SERVICE_UNAVAILABLE at once. A worker found dead is skipped at once (docs/live-failover.md). A session already running is answered without waiting for the worker (docs/live-low-latency.md, "Start time"). The Server-Timing header gives the time of each step (camera, scope, place, token).',
  })
  @ApiOkResponse({ type: LiveAnswerDto })
  async open(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe({ exceptionFactory: () => notFound('camera') })) id: string,
    @Body() dto: LiveDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Ip() ip: string,
  ): Promise<LiveAnswer> {
    const timings = new StepTimings();
    // The base comes from http.publicUrl, else from a Host that names this server (never a spoofed one).
    const base = publicBaseUrl(this.urls, { protocol: req.protocol, host: req.host, localAddress: req.socket.localAddress, localPort: req.socket.localPort });
    const answer = await this.live.open(principal, id, dto.profile ?? 'main', base, { ip, transport: dto.transport, timings });
    res.setHeader('Server-Timing', timings.header());
    return answer;
  }
}
