import { JurisdictionAlertLevelEntity } from './jurisdiction-alert-level.entity';
import { PatrolMarkEntity } from './patrol-mark.entity';
import { PatrolRoundEntity } from './patrol-round.entity';
import { PatrolRouteEntity } from './patrol-route.entity';

export * from './jurisdiction-alert-level.entity';
export * from './patrol-mark.entity';
export * from './patrol-round.entity';
export * from './patrol-route.entity';

/** Issue 16: patrol routes, rounds and marks, and the nodes' alert levels. */
export const PATROL_ENTITIES = [PatrolRouteEntity, PatrolRoundEntity, PatrolMarkEntity, JurisdictionAlertLevelEntity];
