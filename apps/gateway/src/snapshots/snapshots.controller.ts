import { Controller, Get, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Principal } from '@tiergate/access';
import { notFound } from '@tiergate/domain';
import { CurrentPrincipal } from '@tiergate/platform';
import { SnapshotsService } from './snapshots.service';

@ApiTags('cameras')
@ApiBearerAuth()
@Controller('api/cameras')
export class SnapshotsController {
  constructor(private readonly snapshots: SnapshotsService) {}

  @Get(':id/snapshot')
  @ApiProduces('image/jpeg')
  @ApiOperation({ summary: 'Current JPEG snapshot of the camera (cached for 2 s)', description: '404 out of scope or without a snapshot URI; 502 when the camera does not deliver.' })
  async snapshot(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe({ exceptionFactory: () => notFound('camera') })) id: string,
    @Res() res: Response,
  ): Promise<void> {
    const snap = await this.snapshots.snapshot(principal, id);
    res.status(200).type(snap.contentType).setHeader('Cache-Control', 'private, max-age=2');
    res.end(snap.body);
  }
}
