/**
 * The orders a camera list may be asked for (`GET /api/cameras?sort=&order=`). A whitelist: the request names
 * one of these keys, never a column, and each key maps to a fixed SQL expression here. Pure, no I/O.
 *
 * - A missing value (never seen, no jurisdiction, a status outside the contract) counts as smaller than any
 *   value: first when ascending, last when descending.
 * - Ties are broken by id in the same direction, so the order is total and stable (paging never repeats or
 *   skips a camera) and descending is exactly ascending reversed.
 * - `status` sorts by urgency, not by the word: offline, unauthorized, unknown, online.
 */
export const CAMERA_SORTS = ['name', 'status', 'jurisdiction', 'created', 'lastSeen'] as const;
export type CameraSort = (typeof CAMERA_SORTS)[number];
export const SORT_ORDERS = ['asc', 'desc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

/** Status by urgency (ascending). */
export const STATUS_URGENCY = ['offline', 'unauthorized', 'unknown', 'online'] as const;

/** Each key's SQL over a row of `cameras` (the table itself, not an alias). */
const SORT_SQL: Record<CameraSort, string> = {
  name: 'name',
  status: `array_position(ARRAY[${STATUS_URGENCY.map((s) => `'${s}'`).join(', ')}]::text[], status::text)`,
  jurisdiction: `(SELECT j.name FROM jurisdictions j WHERE j.id = cameras."jurisdictionId")`,
  created: '"createdAt"',
  lastSeen: '"lastSeenAt"',
};

export interface CameraOrder {
  /** The SQL of the sort key, to select as a column (`… AS sort_key`). */
  key: string;
  /** `ORDER BY` over that column and id, e.g. `sort_key ASC NULLS FIRST, id ASC`. */
  orderBy(column: string): string;
}

/** The order of a camera list; name ascending when not given. Throws on a key outside the whitelist. */
export function cameraOrder(sort: string | undefined = 'name', order: string | undefined = 'asc'): CameraOrder {
  if (!(CAMERA_SORTS as readonly string[]).includes(sort)) throw new Error(`unknown camera sort ${JSON.stringify(sort)}`);
  if (!(SORT_ORDERS as readonly string[]).includes(order)) throw new Error(`unknown sort order ${JSON.stringify(order)}`);
  const desc = order === 'desc';
  return {
    key: SORT_SQL[sort as CameraSort],
    orderBy: (column) => `${column} ${desc ? 'DESC NULLS LAST' : 'ASC NULLS FIRST'}, id ${desc ? 'DESC' : 'ASC'}`,
  };
}
