import { CameraRepository } from './cameras.repository';
import { IncidentRepository } from './incidents.repository';
import { SettingsRepository } from './settings.repository';
import { WallsRepository } from './walls.repository';

/**
 * The owners of the cameras, incidents, users, audit, walls and settings tables (one per table, the only
 * SQL for it), registered and exported by PersistenceModule.
 */
export const TABLE_REPOSITORIES: Function[] = [CameraRepository, IncidentRepository, SettingsRepository, WallsRepository];
