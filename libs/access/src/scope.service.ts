import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { notFound } from '@tiergate/domain';
import type { Principal } from './principal';
import { Scope, scopeAllowsCamera } from './scope';

/**
 * Answers "what may this caller see", set-based: one query per rule, never a per-camera loop.
 * Rules: the subtree of the caller's home node; the built-in admin (no home node) sees everything.
 */
@Injectable()
export class ScopeService {
  constructor(private readonly dataSource: DataSource) {}

  async scopeOf(principal: Principal): Promise<Scope> {
    if (principal.jurisdictionId === null) return { all: principal.role === 'admin', jurisdictionIds: new Set(), cameraIds: new Set() };
    const rows: { id: string }[] = await this.dataSource.query(
      `WITH RECURSIVE sub AS (SELECT id FROM jurisdictions WHERE id = $1
         UNION ALL SELECT j.id FROM jurisdictions j JOIN sub ON j."parentId" = sub.id)
       SELECT id FROM sub`,
      [principal.jurisdictionId],
    );
    return { all: false, jurisdictionIds: new Set(rows.map((r) => r.id)), cameraIds: new Set() };
  }

  /** The subset of `ids` the caller may see. */
  async visibleCameraIds(principal: Principal, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const scope = await this.scopeOf(principal);
    const rows: { id: string; jurisdictionId: string | null }[] = await this.dataSource.query(
      `SELECT id, "jurisdictionId" FROM cameras WHERE id = ANY($1::uuid[])`,
      [ids.filter(isUuid)],
    );
    return new Set(rows.filter((r) => scopeAllowsCamera(scope, r)).map((r) => r.id));
  }

  /** Throws NOT_FOUND (exactly as for a missing camera) unless the caller may see it. */
  async assertCameraVisible(principal: Principal, cameraId: string): Promise<void> {
    if (!(await this.visibleCameraIds(principal, [cameraId])).has(cameraId)) throw notFound('camera');
  }
}

export const isUuid = (s: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
