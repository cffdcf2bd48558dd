import { Injectable } from '@nestjs/common';
import type { Principal, Scope } from '@tiergate/access';
import { isUuid, scopeAllowsCamera, scopeAllowsJurisdiction, ScopeService } from '@tiergate/access';
import { DEFAULT_CELL_SIZE, DEFAULT_RADIUS, nearestWithin, notFound, TiergateError } from '@tiergate/domain';
import { CameraRepository, WallRecord, WallsRepository } from '@tiergate/persistence';
import { mercatorPoints } from '../hotspots/camera-points';
import { CreateWallDto, DEFAULT_WALL_CAMERAS } from './walls.dto';
import { toWallSummary, WallSummaryView, WallView } from './wall.view';

/**
 * Named camera sets ("walls"). A hotspot wall holds the nearest `limit` cameras the creator may see
 * within the radius of a hotspot cell's centre; a manual wall holds the listed cameras (all must be
 * visible to the creator). A wall belongs to its creator's home node (see `wallVisible` for who reads
 * it); its cameras are filtered by the reader's scope at read time.
 * Deleting is for the creator or an admin who can see the wall.
 */
@Injectable()
export class WallsService {
  constructor(
    private readonly walls: WallsRepository,
    private readonly cameras: CameraRepository,
    private readonly scopes: ScopeService,
  ) {}

  async create(principal: Principal, dto: CreateWallDto): Promise<WallView> {
    if ((dto.hotspot === undefined) === (dto.cameraIds === undefined)) {
      throw new TiergateError('VALIDATION_FAILED', 'hotspot, cameraIds: give exactly one of them', { fields: ['hotspot', 'cameraIds'] });
    }
    const limit = dto.limit ?? DEFAULT_WALL_CAMERAS;
    let cameraIds: string[];
    let source: Record<string, unknown>;
    if (dto.hotspot) {
      const cellSize = dto.hotspot.cellSize ?? DEFAULT_CELL_SIZE;
      const radius = dto.hotspot.radius ?? DEFAULT_RADIUS;
      const centre = { x: (dto.hotspot.x + 0.5) * cellSize, y: (dto.hotspot.y + 0.5) * cellSize };
      const points = mercatorPoints(await this.cameras.visiblePositions(await this.scopes.scopeOf(principal)));
      cameraIds = nearestWithin(centre, points, radius).slice(0, limit);
      source = { hotspot: { x: dto.hotspot.x, y: dto.hotspot.y, cellSize, radius }, limit };
    } else {
      const wanted = [...new Set(dto.cameraIds!)];
      const visible = await this.scopes.visibleCameraIds(principal, wanted);
      const missing = wanted.find((id) => !visible.has(id));
      if (missing) throw new TiergateError('NOT_FOUND', `camera ${missing} not found`);
      cameraIds = wanted.slice(0, limit);
      source = { cameraIds: wanted, limit };
    }
    const saved = await this.walls.create({
      name: dto.name.trim(),
      kind: dto.hotspot ? 'hotspot' : 'manual',
      jurisdictionId: principal.jurisdictionId,
      cameraIds,
      source,
      createdBy: principal.userId,
    });
    return this.view(principal, saved);
  }

  async list(principal: Principal): Promise<WallSummaryView[]> {
    const scope = await this.scopes.scopeOf(principal);
    const rows = await this.walls.list();
    const owners = await this.ownersOf(rows.flatMap((w) => w.cameraIds));
    return rows.filter((w) => wallVisible(scope, principal, w, owners)).map(toWallSummary);
  }

  async get(principal: Principal, id: string): Promise<WallView> {
    return this.view(principal, await this.visibleWall(principal, id));
  }

  async delete(principal: Principal, id: string): Promise<void> {
    const wall = await this.visibleWall(principal, id);
    if (principal.role !== 'admin' && wall.createdBy !== principal.userId) {
      throw new TiergateError('FORBIDDEN', 'only the creator of a wall or an admin may delete it');
    }
    await this.walls.delete(wall.id);
  }

  private async visibleWall(principal: Principal, id: string): Promise<WallRecord> {
    const wall = isUuid(id) ? await this.walls.get(id) : undefined;
    if (!wall) throw notFound('wall');
    const owners = await this.ownersOf(wall.cameraIds);
    if (!wallVisible(await this.scopes.scopeOf(principal), principal, wall, owners)) throw notFound('wall');
    return wall;
  }

  private async view(principal: Principal, wall: WallRecord): Promise<WallView> {
    const visible = await this.scopes.visibleCameraIds(principal, wall.cameraIds);
    const cameras = await this.cameras.briefs(wall.cameraIds.filter((id) => visible.has(id)));
    return { ...toWallSummary(wall), cameras };
  }

  /** The node of each existing camera of `ids`. */
  private async ownersOf(ids: readonly string[]): Promise<Map<string, string | null>> {
    return new Map((await this.cameras.placementsOf(ids)).map((c) => [c.id, c.jurisdictionId]));
  }
}

/**
 * A wall is visible to its creator, to callers whose scope covers its node, and to callers who may see
 * at least one of its cameras (they then see only those). The built-in admin sees every wall.
 * `cameraOwners` maps camera ids to their jurisdiction.
 */
export function wallVisible(
  scope: Scope,
  principal: Principal,
  wall: Pick<WallRecord, 'jurisdictionId' | 'createdBy' | 'cameraIds'>,
  cameraOwners: ReadonlyMap<string, string | null>,
): boolean {
  if (scope.all) return true;
  if (wall.createdBy !== null && wall.createdBy === principal.userId) return true;
  if (wall.jurisdictionId !== null && scopeAllowsJurisdiction(scope, wall.jurisdictionId)) return true;
  return wall.cameraIds.some((id) => cameraOwners.has(id) && scopeAllowsCamera(scope, { id, jurisdictionId: cameraOwners.get(id)! }));
}
