import { Initial1795916002226 } from './1795916002226-initial.migration';

/** Every migration, oldest first. `synchronize` is never on: the schema changes only through these. */
export const MIGRATIONS: Function[] = [Initial1795916002226];
