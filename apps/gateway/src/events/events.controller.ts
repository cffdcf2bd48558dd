import { Controller, Get, Headers, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Principal } from '@tiergate/access';
import { CurrentPrincipal, Public } from '@tiergate/platform';
import { EventAuthService } from './event-auth.service';
import { EventStreamsService } from './event-streams.service';
import { EventTicketView } from './events.dto';

const EVENTS_DESCRIPTION = [
  'Server-Sent Events (text/event-stream) of the cameras the caller may see (docs/events.md).',
  'Events: `camera-status` {cameraId, status, at, reason?}; `stream-state` {cameraId, profile, state, at, reason?};',
  '`recording-state` {cameraId, profile, state, mode, at, reason?}; `cameras-changed` {change, cameraIds, complete, at}',
  '(complete false: reload the camera list); `ready` {at} after the last status of each visible camera, sent on connect;',
  '`end` {reason: session-ended | replaced | shutdown} just before the server closes the stream.',
  'Every 15 s a `: ping` comment and a `heartbeat` {at} event (EventSource hides comments: a page can detect a dead link); `retry: 3000` first. Authentication: `?ticket=` from POST /api/events/ticket',
  '(one use, 30 s), or an `Authorization: Bearer` login token; never the login token in the URL. 401 otherwise.',
  'The stream ends with the session (logout, disable, token version change, expiry). At most 8 streams per user: the newest replaces the oldest.',
].join(' ');

@ApiTags('events')
@Controller('api/events')
export class EventsController {
  constructor(
    private readonly auth: EventAuthService,
    private readonly streams: EventStreamsService,
  ) {}

  @Post('ticket')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'A one-use ticket for GET /api/events (30 s)', description: 'EventSource cannot send headers: the page asks for a ticket with its login token and opens /api/events?ticket=…' })
  @ApiOkResponse({ type: EventTicketView })
  ticket(@CurrentPrincipal() principal: Principal, @Headers('authorization') authorization?: string): Promise<EventTicketView> {
    return this.auth.issue(principal, authorization);
  }

  @Public()
  @Get()
  @ApiOperation({ summary: 'Live camera events (Server-Sent Events)', description: EVENTS_DESCRIPTION })
  @ApiQuery({ name: 'ticket', required: false, description: 'from POST /api/events/ticket' })
  @ApiOkResponse({
    description: 'an endless text/event-stream',
    content: { 'text/event-stream': { schema: { type: 'string' }, example: 'retry: 3000\n\nevent: camera-status\ndata: {"cameraId":"…","status":"offline","at":"2026-12-02T07:31:04.120Z","reason":"connection refused"}\n\nevent: ready\ndata: {"at":"2026-12-02T07:31:04.180Z"}\n\n' } },
  })
  @ApiUnauthorizedResponse({ description: 'no, a bad, expired or used ticket, or a revoked session' })
  async events(@Query('ticket') ticket: string | undefined, @Headers('authorization') authorization: string | undefined, @Req() req: Request, @Res() res: Response): Promise<void> {
    const holder = await this.auth.holderOf(ticket, authorization);
    if (res.destroyed) return; // the client left while the ticket was checked
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    req.socket.setNoDelay(true);
    req.socket.setTimeout(0);
    const closed = this.streams.open(holder, res);
    res.on('close', closed);
  }
}
