import { Injectable, Logger } from '@nestjs/common';
import type { Principal } from '@tiergate/access';
import { RecordingRulesChangedMessage, RecordingTopics, type RecordingRuleChange } from '@tiergate/contracts';
import { MqttBus } from '@tiergate/messaging';
import { AuditWriter } from '@tiergate/persistence';

/**
 * Every write of a rule or a hold: an audit entry (who, what, the details) and RecordingTopics.rulesChanged,
 * on which the acting partitioner publishes a new recording plan at once.
 */
@Injectable()
export class RecordingRulesEvents {
  private readonly logger = new Logger('RecordingRulesEvents');

  constructor(
    private readonly bus: MqttBus,
    private readonly audit: AuditWriter,
  ) {}

  async changed(actor: Principal, change: RecordingRuleChange, id: string, details: Record<string, unknown>, cameraId?: string): Promise<void> {
    const [targetType, verb] = change.split('-') as ['rule' | 'hold', string];
    await this.audit.append(
      { userId: actor.userId, username: actor.username },
      { action: `recording-${targetType}.${verb.replace(/d$/, '')}`, targetType: `recording-${targetType}`, targetId: id, details },
    );
    const message: RecordingRulesChangedMessage = { change, id, ...(cameraId ? { cameraId } : {}), at: new Date().toISOString() };
    await this.bus.publish(RecordingTopics.rulesChanged, message, { qos: 1 }).catch((e) => this.logger.warn(`rulesChanged not published: ${(e as Error).message}`));
  }
}
