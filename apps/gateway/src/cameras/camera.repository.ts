import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, Repository, SelectQueryBuilder } from 'typeorm';
import { cameraScopeCondition, Scope } from '@tiergate/access';
import { CameraDeviceRecord, CameraEntity, InjectRepository } from '@tiergate/persistence';

export interface CameraFilter {
  /** Restrict to these jurisdictions (a subtree), already resolved by the caller. */
  jurisdictionIds?: readonly string[];
  tag?: string;
  status?: string;
  q?: string;
  limit?: number;
  offset?: number;
}

export interface DuplicateKeys {
  hostPorts: readonly { host: string; port: number }[];
  endpoints: readonly string[];
  rtspUrls: readonly string[];
}

export type CameraInsert = Omit<CameraEntity, 'id' | 'createdAt' | 'updatedAt' | 'jurisdiction'>;

const INSERT_BATCH = 500;

/** The cameras table: scope-filtered reads in SQL, duplicate lookups and batch inserts. */
@Injectable()
export class CameraRepository {
  constructor(
    @InjectRepository(CameraEntity) private readonly cameras: Repository<CameraEntity>,
    private readonly dataSource: DataSource,
  ) {}

  /** Cameras the scope allows that match the filter, ordered by name (all of them when no limit), and how many match in all. */
  async list(scope: Scope, filter: CameraFilter): Promise<{ rows: CameraEntity[]; total: number }> {
    const qb = this.scoped(scope);
    if (filter.jurisdictionIds) qb.andWhere('c."jurisdictionId" = ANY(:jids::uuid[])', { jids: [...filter.jurisdictionIds] });
    if (filter.tag) qb.andWhere(':tag = ANY(c.tags)', { tag: filter.tag });
    if (filter.status) qb.andWhere('c.status = :status', { status: filter.status });
    if (filter.q) qb.andWhere(`c.name ILIKE :q ESCAPE '\\'`, { q: `%${filter.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%` });
    qb.orderBy('c.name', 'ASC').addOrderBy('c.id', 'ASC');
    if (filter.offset) qb.offset(filter.offset);
    if (filter.limit) qb.limit(filter.limit);
    const [rows, total] = await qb.getManyAndCount();
    return { rows, total };
  }

  /** The camera when it exists and the scope allows it; otherwise undefined (missing and hidden look alike). */
  async findVisible(scope: Scope, id: string): Promise<CameraEntity | undefined> {
    return (await this.scoped(scope).andWhere('c.id = :id', { id }).getOne()) ?? undefined;
  }

  findById(id: string): Promise<CameraEntity | null> {
    return this.cameras.findOneBy({ id });
  }

  /** Existing cameras that share an ONVIF host:port, an endpoint reference or an RTSP URL with the keys. */
  async findDuplicates(
    keys: DuplicateKeys,
    manager?: EntityManager,
  ): Promise<Pick<CameraEntity, 'id' | 'jurisdictionId' | 'onvifHost' | 'onvifPort' | 'endpointReference' | 'rtspUrl'>[]> {
    if (keys.hostPorts.length + keys.endpoints.length + keys.rtspUrls.length === 0) return [];
    const hp = keys.hostPorts.map((k) => `${k.host.toLowerCase()}:${k.port}`);
    const runner = manager ?? this.dataSource.manager;
    return runner.query(
      `SELECT id, "jurisdictionId", "onvifHost", "onvifPort", "endpointReference", "rtspUrl" FROM cameras
        WHERE (lower("onvifHost") || ':' || "onvifPort") = ANY($1::text[])
           OR "endpointReference" = ANY($2::text[])
           OR "rtspUrl" = ANY($3::text[])`,
      [hp, [...keys.endpoints], [...keys.rtspUrls]],
    );
  }

  /** Ids of cameras with these endpoint references or host:port pairs (for sweep findings). */
  async idsByEndpointOrHost(
    endpoints: readonly string[],
    hostPorts: readonly string[],
  ): Promise<{ id: string; endpointReference: string | null; hostPort: string | null; device: CameraDeviceRecord | null }[]> {
    if (endpoints.length + hostPorts.length === 0) return [];
    return this.dataSource.query(
      `SELECT id, "endpointReference", lower("onvifHost") || ':' || "onvifPort" AS "hostPort", device FROM cameras
        WHERE "endpointReference" = ANY($1::text[]) OR (lower("onvifHost") || ':' || "onvifPort") = ANY($2::text[])`,
      [[...endpoints], hostPorts.map((h) => h.toLowerCase())],
    );
  }

  /** Inserts rows in batches inside the given transaction; returns the new ids in order. */
  async insertMany(manager: EntityManager, rows: readonly CameraInsert[]): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < rows.length; i += INSERT_BATCH) {
      const result = await manager
        .createQueryBuilder()
        .insert()
        .into(CameraEntity)
        .values(rows.slice(i, i + INSERT_BATCH) as never[])
        .returning(['id'])
        .execute();
      ids.push(...result.identifiers.map((r) => String(r.id)));
    }
    return ids;
  }

  async update(id: string, patch: Partial<CameraInsert>): Promise<void> {
    await this.cameras.update({ id }, patch as never);
  }

  async delete(id: string): Promise<boolean> {
    return ((await this.cameras.delete({ id })).affected ?? 0) > 0;
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  private scoped(scope: Scope): SelectQueryBuilder<CameraEntity> {
    // The shared scope condition (deny by default: an empty scope matches nothing), in SQL.
    const condition = cameraScopeCondition(scope, 'c');
    return this.cameras.createQueryBuilder('c').where(condition.sql, condition.params);
  }
}
