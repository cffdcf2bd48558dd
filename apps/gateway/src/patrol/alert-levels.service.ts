import { Injectable } from '@nestjs/common';
import { Principal, ScopeService } from '@tiergate/access';
import { effectiveAlertLevel, effectsOf, isUuid, notFound, TiergateError, type AlertEffects, type AlertLevel, type OwnAlertLevel } from '@tiergate/domain';
import { AlertLevelRecord, AlertLevelsRepository, CameraRepository } from '@tiergate/persistence';
import { HotspotsService } from '../hotspots/hotspots.service';
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
  /**
   * With `effects.hotspotsFirst`: the caller-visible cameras of the node's subtree near a significant hot cell of
   * the node (docs/methods.md "Alert levels"), hottest cell first; otherwise empty.
   */
  hotspotCameraIds: string[];
}

/** The incidents the hotspot cameras of an alert level are computed from: those of the last 90 days. */
export const HOTSPOT_CAMERA_DAYS = 90;

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
    private readonly hotspots: HotspotsService,
    private readonly cameras: CameraRepository,
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
    const effects = effectsOf(effective.level, this.policy.effects);
    const hotspotCameraIds = effects.hotspotsFirst ? await this.hotspotCameraIds(principal, jurisdictionId) : [];
    return { jurisdictionId, level: effective.level, sourceJurisdictionId: effective.sourceJurisdictionId, effects, hotspotCameraIds };
  }

  /**
   * Gi* of the node (default cell size and radius, incidents of the last 90 days, as GET /api/hotspots with
   * `jurisdictionId`), the cells of confidence hot-95 or hot-99 by z descending; each one's `cameras` (visible ones
   * within the radius of its centre, nearest first) in turn, each camera once, those of the node's subtree kept.
   */
  private async hotspotCameraIds(principal: Principal, jurisdictionId: string): Promise<string[]> {
    const to = new Date(this.clock.now());
    const from = new Date(to.getTime() - HOTSPOT_CAMERA_DAYS * 24 * 3600_000);
    const { cells } = await this.hotspots.analyse(principal, { jurisdictionId, from, to });
    const ids = new Set<string>();
    for (const c of cells) if (c.confidence === 'hot-95' || c.confidence === 'hot-99') for (const id of c.cameras ?? []) ids.add(id);
    if (ids.size === 0) return [];
    const subtree = (await this.scopes.tree()).subtreeIds(jurisdictionId);
    const inSubtree = new Set((await this.cameras.placementsOf([...ids])).filter((c) => c.jurisdictionId !== null && subtree.has(c.jurisdictionId)).map((c) => c.id));
    return [...ids].filter((id) => inSubtree.has(id));
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
