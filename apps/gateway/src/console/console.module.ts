import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { ConsoleController } from './console.controller';
import { ConsoleMiddleware } from './console.middleware';

/**
 * The browser console: static files from apps/gateway/console, hls.js and Leaflet from node_modules,
 * and the SPA shell for client routes. /api, /metrics, /hls and /live are never answered here.
 */
@Module({ controllers: [ConsoleController] })
export class ConsoleModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ConsoleMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
