import { DatabaseHealth } from '../database.health';
import { PATROL_REPOSITORIES } from './patrol.repositories';
import { AuditRepository } from './audit.repository';
import { CameraRepository } from './cameras.repository';
import { IncidentRepository } from './incidents.repository';
import { RecordingsRepository } from './recordings.repository';
import { SettingsRepository } from './settings.repository';
import { UsersRepository } from './users.repository';
import { PopulationsRepository } from './populations.repository';
import { StopChecksRepository } from './stop-checks.repository';
import { ViewSessionsRepository } from './view-sessions.repository';
import { WallsRepository } from './walls.repository';
import { CameraAlarmsRepository } from './camera-alarms.repository';
import { WallDevicesRepository } from './wall-devices.repository';

/**
 * The owners of the cameras, incidents, users, audit, walls, settings and recording tables (one per table, the only
 * SQL for it), and the database ping of the health endpoint: registered and exported by PersistenceModule.
 */
export const TABLE_REPOSITORIES: Function[] = [CameraRepository, IncidentRepository, SettingsRepository, WallsRepository, UsersRepository, AuditRepository, RecordingsRepository, PopulationsRepository, StopChecksRepository, ViewSessionsRepository, ...PATROL_REPOSITORIES, CameraAlarmsRepository, WallDevicesRepository, DatabaseHealth];
