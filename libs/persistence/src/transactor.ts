import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

const MANAGER = Symbol('tx.manager');

/**
 * An open database transaction, opaque outside libs/persistence: code above the repositories only passes
 * it on (`repository.method(..., tx)`), it cannot run SQL with it. A repository method given a `Tx`
 * runs inside that transaction; without one, on its own.
 */
export interface Tx {
  readonly [MANAGER]: EntityManager;
}

/** Runs a unit of work in one transaction: all of it commits, or none (an exception rolls it back). */
@Injectable()
export class Transactor {
  constructor(private readonly dataSource: DataSource) {}

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work({ [MANAGER]: manager }));
  }
}

/** Runs SQL: the pool, or the connection of a transaction. */
export interface SqlRunner {
  query(sql: string, parameters?: unknown[]): Promise<any>;
}

/** For repositories: the runner of `tx`, or the pool. Not exported from the library. */
export function runnerOf(dataSource: DataSource, tx?: Tx): SqlRunner {
  if (!tx) return dataSource;
  // TODO(issue 12): remove once no caller passes a bare EntityManager (callers are moving to Transactor).
  return tx[MANAGER] ?? (tx as unknown as SqlRunner);
}

/** For repositories that need TypeORM's manager of a transaction. Not exported from the library. */
export function managerOf(tx: Tx): EntityManager {
  return tx[MANAGER];
}
