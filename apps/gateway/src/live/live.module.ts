import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { AuditWriter } from '@tiergate/persistence';
import { HlsProxyMiddleware } from './hls-proxy.middleware';
import { LiveController } from './live.controller';
import { LiveService } from './live.service';
import { StreamPlacement } from './stream-placement.service';
import { WorkerDirectory } from './worker.directory';
import { WorkerLink } from './worker-link';

/** Live video: placing sessions on transcoder workers and delivering their HLS through token checks. */
@Module({
  controllers: [LiveController],
  providers: [LiveService, StreamPlacement, WorkerDirectory, WorkerLink, AuditWriter, HlsProxyMiddleware],
  exports: [LiveService, StreamPlacement, WorkerDirectory],
})
export class LiveModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HlsProxyMiddleware).forRoutes({ path: 'hls/*path', method: RequestMethod.ALL });
  }
}
