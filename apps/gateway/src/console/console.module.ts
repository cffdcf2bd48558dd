import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { ConsoleBasemap } from './basemap.store';
import { ConsoleController } from './console.controller';
import { ConsoleMiddleware } from './console.middleware';

/**
 * The browser console: static files from apps/gateway/console, hls.js and Leaflet from node_modules,
 * the SPA shell for client routes, and the map's settings and basemap (docs/map.md). /api, /metrics, /hls and /live are never answered here.
 */
@Module({ controllers: [ConsoleController], providers: [ConsoleBasemap], exports: [ConsoleBasemap] })
export class ConsoleModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ConsoleMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
