import { randomUUID } from 'node:crypto';
import { JurisdictionTreeCache } from '@tiergate/jurisdictions';
import type { Geometry } from '@tiergate/domain';
import { CameraEntity, JurisdictionEntity } from '@tiergate/persistence';
import type { TestProcess } from './harness';

export interface SeedNode {
  code: string;
  name: string;
  tier: string;
  parentCode: string | null;
  geometry: Geometry;
}

/**
 * Writes jurisdictions straight into the database (parents first) and drops the process's cached tree,
 * so tests do not depend on the import route. Returns the id of each code.
 */
export async function seedJurisdictions(tg: TestProcess, nodes: readonly SeedNode[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const repo = tg.running.infra.database.dataSource.getRepository(JurisdictionEntity);
  for (const n of nodes) {
    const id = randomUUID();
    ids.set(n.code, id);
    await repo.insert({ id, code: n.code, name: n.name, tier: n.tier, parentId: n.parentCode ? ids.get(n.parentCode)! : null, boundary: n.geometry });
  }
  tg.running.app.get(JurisdictionTreeCache).invalidate();
  return ids;
}

/** Nodes of a generated district (features come parents first). */
export const districtNodes = (fc: { features: Array<{ properties: { code: string; name: string; tier: string; parentCode: string | null }; geometry: Geometry }> }): SeedNode[] =>
  fc.features.map((f) => ({ ...f.properties, geometry: f.geometry }));

/** Inserts cameras at positions, assigned to the given jurisdictions; returns their ids in order. */
export async function seedCameras(tg: TestProcess, cameras: ReadonlyArray<{ name: string; lon: number; lat: number; jurisdictionId: string }>): Promise<string[]> {
  const repo = tg.running.infra.database.dataSource.getRepository(CameraEntity);
  const ids: string[] = [];
  for (const c of cameras) {
    const id = randomUUID();
    await repo.insert({ id, name: c.name, lon: c.lon, lat: c.lat, jurisdictionId: c.jurisdictionId, tags: [], profiles: [] });
    ids.push(id);
  }
  return ids;
}

/** Creates a user through the API and logs it in; returns its token. */
export async function userToken(tg: TestProcess, admin: string, username: string, role: string, jurisdictionId: string | null): Promise<string> {
  const password = `${username}-password-1`;
  const res = await tg.call('POST', '/api/users', { token: admin, body: { username, password, role, jurisdictionId } });
  if (res.status !== 201) throw new Error(`cannot create ${username}: ${res.status} ${res.text}`);
  return tg.login(username, password);
}
