import { DynamicModule, Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JurisdictionTreeWriter } from './repositories/jurisdiction-tree.writer';
import { GrantsRepository } from './repositories/grants.repository';
import { LeaseRepository } from './repositories/lease.repository';
import { JurisdictionsRepository } from './repositories/jurisdictions.repository';
import { SweepsRepository } from './repositories/sweeps.repository';
import { Transactor } from './transactor';
import { TABLE_REPOSITORIES } from './repositories/table-repositories';

/** The table owners (one repository per table, the only SQL for it): add a new one here. */
const REPOSITORIES: Function[] = [Transactor, GrantsRepository, LeaseRepository, JurisdictionsRepository, JurisdictionTreeWriter, SweepsRepository, ...TABLE_REPOSITORIES];

/**
 * Makes the table repositories injectable, and nothing else: the DataSource stays inside this library
 * (the repositories and the Transactor use it), so no code above them can run SQL. The entry point owns
 * the DataSource's life.
 */
@Global()
@Module({})
export class PersistenceModule {
  static forRoot(dataSource: DataSource): DynamicModule {
    return {
      module: PersistenceModule,
      providers: [{ provide: DataSource, useValue: dataSource }, ...(REPOSITORIES as any[])],
      exports: [...(REPOSITORIES as any[])],
    };
  }
}
