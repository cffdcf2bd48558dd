/**
 * What an LL-HLS request's query says (RFC 8216bis 6.2.5): the delivery directives `_HLS_msn`/`_HLS_part` of a
 * blocking playlist reload, and the rest (the stream token), which every URI of the answer carries. Pure.
 */

/** A blocking reload: answer once the playlist holds segment `msn` (and its part `part`, when given). */
export interface BlockingReload {
  msn: number;
  part?: number;
}

export type LlHlsQuery =
  | { ok: true; reload?: BlockingReload; carried: string }
  | { ok: false; reason: string };

/** Characters a carried query may have: it goes into playlist lines and quoted attributes as it is. */
const SAFE_QUERY = /^[A-Za-z0-9._~%=&+-]+$/;
const DECIMAL = /^(0|[1-9][0-9]{0,15})$/;

/**
 * Pure: the directives and the query to carry, from a request URL (its path ignored). `_HLS_part` without
 * `_HLS_msn`, or a value that is not a decimal integer, is a bad request; `_HLS_skip` is dropped (no delta
 * updates are offered). A query with characters outside SAFE_QUERY is not carried (nor is anything of it).
 */
export function parseLlHlsQuery(url: string | undefined): LlHlsQuery {
  const q = url?.indexOf('?') ?? -1;
  const raw = url && q >= 0 ? url.slice(q + 1) : '';
  const kept: string[] = [];
  let msn: string | undefined;
  let part: string | undefined;
  for (const pair of raw.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    const value = eq < 0 ? '' : pair.slice(eq + 1);
    if (key === '_HLS_msn') msn ??= value;
    else if (key === '_HLS_part') part ??= value;
    else if (!key.startsWith('_HLS_')) kept.push(pair);
  }
  if (part !== undefined && msn === undefined) return { ok: false, reason: '_HLS_part without _HLS_msn' };
  if (msn !== undefined && !DECIMAL.test(msn)) return { ok: false, reason: '_HLS_msn is not a decimal integer' };
  if (part !== undefined && !DECIMAL.test(part)) return { ok: false, reason: '_HLS_part is not a decimal integer' };
  const joined = kept.join('&');
  const carried = SAFE_QUERY.test(joined) ? joined : '';
  const reload = msn === undefined ? undefined : { msn: Number(msn), ...(part !== undefined ? { part: Number(part) } : {}) };
  return { ok: true, ...(reload ? { reload } : {}), carried };
}
