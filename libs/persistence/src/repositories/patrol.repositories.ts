import { AlertLevelsRepository } from './alert-levels.repository';
import { PatrolMarksRepository } from './patrol-marks.repository';
import { PatrolRoundsRepository } from './patrol-rounds.repository';
import { PatrolRoutesRepository } from './patrol-routes.repository';

export * from './alert-levels.repository';
export * from './patrol-marks.repository';
export * from './patrol-rounds.repository';
export * from './patrol-routes.repository';

/** Issue 16: one repository per table: patrol_routes, patrol_rounds, patrol_marks, jurisdiction_alert_levels. */
export const PATROL_REPOSITORIES: Function[] = [PatrolRoutesRepository, PatrolRoundsRepository, PatrolMarksRepository, AlertLevelsRepository];
