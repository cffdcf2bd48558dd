import { Injectable } from '@nestjs/common';
import { Principal, ScopeService } from '@tiergate/access';
import { effectiveAlertLevel, effectsOf, isUuid, notFound, TiergateError, type AlertEffects, type AlertLevel, type OwnAlertLevel } from '@tiergate/domain';
import { AlertLevelRecord, AlertLevelsRepository } from '@tiergate/persistence';
import type { SetAlertLevelDto } from './patrol.dto';
import { PatrolEvents } from './patrol.events';
import { PatrolClock, PatrolPolicy } from './patrol.policy';

export interface OwnLevelView {
  level: AlertLevel;
  reason: string;
  expiresAt: string | null;
  expired: boolean;
  setBy: string;
  setAt: string;
}

export interface AlertLevelView {
  jurisdictionId: string;
  /** The node's own entry as last set (null: never set). */
  own: OwnLevelView | null;
  /** The level in force: the highest unexpired own level of the node and its ancestors. */
  effective: { level: AlertLevel; sourceJurisdictionId: string | null; reason: string | null; expiresAt: string | null };
}

export interface AlertEffectsView {
  jurisdictionId: string;
  level: AlertLevel;
  sourceJurisdictionId: string | null;
  effects: AlertEffects;
}

/**
 * Alert levels (docs/methods.md, "Alert levels"). `admin`/`operator` set the own level of a node in their home
 * subtree (a station its own subtree; the command centre above any node below it); another node is 404 like a
 * missing one. Anyone who sees a node reads its level and its effects.
 */
@Injectable()
export class AlertLevelsService {
  constructor(
    private readonly levels: AlertLevelsRepository,
    private readonly scopes: ScopeService,
    private readonly events: PatrolEvents,
    private readonly policy: PatrolPolicy,
    private readonly clock: PatrolClock,
  ) {}

  async set(principal: Principal, jurisdictionId: string, dto: SetAlertLevelDto): Promise<AlertLevelView> {
    const administered = await this.scopes.administeredJurisdictionIds(principal);
    const tree = await this.scopes.tree();
    if (!isUuid(jurisdictionId) || !tree.has(jurisdictionId) || (administered !== undefined && !administered.has(jurisdictionId))) throw notFound('jurisdiction');
    const now = this.clock.now();
    if (dto.expiresAt && dto.expiresAt.getTime() <= now) throw new TiergateError('VALIDATION_FAILED', 'expiresAt: must be in the future', { fields: ['expiresAt'] });
    const all = await this.ownLevels();
    const before = all.get(jurisdictionId) ?? null;
    const saved = await this.levels.set({ jurisdictionId, level: dto.level, reason: dto.reason.trim(), expiresAt: dto.expiresAt ?? null, setBy: principal.userId, setByName: principal.username, setAt: new Date(now) });
    await this.events.audited(principal, 'alert-level.set', 'jurisdiction', jurisdictionId, { before: before && ownView(before, now), after: ownView(saved, now) });
    await this.events.alertLevel({ jurisdictionId, level: saved.level, reason: saved.reason, ...(saved.expiresAt ? { expiresAt: saved.expiresAt.toISOString() } : {}), setBy: principal.username, at: saved.setAt.toISOString() });
    return this.get(principal, jurisdictionId);
  }

  async get(principal: Principal, jurisdictionId: string): Promise<AlertLevelView> {
    await this.scopes.assertJurisdictionVisible(principal, jurisdictionId);
    const now = this.clock.now();
    const all = await this.ownLevels();
    const own = all.get(jurisdictionId);
    const e = effectiveAlertLevel(await this.scopes.tree(), jurisdictionId, toDomain(all), now);
    return {
      jurisdictionId,
      own: own ? ownView(own, now) : null,
      effective: { level: e.level, sourceJurisdictionId: e.sourceJurisdictionId, reason: e.reason, expiresAt: e.expiresAtMs === null ? null : new Date(e.expiresAtMs).toISOString() },
    };
  }

  async effects(principal: Principal, jurisdictionId: string): Promise<AlertEffectsView> {
    const { effective } = await this.get(principal, jurisdictionId);
    return { jurisdictionId, level: effective.level, sourceJurisdictionId: effective.sourceJurisdictionId, effects: effectsOf(effective.level, this.policy.effects) };
  }

  private async ownLevels(): Promise<Map<string, AlertLevelRecord>> {
    return new Map((await this.levels.all()).map((r) => [r.jurisdictionId, r]));
  }
}

const ownView = (r: AlertLevelRecord, now: number): OwnLevelView => ({
  level: r.level,
  reason: r.reason,
  expiresAt: r.expiresAt?.toISOString() ?? null,
  expired: r.expiresAt !== null && r.expiresAt.getTime() <= now,
  setBy: r.setByName,
  setAt: r.setAt.toISOString(),
});

const toDomain = (all: ReadonlyMap<string, AlertLevelRecord>): Map<string, OwnAlertLevel> =>
  new Map([...all].map(([id, r]) => [id, { jurisdictionId: id, level: r.level, reason: r.reason, expiresAtMs: r.expiresAt?.getTime() ?? null }]));
