import { Injectable, Logger } from '@nestjs/common';
import type { Principal } from '@tiergate/access';
import { CamerasChangedMessage, Topics } from '@tiergate/contracts';
import { MqttBus } from '@tiergate/messaging';
import { AuditWriter } from '@tiergate/persistence';

export type CameraChange = CamerasChangedMessage['change'];

const MAX_IDS_IN_MESSAGE = 1000;

/**
 * Audit entry plus a camerasChanged event for every change (other apps refresh their view of cameras).
 * Camera status is not published here: discovery's health monitor is its one publisher (it announces a new
 * camera's saved status when it hears `created`).
 */
@Injectable()
export class CameraEvents {
  private readonly logger = new Logger('CameraEvents');

  constructor(
    private readonly bus: MqttBus,
    private readonly audit: AuditWriter,
  ) {}

  async changed(actor: Principal, change: CameraChange, ids: readonly string[], details: Record<string, unknown> = {}): Promise<void> {
    await this.audit.append(
      { userId: actor.userId, username: actor.username },
      { action: `camera.${change === 'imported' ? 'import' : change.replace(/d$/, '')}`, targetType: 'camera', targetId: ids.length === 1 ? ids[0] : undefined, details: { ...details, count: ids.length } },
    );
    const message: CamerasChangedMessage = { change, cameraIds: ids.slice(0, MAX_IDS_IN_MESSAGE), count: ids.length, at: new Date().toISOString() };
    await this.bus.publish(Topics.camerasChanged, message).catch((e) => this.logger.warn(`camerasChanged not published: ${(e as Error).message}`));
  }
}
