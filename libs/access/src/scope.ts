/**
 * What a caller may see: every camera assigned to a node in `jurisdictionIds`, plus the cameras in
 * `cameraIds` (granted one by one). `all` is the built-in admin's scope. Deny by default: an empty
 * scope sees nothing.
 */
export interface Scope {
  all: boolean;
  jurisdictionIds: ReadonlySet<string>;
  cameraIds: ReadonlySet<string>;
}

export const EMPTY_SCOPE: Scope = { all: false, jurisdictionIds: new Set(), cameraIds: new Set() };

export function scopeAllowsCamera(scope: Scope, camera: { id: string; jurisdictionId: string | null }): boolean {
  if (scope.all) return true;
  if (scope.cameraIds.has(camera.id)) return true;
  return camera.jurisdictionId !== null && scope.jurisdictionIds.has(camera.jurisdictionId);
}

export function scopeAllowsJurisdiction(scope: Scope, jurisdictionId: string | null): boolean {
  return scope.all || (jurisdictionId !== null && scope.jurisdictionIds.has(jurisdictionId));
}

/** A WHERE fragment and its named parameters, for a TypeORM query builder's `andWhere(sql, params)`. */
export interface SqlCondition {
  sql: string;
  params: Record<string, unknown>;
}

/**
 * Restricts a camera query to a scope: `qb.andWhere(c.sql, c.params)` with `alias` the cameras alias.
 * Deny by default: an empty scope yields `FALSE`. Parameter names are prefixed so they do not clash.
 */
export function cameraScopeCondition(scope: Scope, alias: string): SqlCondition {
  if (scope.all) return { sql: 'TRUE', params: {} };
  const parts: string[] = [];
  const params: Record<string, unknown> = {};
  if (scope.jurisdictionIds.size > 0) {
    parts.push(`${alias}."jurisdictionId" = ANY(:scopeJurisdictionIds)`);
    params.scopeJurisdictionIds = [...scope.jurisdictionIds];
  }
  if (scope.cameraIds.size > 0) {
    parts.push(`${alias}."id" = ANY(:scopeCameraIds)`);
    params.scopeCameraIds = [...scope.cameraIds];
  }
  return parts.length === 0 ? { sql: 'FALSE', params: {} } : { sql: `(${parts.join(' OR ')})`, params };
}

/**
 * A frozen scope with an expiry, for checks that must not touch the database (the video path): take it
 * when issuing a short-lived token and check cameras against it in memory until `expiresAt`.
 */
export interface ScopeSnapshot {
  scope: Scope;
  expiresAt: number;
}

export function snapshotAllowsCamera(snapshot: ScopeSnapshot, camera: { id: string; jurisdictionId: string | null }, now = Date.now()): boolean {
  return now < snapshot.expiresAt && scopeAllowsCamera(snapshot.scope, camera);
}
