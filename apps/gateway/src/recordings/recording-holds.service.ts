import { Injectable } from '@nestjs/common';
import { Principal, ScopeService } from '@tiergate/access';
import { isUuid, notFound, TiergateError } from '@tiergate/domain';
import { RecordingHoldRecord, RecordingsRepository } from '@tiergate/persistence';
import { CreateRecordingHoldDto } from './recording-holds.dto';
import { RecordingRulesEvents } from './recording-rules.events';
import { RecordingHoldView, toRecordingHoldView } from './recording-holds.view';

const invalid = (field: string, message: string) => new TiergateError('VALIDATION_FAILED', `${field}: ${message}`, { fields: [field] });

/**
 * Investigation holds: a camera's footage overlapping [from, to) survives retention and quota pruning (the
 * worker's pruning queries skip it; docs/recording.md, "Retention and quota"). Anyone lists the holds of the
 * cameras they see; `admin` and `operator` (the controller's roles) place and lift holds on cameras they see.
 * A camera or hold outside the caller's scope is 404 like a missing one.
 */
@Injectable()
export class RecordingHoldsService {
  constructor(
    private readonly holds: RecordingsRepository,
    private readonly scopes: ScopeService,
    private readonly events: RecordingRulesEvents,
  ) {}

  async list(principal: Principal, cameraId?: string): Promise<RecordingHoldView[]> {
    if (cameraId !== undefined) {
      await this.scopes.assertCameraVisible(principal, cameraId);
      return (await this.holds.listHolds({ cameraIds: [cameraId] })).map(toRecordingHoldView);
    }
    const rows = await this.holds.listHolds({});
    const visible = await this.scopes.visibleCameraIds(principal, rows.map((h) => h.cameraId));
    return rows.filter((h) => visible.has(h.cameraId)).map(toRecordingHoldView);
  }

  async create(principal: Principal, dto: CreateRecordingHoldDto): Promise<RecordingHoldView> {
    const from = new Date(dto.from);
    const to = new Date(dto.to);
    if (!(to.getTime() > from.getTime())) throw invalid('to', 'must be after from');
    await this.scopes.assertCameraVisible(principal, dto.cameraId);
    const saved = await this.holds.createHold({ cameraId: dto.cameraId, from, to, reason: dto.reason.trim(), createdBy: principal.userId });
    await this.events.changed(principal, 'hold-created', saved.id, { ...toRecordingHoldView(saved) }, saved.cameraId);
    return toRecordingHoldView(saved);
  }

  async delete(principal: Principal, id: string): Promise<void> {
    const hold = await this.visibleHold(principal, id);
    if (await this.holds.deleteHold(id)) await this.events.changed(principal, 'hold-deleted', id, { ...toRecordingHoldView(hold) }, hold.cameraId);
  }

  private async visibleHold(principal: Principal, id: string): Promise<RecordingHoldRecord> {
    const hold = isUuid(id) ? await this.holds.getHold(id) : undefined;
    if (!hold || !(await this.scopes.visibleCameraIds(principal, [hold.cameraId])).has(hold.cameraId)) throw notFound('recording hold');
    return hold;
  }
}
