// Hotspot areas in plain words (docs/methods.md "Hotspot areas"): the name, the sentence and the camera line of an
// area of GET /api/hotspots/areas. No imports: the translation function is passed in, so the spec
// (apps/gateway/src/console/hotspots-areas-text.spec.ts) runs this file as the browser loads it.

/** The confidence levels the filter offers (two-sided, per cell). */
export const AREA_LEVELS = [90, 95, 99];
/** How many cameras the camera line names before "and N more". */
export const CAMERAS_NAMED = 3;

/** "柳树东警务室 · 东车棚附近": its post and its landmark (nearest garage, else camera); either alone; else "热点区域 n". */
export function areaTitle(area, t, index = 0) {
  const post = area?.post?.name ?? '';
  const near = area?.landmark?.name ? t('hsa.near', { name: area.landmark.name }) : '';
  if (post && near) return t('hsa.title', { post, near });
  return post || near || t('hsa.unnamed', { n: index + 1 });
}

/**
 * "135 起盗窃电动车/自行车，远高于全区规律，置信度 99%": the incidents (of the type analysed), how far above the pattern
 * of the area analysed (far above at 99 %, well above at 95 %, above at 90 %) and the confidence.
 */
export function areaSentence(area, t, { type, typeName, scopeName } = {}) {
  const count = Number(area?.count) || 0;
  const what = type ? t('hsa.what.type', { count, type: typeName || type }) : t('hsa.what.any', { count });
  const scope = scopeName ? t('hsa.scope.node', { name: scopeName }) : t('hsa.scope.all');
  const level = [99, 95, 90].includes(area?.level) ? area.level : 90;
  return t(`hsa.sentence.${level}`, { count, what, scope, level });
}

/** "东车棚（40 米）、柳树东路口（区域内）等 3 个": the nearest cameras with their ground distance. */
export function cameraLine(area, t, named = CAMERAS_NAMED) {
  const cams = Array.isArray(area?.cameras) ? area.cameras : [];
  if (!cams.length) return t('hsa.noCamera');
  const parts = cams.slice(0, named).map((c) => (Number(c.groundDistance) > 0 ? t('hsa.cameraAt', { name: c.name, metres: Number(c.groundDistance) }) : t('hsa.cameraInside', { name: c.name })));
  const more = cams.length > named ? t('hsa.moreCameras', { count: cams.length - named }) : '';
  return `${parts.join(t('hsa.separator'))}${more}`;
}

/** The smallest wall layout that holds n cameras (1, 4, 9, 16, 25). */
export function wallLayoutFor(n) {
  return [1, 4, 9, 16, 25].find((k) => k >= n) ?? 25;
}

/** The wall route of an area: its cameras (at most 25) labelled with the area's title (wall.js reads `title`). */
export function areaWallHash(area, title) {
  const ids = (area?.cameras ?? []).slice(0, 25).map((c) => c.id);
  const q = new URLSearchParams({ cameras: ids.join(','), layout: String(wallLayoutFor(ids.length)), title });
  return `#/wall?${q.toString().replace(/%2C/g, ',')}`;
}
