import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { HlsProxyMiddleware } from './hls-proxy.middleware';
import { LiveController } from './live.controller';
import { LiveService } from './live.service';
import { ViewSessionsModule } from '../rates/view-sessions.module';
import { MseUpgradeHandler } from './mse-upgrade.handler';
import { SessionHolders } from './session-holders';
import { StreamContinuity } from './stream-continuity';
import { StreamEnsureRequests } from './stream-ensure.request';
import { StreamPlacement } from './stream-placement.service';
import { WorkerFailover } from './worker-failover';
import { WorkerSessionClient } from './worker-session.client';
import { WorkerDirectory } from './worker.directory';
import { WorkerLink } from './worker-link';

/** Live video: placing sessions on transcoder workers and delivering their HLS and MSE WebSockets through token checks. */
@Module({
  imports: [ViewSessionsModule],
  controllers: [LiveController],
  providers: [
    LiveService, StreamPlacement, SessionHolders, WorkerFailover, WorkerSessionClient, StreamEnsureRequests, WorkerDirectory, WorkerLink, HlsProxyMiddleware,
    // The MSE WebSocket route: hooks the HTTP server's upgrade event (there is no Nest route for an upgrade).
    MseUpgradeHandler,
    // Positions older than idleCloseMs are forgotten: nobody plays them.
    { provide: StreamContinuity, inject: [TIERGATE_CONFIG], useFactory: (config: TiergateConfig) => new StreamContinuity(config.transcoder.idleCloseMs) },
  ],
  exports: [LiveService, StreamPlacement, WorkerDirectory],
})
export class LiveModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HlsProxyMiddleware).forRoutes({ path: 'hls/*path', method: RequestMethod.ALL });
  }
}
