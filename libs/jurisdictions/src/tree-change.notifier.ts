import { Injectable, Logger } from '@nestjs/common';
import { JurisdictionTreeCache } from './jurisdiction-tree.cache';
import { JurisdictionsChangedMessage, Topics } from '@tiergate/contracts';
import { MqttBus } from '@tiergate/messaging';

/** After a committed tree change: refresh this process's cache and tell the other processes. */
@Injectable()
export class TreeChangeNotifier {
  private readonly logger = new Logger('TreeChangeNotifier');

  constructor(
    private readonly cache: JurisdictionTreeCache,
    private readonly bus: MqttBus,
  ) {}

  async changed(reason: JurisdictionsChangedMessage['reason']): Promise<void> {
    this.cache.invalidate();
    const message: JurisdictionsChangedMessage = { reason, at: new Date().toISOString() };
    // qos 1: a lost message would leave another process on a stale tree until its next restart.
    await this.bus.publish(Topics.jurisdictionsChanged, message, { qos: 1 }).catch((e) => this.logger.warn(`could not publish the tree change: ${(e as Error).message}`));
  }
}
