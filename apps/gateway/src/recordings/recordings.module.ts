import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { LiveModule } from '../live/live.module';
import { RecordingExportsController } from './recording-exports.controller';
import { RecordingExportsService } from './recording-exports.service';
import { RecordingsPlaybackController } from './recordings-playback.controller';
import { RecordingsPlaybackService } from './recordings-playback.service';
import { VodProxyMiddleware } from './vod-proxy.middleware';
import { RecordedFileRelay } from './vod-proxy.relay';
import { RecordingHoldsController } from './recording-holds.controller';
import { RecordingHoldsService } from './recording-holds.service';
import { RecordingRulesController } from './recording-rules.controller';
import { RecordingRulesEvents } from './recording-rules.events';
import { RecordingRulesService } from './recording-rules.service';

/**
 * Recording (issue 14, docs/recording.md): rules and investigation holds; the timeline, playback and exports
 * join this module.
 */
@Module({
  // LiveModule: the worker directory (heartbeats) the VOD proxy and export downloads route by.
  imports: [LiveModule],
  controllers: [RecordingRulesController, RecordingHoldsController, RecordingsPlaybackController, RecordingExportsController],
  providers: [RecordingRulesEvents, RecordingRulesService, RecordingHoldsService, RecordingsPlaybackService, RecordingExportsService, RecordedFileRelay, VodProxyMiddleware],
})
export class RecordingsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(VodProxyMiddleware).forRoutes({ path: 'vod/*path', method: RequestMethod.ALL });
  }
}
