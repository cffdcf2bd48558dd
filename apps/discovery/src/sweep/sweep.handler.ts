import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Commands, SweepStartReply, SweepStartRequest } from '@tiergate/contracts';
import { MqttBus } from '@tiergate/messaging';
import { SweepRunner } from './sweep.runner';

/**
 * Commands.sweepStart from the gateway: store and run the sweep in the background. The bus has validated
 * the request against SweepStartRequest before it gets here.
 */
@Injectable()
export class SweepHandler implements OnApplicationBootstrap, OnApplicationShutdown {
  private unserve?: () => Promise<void>;

  constructor(
    private readonly bus: MqttBus,
    private readonly runner: SweepRunner,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.unserve = await this.bus.serve<SweepStartRequest>(Commands.sweepStart, (req) => this.start(req));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.unserve?.().catch(() => undefined);
  }

  async start(req: SweepStartRequest): Promise<SweepStartReply> {
    await this.runner.start(req);
    return { accepted: true };
  }
}
