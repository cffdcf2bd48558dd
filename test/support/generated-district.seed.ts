import { DataSource } from 'typeorm';
import { CameraPoint, DistrictFeatureCollection, generateCameraPoints, generateDistrict } from '@tiergate/domain';
import { JurisdictionLocator } from '@tiergate/jurisdictions';
import type { TestProcess } from './harness';

export interface SeededDistrict {
  district: DistrictFeatureCollection;
  points: CameraPoint[];
  /** Camera id -> its generated point. */
  cameras: Map<string, CameraPoint>;
  idOfCode: Map<string, string>;
  codeOfId: Map<string, string>;
}

/** Imports a generated district over HTTP as the built-in admin and inserts located cameras straight into the table. */
export async function seedGeneratedDistrict(
  tg: TestProcess,
  admin: string,
  opts: { stations?: number; postsPerStation?: number; cameras?: number; seed?: number } = {},
): Promise<SeededDistrict> {
  const district = generateDistrict({ stations: opts.stations ?? 4, postsPerStation: opts.postsPerStation ?? 4, seed: opts.seed ?? 11 });
  const res = await tg.call('POST', '/api/jurisdictions/import', { token: admin, raw: JSON.stringify(district), contentType: 'application/geo+json' });
  if (res.status !== 200) throw new Error(`district import failed: ${res.status} ${res.text}`);
  const list = await tg.call('GET', '/api/jurisdictions', { token: admin });
  const idOfCode = new Map<string, string>(list.body.map((j: { id: string; code: string }) => [j.code, j.id]));
  const codeOfId = new Map<string, string>(list.body.map((j: { id: string; code: string }) => [j.id, j.code]));
  const points = generateCameraPoints(district, opts.cameras ?? 120, (opts.seed ?? 11) + 1);
  const cameras = await insertLocatedCameras(tg, points);
  return { district, points, cameras, idOfCode, codeOfId };
}

/** Inserts cameras assigned by the JurisdictionLocator (as the cameras code does), returning id -> point. */
export async function insertLocatedCameras(tg: TestProcess, points: CameraPoint[]): Promise<Map<string, CameraPoint>> {
  const locator = tg.running.app.get(JurisdictionLocator, { strict: false });
  const ds = tg.running.app.get(DataSource, { strict: false });
  const jur = await locator.locateMany(points);
  const rows: { id: string; name: string }[] = await ds.query(
    `INSERT INTO cameras (name, lon, lat, tags, "jurisdictionId")
     SELECT n, lo, la, string_to_array(t, ';'), j FROM unnest($1::text[], $2::float8[], $3::float8[], $4::text[], $5::uuid[]) AS x(n, lo, la, t, j)
     RETURNING id, name`,
    [points.map((p) => p.name), points.map((p) => p.lon), points.map((p) => p.lat), points.map((p) => p.tags.join(';')), jur.map((j) => j ?? null)],
  );
  const byName = new Map(points.map((p) => [p.name, p]));
  return new Map(rows.map((r) => [r.id, byName.get(r.name)!]));
}
