import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { MqttBus } from '@tiergate/messaging';
import { Public } from '@tiergate/platform';

@ApiTags('health')
@Controller('api/health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: MqttBus,
  ) {}

  /** 200 when the database answers and the broker is connected, else 503 naming what is down. */
  @Public()
  @Get()
  async health(@Res() res: Response) {
    const database = await this.dataSource.query('SELECT 1').then(() => 'up', () => 'down');
    const broker = this.bus.connected ? 'up' : 'down';
    const ok = database === 'up' && broker === 'up';
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', database, broker });
  }
}
