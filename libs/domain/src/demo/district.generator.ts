import type { Polygon } from '../geo';
import { seededRandom } from './seeded.random';

/** `[minLon, minLat, maxLon, maxLat]`, the GeoJSON `bbox` member. */
export type BBoxArray = [number, number, number, number];

export interface DistrictFeature {
  type: 'Feature';
  bbox: BBoxArray;
  properties: { code: string; name: string; tier: 'sub-bureau' | 'station' | 'post'; parentCode: string | null };
  geometry: Polygon;
}

export interface DistrictFeatureCollection {
  type: 'FeatureCollection';
  features: DistrictFeature[];
}

export interface DistrictOptions {
  stations?: number;
  postsPerStation?: number;
  /** Centre of the sub-bureau; defaults to Shenyang. */
  origin?: { lon: number; lat: number };
  /** Side of the square sub-bureau in kilometres. */
  sizeKm?: number;
  seed?: number;
  /** First 6 digits of every code (administrative division). */
  regionCode?: string;
}

export interface CameraPoint {
  name: string;
  lon: number;
  lat: number;
  tags: string[];
  /** True when the point lies exactly on a border between jurisdictions. */
  onBorder: boolean;
  /**
   * The post the point belongs to by the contract rule, computed independently of the polygon code:
   * the smallest code among the posts whose closed rectangle holds the point.
   */
  expectedCode: string;
}

const KM_PER_DEG_LAT = 111.32;
const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** GB/T 28181-style 20-digit code: region(6) + station(2) + post(2) + zeros(10). */
export function districtCode(region: string, station = 0, post = 0): string {
  return `${region}${pad(station, 2)}${pad(post, 2)}${'0'.repeat(10)}`;
}

/** Cut points from `from` to `to` into `parts` pieces of jittered width (exact shared end values). */
function cuts(from: number, to: number, parts: number, rand: () => number): number[] {
  const weights = Array.from({ length: parts }, () => 0.75 + rand() * 0.5);
  const total = weights.reduce((a, b) => a + b, 0);
  const out = [from];
  let acc = 0;
  for (let i = 0; i < parts - 1; i++) {
    acc += weights[i];
    out.push(from + ((to - from) * acc) / total);
  }
  out.push(to);
  return out;
}

/** Splits `count` cells into rows of near-equal length (e.g. 14 -> [4, 4, 3, 3]). */
function rowLayout(count: number): number[] {
  const rows = Math.max(1, Math.round(Math.sqrt(count)));
  return Array.from({ length: rows }, (_, r) => Math.floor(count / rows) + (r < count % rows ? 1 : 0));
}

function rect(box: BBoxArray): Polygon {
  const [w, s, e, n] = box;
  return { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] };
}

/** Splits a box into `count` rectangles laid out in rows, with jittered widths; shared edges are the same numbers. */
function splitBox(box: BBoxArray, count: number, rand: () => number): BBoxArray[] {
  const layout = rowLayout(count);
  const ys = cuts(box[1], box[3], layout.length, rand);
  const out: BBoxArray[] = [];
  layout.forEach((perRow, r) => {
    const xs = cuts(box[0], box[2], perRow, rand);
    for (let c = 0; c < perRow; c++) out.push([xs[c], ys[r], xs[c + 1], ys[r + 1]]);
  });
  return out;
}

/**
 * A demo/test district: a square sub-bureau (about 12 x 12 km around `origin`) split into station
 * rectangles, each split into post rectangles. Neighbours share exact edge coordinates, so points on
 * borders really are on both sides. Deterministic for a given seed. Features come parents first.
 */
