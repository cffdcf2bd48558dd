import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { Topics, WorkerHeartbeatMessage } from '@tiergate/contracts';
import { chooseWorker } from '@tiergate/media';
import { MqttBus } from '@tiergate/messaging';

/** The transcoder workers this gateway knows, from their MQTT heartbeats (retained, so a new gateway sees them at once). */
@Injectable()
export class WorkerDirectory implements OnModuleInit, OnModuleDestroy {
  private readonly workers = new Map<string, WorkerHeartbeatMessage>();
  private unsubscribe?: () => Promise<void>;

  constructor(
    private readonly bus: MqttBus,
    @Inject(TIERGATE_CONFIG) private readonly config: TiergateConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.unsubscribe = await this.bus.subscribe(Topics.workerHeartbeatAll, (topic, payload) => {
      const hb = payload as WorkerHeartbeatMessage | null;
      if (hb === null) this.workers.delete(topic.split('/')[3]); // retained heartbeat cleared: the worker left
      else if (typeof hb.workerId === 'string' && typeof hb.baseUrl === 'string') this.workers.set(hb.workerId, hb);
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.unsubscribe?.();
  }

  isLive(workerId: string, now = Date.now()): boolean {
    const hb = this.workers.get(workerId);
    return hb !== undefined && now - Date.parse(hb.at) <= this.config.transcoder.workerStaleMs;
  }

  get(workerId: string): WorkerHeartbeatMessage | undefined {
    return this.workers.get(workerId);
  }

  /** The live worker already holding the session, else the least-loaded live one. */
  choose(cameraId: string, profile: string, now = Date.now()): WorkerHeartbeatMessage | undefined {
    return chooseWorker([...this.workers.values()], now, this.config.transcoder.workerStaleMs, { cameraId, profile });
  }

  list(): WorkerHeartbeatMessage[] {
    return [...this.workers.values()];
  }

  /** Waits until at least one live worker has announced itself (start-up of the all-in-one process). */
  async waitForAny(timeoutMs: number): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (this.list().some((w) => this.isLive(w.workerId))) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  }
}
