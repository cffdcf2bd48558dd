import { Injectable, Logger } from '@nestjs/common';
import type { Principal } from '@tiergate/access';
import { AlertLevelMessage, PatrolRoundMessage, Topics } from '@tiergate/contracts';
import { MqttBus } from '@tiergate/messaging';
import { AuditWriter } from '@tiergate/persistence';
import { PatrolAlarms, type PatrolAlarmInput } from '../alarms/patrol-alarms.port';

/** Every patrol or alert-level write: its audit entry, the bus message where there is one, and the alarm an abnormal mark may raise (recorded by the alarms module). */
@Injectable()
export class PatrolEvents {
  private readonly logger = new Logger('PatrolEvents');

  constructor(
    private readonly bus: MqttBus,
    private readonly audit: AuditWriter,
    private readonly alarms: PatrolAlarms,
  ) {}

  async audited(actor: Principal, action: string, targetType: string, targetId: string, details: Record<string, unknown>): Promise<void> {
    await this.audit.append({ userId: actor.userId, username: actor.username }, { action, targetType, targetId, details });
  }

  async round(message: PatrolRoundMessage): Promise<void> {
    await this.bus.publish(Topics.patrolRound(message.jurisdictionId), message, { qos: 1 }).catch((e) => this.logger.warn(`patrol round event not published: ${(e as Error).message}`));
  }

  /** The alarms module records the `patrol` alarm (its only writer); the alarm's id, or undefined when the camera is gone. */
  async alarm(mark: PatrolAlarmInput): Promise<string | undefined> {
    return this.alarms.raisePatrol(mark);
  }

  async alertLevel(message: AlertLevelMessage): Promise<void> {
    await this.bus.publish(Topics.alertLevel(message.jurisdictionId), message, { qos: 1, retain: true }).catch((e) => this.logger.warn(`alert level not published: ${(e as Error).message}`));
  }
}
