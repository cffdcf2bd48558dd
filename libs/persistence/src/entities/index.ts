import { AccessGrantEntity } from './access-grant.entity';
import { AuditEntryEntity } from './audit-entry.entity';
import { CameraWallEntity } from './camera-wall.entity';
import { CameraEntity } from './camera.entity';
import { DiscoverySweepEntity } from './discovery-sweep.entity';
import { IncidentEntity } from './incident.entity';
import { JurisdictionEntity } from './jurisdiction.entity';
import { SettingEntity } from './setting.entity';
import { LeaseEntity } from './lease.entity';
import { UserEntity } from './user.entity';
import { RecordingRuleEntity } from './recording-rule.entity';
import { RecordingHoldEntity } from './recording-hold.entity';
import { RecordingSegmentEntity } from './recording-segment.entity';
import { RecordingExportEntity } from './recording-export.entity';
import { PATROL_ENTITIES } from './patrol.entities';
import { JurisdictionPopulationEntity } from './jurisdiction-population.entity';
import { StopCheckEntity } from './stop-check.entity';
import { ViewSessionEntity } from './view-session.entity';
import { CameraAlarmEntity } from './camera-alarm.entity';
import { WallDeviceEntity } from './wall-device.entity';

export * from './access-grant.entity';
export * from './audit-entry.entity';
export * from './camera-wall.entity';
export * from './camera.entity';
export * from './discovery-sweep.entity';
export * from './incident.entity';
export * from './jurisdiction.entity';
export * from './setting.entity';
export * from './lease.entity';
export * from './user.entity';
export * from './recording-rule.entity';
export * from './recording-hold.entity';
export * from './recording-segment.entity';
export * from './recording-export.entity';
export * from './patrol.entities';
export * from './jurisdiction-population.entity';
export * from './stop-check.entity';
export * from './view-session.entity';
export * from './camera-alarm.entity';
export * from './wall-device.entity';

export const ENTITIES = [
  JurisdictionEntity,
  CameraEntity,
  UserEntity,
  AccessGrantEntity,
  IncidentEntity,
  LeaseEntity,
  DiscoverySweepEntity,
  AuditEntryEntity,
  CameraWallEntity,
  SettingEntity,
  RecordingRuleEntity,
  RecordingHoldEntity,
  RecordingSegmentEntity,
  RecordingExportEntity,
  JurisdictionPopulationEntity,
  StopCheckEntity,
  ViewSessionEntity,
  CameraAlarmEntity,
  WallDeviceEntity,
];
