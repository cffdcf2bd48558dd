// "Jump to" on the map: cameras and jurisdictions whose name holds the typed text (docs/map.md "Search").
// No imports, unit-tested in apps/gateway/src/console (map-search.spec.ts). Pure.

const fold = (s) => String(s ?? '').normalize('NFKC').toLowerCase().trim();

/**
 * Up to `limit` matches of `query` (substring, case-insensitive, full-width letters folded by NFKC) among the
 * cameras that have a location and the jurisdictions that have a boundary: [{kind: 'camera' | 'jurisdiction', id,
 * name, item}]. Order: exact name first, then names starting with the query, then the rest; within each,
 * jurisdictions before cameras, then the shorter name, then by `compare` (the locale's collator). Empty query: [].
 */
export function searchMap(query, { cameras = [], jurisdictions = [] }, { limit = 8, compare = (a, b) => (a < b ? -1 : a > b ? 1 : 0) } = {}) {
  const q = fold(query);
  if (!q) return [];
  const hits = [];
  const consider = (kind, item) => {
    const name = fold(item.name);
    const at = name.indexOf(q);
    if (at < 0) return;
    hits.push({ kind, id: item.id, name: item.name, item, rank: name === q ? 0 : at === 0 ? 1 : 2 });
  };
  for (const j of jurisdictions) if (j.boundary) consider('jurisdiction', j);
  for (const c of cameras) if (c.location && Number.isFinite(c.location.lat) && Number.isFinite(c.location.lon)) consider('camera', c);
  hits.sort((a, b) => a.rank - b.rank || (a.kind === b.kind ? 0 : a.kind === 'jurisdiction' ? -1 : 1) || a.name.length - b.name.length || compare(a.name, b.name));
  return hits.slice(0, limit).map(({ rank, ...hit }) => hit);
}
