import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { CameraEventMessage, Topics } from '@tiergate/contracts';
import { MqttBus } from '@tiergate/messaging';
import { AlarmsService } from './alarms.service';

/** The bus edge of alarms: every camera event (validated by the bus) goes to AlarmsService, one at a time per camera. */
@Injectable()
export class AlarmsListener implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('AlarmsListener');
  private unsubscribe?: () => Promise<void>;
  private readonly chains = new Map<string, Promise<void>>();

  constructor(
    private readonly alarms: AlarmsService,
    private readonly bus: MqttBus,
  ) {}

  async onModuleInit(): Promise<void> {
    this.unsubscribe = await this.bus.subscribe(Topics.cameraEventAll, (topic, payload) => {
      const cameraId = topic.split('/')[3] ?? '';
      // in the order the bus delivered them, per camera (a start then its end)
      const next = (this.chains.get(cameraId) ?? Promise.resolve())
        .then(() => this.alarms.recordEvent(cameraId, payload as CameraEventMessage))
        .catch((e) => this.logger.warn(`camera event of ${cameraId} not recorded: ${(e as Error).message}`));
      this.chains.set(cameraId, next);
      void next.finally(() => this.chains.get(cameraId) === next && this.chains.delete(cameraId));
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.unsubscribe?.().catch(() => undefined);
    await Promise.allSettled([...this.chains.values()]);
  }
}
