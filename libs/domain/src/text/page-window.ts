import { TiergateError } from '../errors';

/**
 * Pure: the page a list answers. `limit` defaults to `defaultPageSize` and may not exceed `maxPageSize`
 * (400 naming the field); `offset` defaults to 0. For lists the contract leaves open (grants, users…).
 */
export function pageWindow(query: { limit?: number; offset?: number }, limits: { defaultPageSize: number; maxPageSize: number }): { limit: number; offset: number } {
  if (query.limit !== undefined && query.limit > limits.maxPageSize) {
    throw new TiergateError('VALIDATION_FAILED', `limit: at most ${limits.maxPageSize} per page (limits.maxPageSize); page with offset`, { fields: ['limit'] });
  }
  return { limit: query.limit ?? Math.min(limits.defaultPageSize, limits.maxPageSize), offset: query.offset ?? 0 };
}
