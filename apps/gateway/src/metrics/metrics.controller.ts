import { Controller, Get, Header, Headers, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { collectDefaultMetrics, register } from 'prom-client';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { TiergateError } from '@tiergate/domain';
import { Public } from '@tiergate/platform';
import { metricsAccess } from './metrics-access';

let defaultsStarted = false;

/** Prometheus text exposition of this process's registry (every app registers in the default one). */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  private readonly access: { enabled: boolean; token: string };

  constructor(@Inject(TIERGATE_CONFIG) config: TiergateConfig) {
    this.access = { enabled: config.http.metrics, token: config.http.metricsToken };
    if (!defaultsStarted) {
      collectDefaultMetrics({ prefix: 'tiergate_' });
      defaultsStarted = true;
    }
  }

  @Public()
  @Get()
  @Header('Content-Type', register.contentType)
  metrics(@Headers('authorization') authorization?: string) {
    const access = metricsAccess(this.access, authorization);
    if (access === 'disabled') throw new TiergateError('NOT_FOUND', 'Cannot GET /metrics');
    if (access === 'unauthenticated') throw new TiergateError('UNAUTHENTICATED', 'metrics need Authorization: Bearer <http.metricsToken>');
    return register.metrics();
  }
}
