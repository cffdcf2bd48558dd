import { DynamicModule, Global, Inject, Module } from '@nestjs/common';
import { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { ENTITIES } from './entities';
import { GrantsRepository } from './repositories/grants.repository';
import { LeaseRepository } from './repositories/lease.repository';
import { JurisdictionsRepository } from './repositories/jurisdictions.repository';
import { SweepsRepository } from './repositories/sweeps.repository';
import { Transactor } from './transactor';
import { TABLE_REPOSITORIES } from './repositories/table-repositories';

/** The table owners (one repository per table, the only SQL for it): add a new one here. */
const REPOSITORIES: Function[] = [Transactor, GrantsRepository, LeaseRepository, JurisdictionsRepository, SweepsRepository, ...TABLE_REPOSITORIES];

const tokens = new Map<Function, symbol>();
/** The injection token of the TypeORM repository of an entity. */
export function repositoryToken(entity: Function): symbol {
  let t = tokens.get(entity);
  if (!t) tokens.set(entity, (t = Symbol(`Repository<${entity.name}>`)));
  return t;
}
/** `@InjectRepository(CameraEntity) cameras: Repository<CameraEntity>` */
export const InjectRepository = (entity: Function) => Inject(repositoryToken(entity));

/** Makes the open DataSource and one repository per entity injectable; the entry point owns their life. */
@Global()
@Module({})
export class PersistenceModule {
  static forRoot(dataSource: DataSource): DynamicModule {
    const repos = ENTITIES.map((e) => ({ provide: repositoryToken(e), useValue: dataSource.getRepository(e as EntityTarget<ObjectLiteral>) }));
    return {
      module: PersistenceModule,
      providers: [{ provide: DataSource, useValue: dataSource }, ...repos, ...(REPOSITORIES as any[])],
      exports: [DataSource, ...repos.map((r) => r.provide), ...(REPOSITORIES as any[])],
    };
  }
}