export function generateDistrict(options: DistrictOptions = {}): DistrictFeatureCollection {
  const stations = options.stations ?? 14;
  const postsPerStation = options.postsPerStation ?? 8;
  if (!Number.isInteger(stations) || stations < 1 || stations > 99) throw new RangeError('stations must be an integer in 1..99');
  if (!Number.isInteger(postsPerStation) || postsPerStation < 1 || postsPerStation > 99) throw new RangeError('postsPerStation must be an integer in 1..99');
  const origin = options.origin ?? { lon: 123.45, lat: 41.79 };
  const sizeKm = options.sizeKm ?? 12;
  const region = options.regionCode ?? '210103';
  const rand = seededRandom(options.seed ?? 1);
  const halfLat = sizeKm / 2 / KM_PER_DEG_LAT;
  const halfLon = sizeKm / 2 / (KM_PER_DEG_LAT * Math.cos((origin.lat * Math.PI) / 180));
  const round = (v: number) => Math.round(v * 1e7) / 1e7; // ~1 cm: readable files, still exact shared edges
  const whole: BBoxArray = [round(origin.lon - halfLon), round(origin.lat - halfLat), round(origin.lon + halfLon), round(origin.lat + halfLat)];
  const rootCode = districtCode(region);
  const features: DistrictFeature[] = [
    { type: 'Feature', bbox: whole, properties: { code: rootCode, name: 'Demo sub-bureau', tier: 'sub-bureau', parentCode: null }, geometry: rect(whole) },
  ];
  const stationBoxes = splitBox(whole, stations, rand).map((b) => b.map(round) as BBoxArray);
  const posts: DistrictFeature[] = [];
  stationBoxes.forEach((box, i) => {
    const code = districtCode(region, i + 1);
    features.push({ type: 'Feature', bbox: box, properties: { code, name: `Station ${i + 1}`, tier: 'station', parentCode: rootCode }, geometry: rect(box) });
    splitBox(box, postsPerStation, rand).forEach((raw, j) => {
      const p = raw.map(round) as BBoxArray;
      // Outer edges of a post on the station border must be the station's exact numbers.
      const fixed: BBoxArray = [
        Math.abs(p[0] - box[0]) < 1e-9 ? box[0] : p[0],
        Math.abs(p[1] - box[1]) < 1e-9 ? box[1] : p[1],
        Math.abs(p[2] - box[2]) < 1e-9 ? box[2] : p[2],
        Math.abs(p[3] - box[3]) < 1e-9 ? box[3] : p[3],
      ];
      posts.push({
        type: 'Feature',
        bbox: fixed,
        properties: { code: districtCode(region, i + 1, j + 1), name: `Post ${i + 1}-${j + 1}`, tier: 'post', parentCode: code },
        geometry: rect(fixed),
      });
    });
  });
  return { type: 'FeatureCollection', features: [...features, ...posts] };
}

/** The smallest code among the posts whose closed rectangle holds the point (independent of polygon code). */
export function expectedPostCode(district: DistrictFeatureCollection, lon: number, lat: number): string | undefined {
  let best: string | undefined;
  for (const f of district.features) {
    if (f.properties.tier !== 'post') continue;
    const [w, s, e, n] = f.bbox;
    if (lon >= w && lon <= e && lat >= s && lat <= n && (best === undefined || f.properties.code < best)) best = f.properties.code;
  }
  return best;
}

/**
 * `n` camera points inside the posts of a district: about 1 in 10 exactly on a post's west or south
 * edge (a border with a neighbour, or the district's outer border), about 1 in 12 tagged `garage`
 * (underground garages). Deterministic for a given seed.
 */
export function generateCameraPoints(district: DistrictFeatureCollection, n: number, seed = 1): CameraPoint[] {
  const rand = seededRandom(seed);
  const posts = district.features.filter((f) => f.properties.tier === 'post');
  if (posts.length === 0) throw new RangeError('the district has no posts');
  const out: CameraPoint[] = [];
  for (let i = 0; i < n; i++) {
    const post = posts[Math.floor(rand() * posts.length)];
    const [w, s, e, nn] = post.bbox;
    const onBorder = rand() < 0.1;
    // Stay away from corners (0.1..0.9 along an edge) so a border point touches exactly two posts at most.
    const u = 0.1 + rand() * 0.8;
    const v = 0.02 + rand() * 0.96;
    let lon: number;
    let lat: number;
    if (onBorder && rand() < 0.5) {
      lon = w;
      lat = s + (nn - s) * u;
    } else if (onBorder) {
      lon = w + (e - w) * u;
      lat = s;
    } else {
      lon = w + (e - w) * v;
      lat = s + (nn - s) * (0.02 + rand() * 0.96);
    }
    const tags = rand() < 1 / 12 ? ['garage'] : [];
    out.push({ name: `Camera ${pad(i + 1, 4)}`, lon, lat, tags, onBorder, expectedCode: expectedPostCode(district, lon, lat)! });
  }
  return out;
}
