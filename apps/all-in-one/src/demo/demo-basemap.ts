import type { DistrictFeatureCollection } from '@tiergate/domain';
import type { Basemap, BasemapFeature } from '../../../gateway/src/console/basemap';

/** Made-up street names for the demo's streets (north–south first, then east–west); not survey data. */
const NS_STREETS = ['青年大街', '文化路', '南京街', '和平大街', '长青街'];
const EW_STREETS = ['北站路', '市府大路', '中山路', '惠工街', '南运河路'];
const NS_MAJOR = new Set([0, 3]);
const EW_MAJOR = new Set([1, 3]);

/**
 * The demo district's basemap (docs/map.md "Demo basemap"): so `npm start` shows streets and landmarks without
 * tiles. Deterministic from the district's outer box [w, s, e, n]: five north–south and five east–west streets at
 * 1/10, 3/10, …, 9/10 of the box, each bent at its middle by 3 % of the box (alternately), two of each direction
 * major; one diagonal avenue from the south-west corner to the north-east; four named landmark points and two
 * named areas at fixed fractions of the box. Pure.
 */
export function demoBasemap(district: DistrictFeatureCollection): Basemap {
  const root = district.features.find((f) => f.properties.parentCode === null) ?? district.features[0];
  if (!root) return { type: 'FeatureCollection', features: [] };
  const [w, s, e, n] = root.bbox;
  const dx = e - w;
  const dy = n - s;
  const at = (fx: number, fy: number): [number, number] => [round(w + fx * dx), round(s + fy * dy)];
  const street = (name: string, major: boolean, coordinates: [number, number][]): BasemapFeature => ({
    type: 'Feature',
    properties: { role: 'street', name, ...(major ? { major: true as const } : {}) },
    geometry: { type: 'LineString', coordinates },
  });
  const features: BasemapFeature[] = [];
  NS_STREETS.forEach((name, i) => {
    const f = (2 * i + 1) / 10;
    const bend = i % 2 ? 0.03 : -0.03;
    features.push(street(name, NS_MAJOR.has(i), [at(f, 0), at(f + bend, 0.5), at(f, 1)]));
  });
  EW_STREETS.forEach((name, i) => {
    const f = (2 * i + 1) / 10;
    const bend = i % 2 ? -0.03 : 0.03;
    features.push(street(name, EW_MAJOR.has(i), [at(0, f), at(0.5, f + bend), at(1, f)]));
  });
  features.push(street('滨河大道', true, [at(0, 0), at(0.45, 0.5), at(1, 1)]));
  const point = (name: string, fx: number, fy: number): BasemapFeature => ({ type: 'Feature', properties: { role: 'landmark', name }, geometry: { type: 'Point', coordinates: at(fx, fy) } });
  const area = (name: string, fx: number, fy: number, fw: number, fh: number): BasemapFeature => ({
    type: 'Feature',
    properties: { role: 'landmark', name },
    geometry: { type: 'Polygon', coordinates: [[at(fx, fy), at(fx + fw, fy), at(fx + fw, fy + fh), at(fx, fy + fh), at(fx, fy)]] },
  });
  features.push(point('火车北站', 0.32, 0.86), point('区政府', 0.52, 0.55), point('人民医院', 0.7, 0.36), point('体育馆', 0.18, 0.22));
  features.push(area('中山公园', 0.56, 0.64, 0.1, 0.08), area('实验中学', 0.24, 0.42, 0.05, 0.04));
  return { type: 'FeatureCollection', features };
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;
