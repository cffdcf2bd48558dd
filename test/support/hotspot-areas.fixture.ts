/**
 * A small district for the hotspot-area tests (test/hotspot-areas.int-spec.ts, test/console-hotspot-areas.int-spec.ts),
 * set up through the public API only: a sub-bureau of two stations side by side (Willow west, Lake east), Willow with
 * two posts; bike thefts with one planted cluster inside Willow's East post and one across the Willow/Lake border;
 * cameras registered by RTSP URL (nothing listens there) with locations and tags.
 */
import { generateIncidents, incidentsToCsv } from '@tiergate/domain';
import type { TestProcess } from './harness';

const square = (w: number, s: number, e: number, n: number) => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
export const BOX = { w: 116.3, s: 39.9, e: 116.36, n: 39.93 };
export const BORDER_LON = 116.33;
export const DISTRICT = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { code: 'HA', name: '河岸分局', tier: 'sub-bureau', parentCode: null }, geometry: square(BOX.w, BOX.s, BOX.e, BOX.n) },
    { type: 'Feature', properties: { code: 'HA-1', name: '柳树派出所', tier: 'station', parentCode: 'HA' }, geometry: square(BOX.w, BOX.s, BORDER_LON, BOX.n) },
    { type: 'Feature', properties: { code: 'HA-1-1', name: '柳树西警务室', tier: 'post', parentCode: 'HA-1' }, geometry: square(BOX.w, BOX.s, 116.315, BOX.n) },
    { type: 'Feature', properties: { code: 'HA-1-2', name: '柳树东警务室', tier: 'post', parentCode: 'HA-1' }, geometry: square(116.315, BOX.s, BORDER_LON, BOX.n) },
    { type: 'Feature', properties: { code: 'HA-2', name: '湖滨派出所', tier: 'station', parentCode: 'HA' }, geometry: square(BORDER_LON, BOX.s, BOX.e, BOX.n) },
  ],
};
/** Deepest node containing a point (the fixture's rectangles; borders go to the smaller code, as CONTRACT.md's rule). */
export function ownerCode(lon: number, lat: number): string | undefined {
  const inside = DISTRICT.features.filter((f) => {
    const [[w, s], [e], [, n]] = [f.geometry.coordinates[0][0], f.geometry.coordinates[0][1], f.geometry.coordinates[0][2]];
    return lon >= w && lon <= e && lat >= s && lat <= n;
  });
  const depth = (code: string) => code.split('-').length;
  return inside.map((f) => f.properties.code).sort((a, b) => depth(b) - depth(a) || (a < b ? -1 : a > b ? 1 : 0))[0];
}

/** The cluster inside Willow's East post, by the east bike shed. */
export const SHED = { lon: 116.322, lat: 39.915 };
const mPerDegLon = 111_320 * Math.cos((39.915 * Math.PI) / 180);
export const offset = (p: { lon: number; lat: number }, dxM: number, dyM: number) => ({ lon: p.lon + dxM / mPerDegLon, lat: p.lat + dyM / 111_320 });
/** The cluster by the bridge, just west of the Willow/Lake border (its area reaches the border; Lake's cameras are across it). */
export const BRIDGE = offset({ lon: BORDER_LON, lat: 39.922 }, -120, 0);
/** A weaker cluster in Willow's West post: an area at the lower confidences only. */
export const LANE = { lon: 116.306, lat: 39.907 };

export interface FixtureCamera {
  name: string;
  lon: number;
  lat: number;
  tags: string[];
  /** The station (code) it lands in. */
  station: 'HA-1' | 'HA-2';
}
export const CAMERAS: FixtureCamera[] = [
  { name: '东车棚', ...offset(SHED, 120, 40), tags: ['garage'], station: 'HA-1' },
  { name: '柳树东路口', ...offset(SHED, -30, 10), tags: [], station: 'HA-1' },
  { name: '柳树桥西', ...offset(BRIDGE, -60, 0), tags: [], station: 'HA-1' },
  { name: '湖滨桥东车棚', ...offset(BRIDGE, 230, 20), tags: ['garage'], station: 'HA-2' },
  { name: '湖滨桥头', ...offset(BRIDGE, 180, -40), tags: [], station: 'HA-2' },
  { name: '西巷口', ...offset(LANE, 30, 30), tags: [], station: 'HA-1' },
  { name: '湖滨远处', ...offset(BRIDGE, 2500, -1500), tags: [], station: 'HA-2' },
];

export const INCIDENTS = generateIncidents({
  bbox: [BOX.w, BOX.s, BOX.e, BOX.n],
  count: 900,
  seed: 15,
  idPrefix: 'HA-',
  plantedHotspots: [
    { ...SHED, share: 0.15, spreadM: 70 },
    { ...BRIDGE, share: 0.1, spreadM: 80 },
    { ...LANE, share: 0.08, spreadM: 90 },
  ],
}).map((i) => ({ ...i, type: 'bike_theft' as const }));

export interface SeededDistrict {
  admin: string;
  /** Jurisdiction id by code. */
  jurisdictions: Record<string, string>;
  /** Camera id by name. */
  cameras: Record<string, string>;
}

/**
 * Imports the district, the cameras and the incidents as admin. The cameras' RTSP URLs are 127.0.`block`.`firstHost`…,
 * where nothing listens (each test file its own hosts).
 */
export async function seedHotspotDistrict(tg: TestProcess, block: number, firstHost: number): Promise<SeededDistrict> {
  const admin = await tg.login();
  const imported = await tg.call('POST', '/api/jurisdictions/import', { token: admin, raw: JSON.stringify(DISTRICT), contentType: 'application/geo+json' });
  if (imported.status >= 300) throw new Error(`jurisdiction import: ${imported.status} ${imported.text}`);
  const jurisdictions: Record<string, string> = {};
  for (const j of (await tg.call('GET', '/api/jurisdictions', { token: admin })).body) jurisdictions[j.code] = j.id;
  const cameras: Record<string, string> = {};
  let k = firstHost;
  for (const c of CAMERAS) {
    const res = await tg.call('POST', '/api/cameras', { token: admin, body: { name: c.name, rtspUrl: `rtsp://127.0.${block}.${k++}:8554/cam`, location: { lat: c.lat, lon: c.lon }, tags: c.tags } });
    if (res.status !== 201) throw new Error(`camera ${c.name}: ${res.status} ${res.text}`);
    cameras[c.name] = res.body.id;
  }
  const res = await tg.call('POST', '/api/incidents/import', { token: admin, raw: incidentsToCsv(INCIDENTS), contentType: 'text/csv' });
  if (res.status >= 300) throw new Error(`incident import: ${res.status} ${res.text.slice(0, 500)}`);
  return { admin, jurisdictions, cameras };
}
