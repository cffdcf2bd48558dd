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
