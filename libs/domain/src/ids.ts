/**
 * The identifier rules of Tiergate, in one place.
 * - Row ids are UUIDs (Postgres `gen_random_uuid()`): `isUuid` before a value reaches SQL or a path.
 * - Safe ids name things in file paths, topics and URLs (worker ids, camera ids on a worker's disk):
 *   letters, digits, `-` and `_`, 1 to 64 of them.
 * - Safe file names (HLS playlists, segments, parts): a safe first character, then also `.`, at most 128.
 */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const SAFE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const SAFE_FILE_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$/;

export const isUuid = (s: unknown): s is string => typeof s === 'string' && UUID_PATTERN.test(s);
export const isSafeId = (s: unknown): s is string => typeof s === 'string' && SAFE_ID_PATTERN.test(s);
export const isSafeFileName = (s: unknown): s is string => typeof s === 'string' && SAFE_FILE_PATTERN.test(s);
