import { Inject, Injectable } from '@nestjs/common';
import { AlertEffectsConfig, TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { assertTimeZone, type AlertEffects, type AlertEffectsTable, type PatrolRules } from '@tiergate/domain';

/** The patrol and alert slices of the configuration, in domain form (docs/methods.md). */
@Injectable()
export class PatrolPolicy {
  readonly timeZone: string;
  readonly rules: PatrolRules;
  readonly effects: AlertEffectsTable;

  constructor(@Inject(TIERGATE_CONFIG) config: TiergateConfig) {
    assertTimeZone(config.patrol.timeZone);
    this.timeZone = config.patrol.timeZone;
    this.rules = { onTimeMinutes: config.patrol.onTimeMinutes, completedPercent: config.patrol.completedPercent, missedAfterMinutes: config.patrol.missedAfterMinutes };
    this.effects = { 2: effectsOf(config.alerts.level2), 3: effectsOf(config.alerts.level3) };
  }
}

function effectsOf(c: AlertEffectsConfig): AlertEffects {
  return {
    hotspotsFirst: c.hotspotsFirst,
    priorityTags: c.priorityTags.split(',').map((t) => t.trim()).filter(Boolean),
    dwellFactor: c.dwellPercent / 100,
    patrolIntervalFactor: c.patrolIntervalPercent / 100,
    alertPostPcs: c.alertPostPcs,
  };
}

/** The clock of the patrol services (a fake in specs). */
@Injectable()
export class PatrolClock {
  now(): number {
    return Date.now();
  }
}
