import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { MqttBus } from './mqtt-bus';
import { StickyReplyClientMqtt } from './rpc.client';

export const RPC_CLIENT = Symbol('RPC_CLIENT');

@Injectable()
class MessagingShutdown implements OnApplicationShutdown {
  constructor(@Inject(RPC_CLIENT) private readonly rpc: StickyReplyClientMqtt) {}
  async onApplicationShutdown(): Promise<void> {
    await this.rpc.close();
  }
}

/**
 * Provides the event bus (`MqttBus`, already connected by the entry point, which owns its life) and the
 * request/reply client for commands to other apps.
 */
@Global()
@Module({})
export class MessagingModule {
  static forRoot(bus: MqttBus, url: string, clientId: string): DynamicModule {
    return {
      module: MessagingModule,
      providers: [
        { provide: MqttBus, useValue: bus },
        { provide: RPC_CLIENT, useFactory: () => new StickyReplyClientMqtt({ url, clientId: `${clientId}-rpc` }, bus.requireEnvelopes()) },
        MessagingShutdown,
      ],
      exports: [MqttBus, RPC_CLIENT],
    };
  }
}
