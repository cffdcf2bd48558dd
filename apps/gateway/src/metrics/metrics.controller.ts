import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { collectDefaultMetrics, register } from 'prom-client';
import { Public } from '@tiergate/platform';

let defaultsStarted = false;

/** Prometheus text exposition of this process's registry (every app registers in the default one). */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor() {
    if (!defaultsStarted) {
      collectDefaultMetrics({ prefix: 'tiergate_' });
      defaultsStarted = true;
    }
  }

  @Public()
  @Get()
  @Header('Content-Type', register.contentType)
  metrics() {
    return register.metrics();
  }
}
