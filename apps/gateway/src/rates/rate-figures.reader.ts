import { Injectable } from '@nestjs/common';
import { CameraWatch, cameraWatches, RatePeriod } from '@tiergate/domain';
import { CameraRepository, IncidentRepository, PopulationsRepository, StopChecksRepository, ViewSessionsRepository } from '@tiergate/persistence';

/** What each jurisdiction holds itself (not its subtree) over one period: the inputs of every rate. */
export interface PeriodFigures {
  period: RatePeriod;
  /** jurisdictionId → type → incidents. */
  incidents: Map<string, Map<string, number>>;
  /** jurisdictionId → stop-and-checks and captures. */
  stopChecks: Map<string, { checks: number; captures: number }>;
  /** The period the monitoring rate measures: clipped to the time of the query. */
  monitoredPeriod: RatePeriod;
  /** cameraId → watched, and the union of its viewing clipped to `monitoredPeriod`. */
  watches: Map<string, CameraWatch>;
}

/** What does not depend on the period: cameras per node (as placed now) and each node's own population. */
export interface StandingFigures {
  camerasOf: Map<string, string[]>;
  ownPopulation: Map<string, number>;
}

/**
 * Reads the raw figures of the rates: one aggregate query per table and period (counts grouped in SQL,
 * viewing intervals of the period), so the whole tree costs the same few queries as one node.
 */
@Injectable()
export class RateFiguresReader {
  constructor(
    private readonly incidents: IncidentRepository,
    private readonly stopChecks: StopChecksRepository,
    private readonly sessions: ViewSessionsRepository,
    private readonly cameras: CameraRepository,
    private readonly populations: PopulationsRepository,
  ) {}

  async standing(): Promise<StandingFigures> {
    const [placements, ownPopulation] = await Promise.all([this.cameras.placementsWithTags(), this.populations.all()]);
    const camerasOf = new Map<string, string[]>();
    for (const c of placements) {
      if (c.jurisdictionId === null) continue;
      let list = camerasOf.get(c.jurisdictionId);
      if (!list) camerasOf.set(c.jurisdictionId, (list = []));
      list.push(c.id);
    }
    return { camerasOf, ownPopulation };
  }

  /** The figures of each period, in order: one query per table for all of them together. */
  async ofPeriods(periods: readonly RatePeriod[], now: number): Promise<PeriodFigures[]> {
    const asDates = periods.map((p) => ({ from: new Date(p.from), to: new Date(p.to) }));
    const monitored = periods.map((p) => ({ from: p.from, to: Math.max(p.from, Math.min(p.to, now)) }));
    const watchedFrom = Math.min(...monitored.map((p) => p.from));
    const watchedTo = Math.max(...monitored.map((p) => p.to));
    const [incidentRows, checkRows, intervals] = await Promise.all([
      this.incidents.countsPerJurisdictionAndType(asDates),
      this.stopChecks.countsPerJurisdiction(asDates),
      watchedTo > watchedFrom ? this.sessions.overlapping(new Date(watchedFrom), new Date(watchedTo)) : Promise.resolve([]),
    ]);
    return periods.map((period, k): PeriodFigures => {
      const incidents = new Map<string, Map<string, number>>();
      for (const r of incidentRows) {
        if (r.period !== k) continue;
        let byType = incidents.get(r.jurisdictionId);
        if (!byType) incidents.set(r.jurisdictionId, (byType = new Map()));
        byType.set(r.type, (byType.get(r.type) ?? 0) + r.count);
      }
      const stopChecks = new Map(checkRows.filter((r) => r.period === k).map((r) => [r.jurisdictionId, { checks: r.checks, captures: r.captures }]));
      return { period, incidents, stopChecks, monitoredPeriod: monitored[k], watches: cameraWatches(intervals, monitored[k]) };
    });
  }
}
