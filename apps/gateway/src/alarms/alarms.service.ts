import { Inject, Injectable, Logger } from '@nestjs/common';
import { Principal, ScopeService } from '@tiergate/access';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { CameraEventMessage, Topics } from '@tiergate/contracts';
import { isUuid, notFound, TiergateError } from '@tiergate/domain';
import { MqttBus } from '@tiergate/messaging';
import { AlarmChange, AuditWriter, CameraAlarmRecord, CameraAlarmsRepository } from '@tiergate/persistence';
import { alarmMessage, alarmView, AlarmView } from './alarm.view';
import { ALARMS_DEFAULT_PAGE, type AcknowledgeAlarmDto, type AlarmListQuery } from './alarms.dto';
import { PatrolAlarms, type PatrolAlarmInput } from './patrol-alarms.port';

/**
 * Camera alarms (docs/alarms.md): each motion/tamper event from discovery becomes an alarm row by the alarm rule
 * (a start within `alarms.dedupWindowSeconds` of the last one, not acknowledged, is a repeat), and every change is
 * published as a CameraAlarmMessage for the event streams. Reading is scoped like cameras (a post user sees its own
 * cameras' alarms; another's is 404 exactly like a missing one); anyone who sees the camera may acknowledge, with a
 * note, once; the acknowledgement is audited (`alarm.acknowledge`). An abnormal patrol mark may raise a `patrol` alarm
 * through the PatrolAlarms port: always a new alarm, active until acknowledged.
 */
@Injectable()
export class AlarmsService implements PatrolAlarms {
  private readonly logger = new Logger('Alarms');

  constructor(
    private readonly alarms: CameraAlarmsRepository,
    private readonly scopes: ScopeService,
    private readonly audit: AuditWriter,
    private readonly bus: MqttBus,
    @Inject(TIERGATE_CONFIG) private readonly config: TiergateConfig,
  ) {}

  /** One event from the bus (validated there): recorded, and the changed alarm published. */
  async recordEvent(cameraId: string, m: CameraEventMessage): Promise<void> {
    if (!isUuid(cameraId)) return;
    const result = await this.alarms.record(
      { eventId: m.eventId, cameraId, kind: m.kind, state: m.state, at: new Date(m.at), topic: m.topic, cameraTime: m.cameraTime ? new Date(m.cameraTime) : null },
      this.config.alarms.dedupWindowSeconds * 1000,
    );
    if (result) await this.publish(result.alarm, result.change);
  }

  /**
   * A patrol alarm (the mark's request: the patrol module checked the round's scope and the camera's stop, and audits
   * the mark with `raiseAlarm`): recorded and published as created.
   */
  async raisePatrol(mark: PatrolAlarmInput): Promise<string | undefined> {
    const alarm = await this.alarms.raisePatrol({ cameraId: mark.cameraId, roundId: mark.roundId, stopIndex: mark.stopIndex, note: mark.note, markedByName: mark.markedBy, at: mark.at });
    if (alarm) await this.publish(alarm, 'created');
    return alarm?.id;
  }

  async list(principal: Principal, q: AlarmListQuery): Promise<{ items: AlarmView[]; total: number }> {
    const scope = await this.scopes.scopeOf(principal);
    const { items, total } = await this.alarms.list({
      scope: { all: scope.all, jurisdictionIds: [...scope.jurisdictionIds], cameraIds: [...scope.cameraIds] },
      state: q.state,
      cameraId: q.cameraId,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
      limit: q.limit ?? ALARMS_DEFAULT_PAGE,
      offset: q.offset ?? 0,
    });
    return { items: items.map(alarmView), total };
  }

  async get(principal: Principal, id: string): Promise<AlarmView> {
    return alarmView(await this.visible(principal, id));
  }

  async acknowledge(principal: Principal, id: string, dto: AcknowledgeAlarmDto): Promise<AlarmView> {
    const before = await this.visible(principal, id);
    const note = dto.note?.trim() || null;
    const after = await this.alarms.acknowledge(id, { userId: principal.userId, username: principal.username }, note, new Date());
    if (!after) throw new TiergateError('CONFLICT', `the alarm was already acknowledged${before.acknowledgedByName ? ` by ${before.acknowledgedByName}` : ''}`);
    await this.audit.append(
      { userId: principal.userId, username: principal.username },
      { action: 'alarm.acknowledge', targetType: 'camera', targetId: after.cameraId, details: { alarmId: after.id, kind: after.kind, startedAt: alarmView(after).startedAt, note } },
    );
    await this.publish(after, 'acknowledged');
    return alarmView(after);
  }

  /** The alarm, if the caller may see its camera; else NOT_FOUND exactly as for a missing one. */
  private async visible(principal: Principal, id: string): Promise<CameraAlarmRecord> {
    const alarm = isUuid(id) ? await this.alarms.byId(id) : undefined;
    if (!alarm || !(await this.scopes.cameraAccess(principal, { id: alarm.cameraId, jurisdictionId: alarm.jurisdictionId }))) throw notFound('alarm');
    return alarm;
  }

  private async publish(alarm: CameraAlarmRecord, change: AlarmChange): Promise<void> {
    await this.bus.publish(Topics.cameraAlarm(alarm.cameraId), alarmMessage(alarm, change), { qos: 1 }).catch((e) => this.logger.warn(`alarm not published: ${(e as Error).message}`));
  }
}
