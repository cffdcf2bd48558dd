export * from './entities';
export * from './data-source.factory';
export * from './persistence.module';
export { MIGRATIONS } from './migrations';
export * from './repositories/audit.writer';
export * from './repositories/jurisdiction-tree.writer';
export * from './repositories/point.reassigner';
export * from './scratch-database';
export * from './migration.runner';
