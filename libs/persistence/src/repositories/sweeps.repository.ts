import { Injectable } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
import type { SweepState } from '@tiergate/contracts';
import { DiscoverySweepEntity, SweepFinding } from '../entities/discovery-sweep.entity';

/** What a sweep probes: a CIDR and/or a multicast probe, and the ONVIF HTTP ports tried on silent hosts. */
export interface SweepParameters {
  cidr?: string;
  multicast: boolean;
  ports: number[];
}

/** A discovery sweep as stored: its state, progress (0..1), findings so far and why it failed. */
export interface SweepRecord {
  id: string;
  state: SweepState;
  progress: number;
  params: SweepParameters;
  found: SweepFinding[];
  error: string | null;
  createdBy: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export interface NewSweep {
  id: string;
  params: SweepParameters;
  createdBy: string | null;
}

/** How a sweep ended: `done` with every finding, or `failed` with the reason (and what it found until then). */
export type SweepOutcome = { state: 'done' | 'failed'; error: string | null; progress?: number; found?: SweepFinding[] };

/**
 * The only SQL for `discovery_sweeps`. The discovery app is the only writer (it creates, claims, reports
 * and ends sweeps, and reaps abandoned ones); the gateway only reads (`find`). Every write sets
 * `updatedAt`: a running sweep's progress writes are its heartbeat.
 */
@Injectable()
export class SweepsRepository {
  private readonly rows: Repository<DiscoverySweepEntity>;

  constructor(dataSource: DataSource) {
    this.rows = dataSource.getRepository(DiscoverySweepEntity);
  }

  async find(id: string): Promise<SweepRecord | undefined> {
    const row = await this.rows.findOneBy({ id });
    return row ? recordOf(row) : undefined;
  }

  /** Stores a new sweep as `queued`; a sweep with this id that exists already is left as it is. */
  async createQueued(sweep: NewSweep): Promise<void> {
    await this.rows
      .createQueryBuilder()
      .insert()
      .values({ id: sweep.id, state: 'queued' satisfies SweepState, progress: 0, params: sweep.params, found: [], error: null, createdBy: sweep.createdBy })
      .orIgnore()
      .execute();
  }

  /** Moves a `queued` sweep to `running`; true for the one caller that did (several discovery processes may try). */
  async claim(id: string): Promise<boolean> {
    const result = await this.rows.update({ id, state: 'queued' satisfies SweepState }, { state: 'running' satisfies SweepState });
    return (result.affected ?? 0) > 0;
  }

  /** Progress and findings so far of a running sweep (its heartbeat); a sweep no longer running is left alone. */
  async reportProgress(id: string, progress: number, found: SweepFinding[]): Promise<void> {
    await this.rows.update({ id, state: 'running' satisfies SweepState }, { progress, found: found as never });
  }

  /** Ends a sweep (whatever its state) with its outcome, now. */
  async finish(id: string, outcome: SweepOutcome): Promise<void> {
    await this.rows.update(
      { id },
      {
        state: outcome.state,
        error: outcome.error,
        finishedAt: new Date(),
        ...(outcome.progress !== undefined ? { progress: outcome.progress } : {}),
        ...(outcome.found !== undefined ? { found: outcome.found as never } : {}),
      },
    );
  }

  /**
   * Fails the sweeps in `state` not written for `staleSeconds` (compared with the database's clock, so
   * the processes' clocks do not matter), with `reason`; answers how many.
   */
  async failStale(state: Extract<SweepState, 'queued' | 'running'>, staleSeconds: number, reason: string): Promise<number> {
    const result = await this.rows
      .createQueryBuilder()
      .update()
      .set({ state: 'failed' satisfies SweepState, error: reason, finishedAt: () => 'now()' })
      .where(`state = :state AND "updatedAt" < now() - make_interval(secs => :stale)`, { state, stale: staleSeconds })
      .execute();
    return result.affected ?? 0;
  }
}

function recordOf(row: DiscoverySweepEntity): SweepRecord {
  return {
    id: row.id,
    state: row.state as SweepState,
    progress: row.progress,
    params: row.params,
    found: row.found ?? [],
    error: row.error,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
  };
}
