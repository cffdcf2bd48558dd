import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { MqttBus } from '@tiergate/messaging';
import { DatabaseHealth } from '@tiergate/persistence';
import { Public } from '@tiergate/platform';
import { WorkerDirectory } from '../live/worker.directory';

@ApiTags('health')
@Controller('api/health')
export class HealthController {
  constructor(
    private readonly database: DatabaseHealth,
    private readonly bus: MqttBus,
    private readonly workers: WorkerDirectory,
  ) {}

  /**
   * 200 when the database answers and the broker is connected, else 503 naming what is down. `transcoders`
   * lists the workers this gateway knows from their heartbeats, each with the ffmpeg it runs.
   */
  @Public()
  @Get()
  @ApiOkResponse({
    description:
      '`{status: ok|degraded, database: up|down, broker: up|down, transcoders: [{workerId, live, load, capacity, ffmpeg: {version, libavformat, family, source}}]}`',
  })
  async health(@Res() res: Response) {
    const database = (await this.database.ping()) ? 'up' : 'down';
    const broker = this.bus.connected ? 'up' : 'down';
    const ok = database === 'up' && broker === 'up';
    const now = Date.now();
    const transcoders = this.workers.list().map((w) => ({
      workerId: w.workerId,
      live: this.workers.isLive(w.workerId, now),
      load: w.load,
      capacity: w.capacity,
      ...(w.ffmpeg ? { ffmpeg: w.ffmpeg } : {}),
    }));
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', database, broker, transcoders });
  }
}
