import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Scope } from '@tiergate/access';
import { IdentifiedPoint, toWebMercator } from '@tiergate/domain';

export interface CameraSummary {
  id: string;
  name: string;
  jurisdictionId: string | null;
  location: { lat: number; lon: number } | null;
  status: string;
}

/** Read-only camera queries of the hotspot features: positions of visible cameras, short summaries. */
@Injectable()
export class CameraPointsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Cameras the scope may see that have a position, in EPSG:3857 metres. */
  async visiblePoints(scope: Scope): Promise<IdentifiedPoint[]> {
    let condition = 'TRUE';
    const params: unknown[] = [];
    if (!scope.all) {
      if (scope.jurisdictionIds.size === 0 && scope.cameraIds.size === 0) return [];
      params.push([...scope.jurisdictionIds], [...scope.cameraIds]);
      condition = `("jurisdictionId" = ANY($1::uuid[]) OR id = ANY($2::uuid[]))`;
    }
    const rows: { id: string; lat: number; lon: number }[] = await this.dataSource.query(
      `SELECT id, lat, lon FROM cameras WHERE lat IS NOT NULL AND lon IS NOT NULL AND ${condition}`,
      params,
    );
    return rows.map((r) => ({ id: r.id, ...toWebMercator(Number(r.lon), Number(r.lat)) }));
  }

  /** The jurisdiction of each existing camera of `ids`. */
  async jurisdictionsOf(ids: readonly string[]): Promise<Map<string, string | null>> {
    const wanted = [...new Set(ids)];
    if (wanted.length === 0) return new Map();
    const rows: { id: string; jurisdictionId: string | null }[] = await this.dataSource.query(
      `SELECT id, "jurisdictionId" FROM cameras WHERE id = ANY($1::uuid[])`,
      [wanted],
    );
    return new Map(rows.map((r) => [r.id, r.jurisdictionId]));
  }

  /** Summaries of the given cameras, in the order of `ids` (unknown ids are skipped). */
  async summaries(ids: readonly string[]): Promise<CameraSummary[]> {
    if (ids.length === 0) return [];
    const rows: { id: string; name: string; jurisdictionId: string | null; lat: number | null; lon: number | null; status: string }[] =
      await this.dataSource.query(`SELECT id, name, "jurisdictionId", lat, lon, status FROM cameras WHERE id = ANY($1::uuid[])`, [[...ids]]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => {
      const r = byId.get(id);
      if (!r) return [];
      const location = r.lat === null || r.lon === null ? null : { lat: Number(r.lat), lon: Number(r.lon) };
      return [{ id: r.id, name: r.name, jurisdictionId: r.jurisdictionId, location, status: r.status }];
    });
  }
}
