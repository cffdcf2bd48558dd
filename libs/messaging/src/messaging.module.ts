import { DynamicModule, Global, Module } from '@nestjs/common';
import { MqttBus } from './mqtt-bus';

/**
 * Provides the process's one bus (`MqttBus`, already connected by the entry point, which owns its life):
 * events and request/reply between apps alike.
 */
@Global()
@Module({})
export class MessagingModule {
  static forRoot(bus: MqttBus): DynamicModule {
    return {
      module: MessagingModule,
      providers: [{ provide: MqttBus, useValue: bus }],
      exports: [MqttBus],
    };
  }
}
