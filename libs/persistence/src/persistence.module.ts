import { DynamicModule, Global, Inject, Module } from '@nestjs/common';
import { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { ENTITIES } from './entities';

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
      providers: [{ provide: DataSource, useValue: dataSource }, ...repos],
      exports: [DataSource, ...repos.map((r) => r.provide)],
    };
  }
}
