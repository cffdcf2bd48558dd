import { INCIDENT_TYPES, IncidentType } from '../roles';
import type { BBoxArray, DistrictFeatureCollection } from './district.generator';
import { seededRandom } from './seeded.random';

/** One generated incident, in the shape of an import row (`occurredAt` is ISO 8601 UTC with `Z`). */
export interface GeneratedIncident {
  id: string;
  type: IncidentType;
  occurredAt: string;
  lat: number;
  lon: number;
  /** Index of the planted hotspot it was drawn around, or -1 for the background. */
  cluster: number;
}

export interface PlantedHotspot {
  lon: number;
  lat: number;
  /** Defaults to bike_theft (thefts around an underground garage, say). */
  type?: IncidentType;
  /** Share of all incidents drawn around this point (default 0.03). */
  share?: number;
  /** Standard deviation of the cluster in ground metres (default 60). */
  spreadM?: number;
}

export interface IncidentGeneratorOptions {
  /** Incidents fall inside the posts of this district (or stations, or the whole, when it has no posts)… */
  district?: DistrictFeatureCollection;
  /** …or inside this box `[minLon, minLat, maxLon, maxLat]`. One of the two is required. */
  bbox?: BBoxArray;
  count?: number;
  /** Length of the period, ending at `end`. */
  years?: number;
  /** End of the period (exclusive), default 2026-01-01T00:00:00Z. */
  end?: Date;
  plantedHotspots?: readonly PlantedHotspot[];
  seed?: number;
  /** Local clock of the patterns (evenings, weekdays), minutes east of UTC; default 480 (UTC+8). */
  utcOffsetMinutes?: number;
  /** Prefix of the generated ids (default `INC-`). */
  idPrefix?: string;
}

const DAY_MS = 86_400_000;
const M_PER_DEG_LAT = 111_320;
/** Background mix of types (weights). */
const TYPE_WEIGHTS: Record<IncidentType, number> = { bike_theft: 25, burglary: 20, robbery: 8, snatch: 15, other: 32 };
/** Relative frequency per local hour: quiet nights, a midday bump, an evening peak. */
const HOUR_WEIGHTS = [2, 1.5, 1, 1, 1, 1.2, 2, 3, 4, 4, 4.5, 5, 6, 5, 4.5, 4.5, 5.5, 7, 9, 10, 9.5, 8, 6, 3.5];
/** Thefts around garages: mostly after work. */
const CLUSTER_HOUR_WEIGHTS = HOUR_WEIGHTS.map((w, h) => (h >= 17 && h <= 22 ? w * 4 : h >= 7 && h <= 9 ? w * 1.5 : w * 0.5));
/** Monday … Sunday: busier on weekdays. */
const WEEKDAY_WEIGHTS = [1.15, 1.1, 1.1, 1.15, 1.25, 0.7, 0.6];
const CLUSTER_WEEKDAY_WEIGHTS = [1.3, 1.3, 1.3, 1.3, 1.3, 0.45, 0.4];

function picker<T>(items: readonly T[], weights: readonly number[]): (r: number) => T {
  const cumulative: number[] = [];
  let acc = 0;
  for (const w of weights) cumulative.push((acc += w));
  return (r) => {
    const target = r * acc;
    let lo = 0;
    while (lo < cumulative.length - 1 && cumulative[lo] <= target) lo++;
    return items[lo];
  };
}

/** The rectangles incidents are drawn in: the finest tier of the district, or the box. */
function areasOf(options: IncidentGeneratorOptions): BBoxArray[] {
  if (options.district) {
    const features = options.district.features;
    for (const tier of ['post', 'station', 'sub-bureau'] as const) {
      const boxes = features.filter((f) => f.properties.tier === tier).map((f) => f.bbox);
      if (boxes.length > 0) return boxes;
    }
    throw new RangeError('the district has no features');
  }
  if (options.bbox) {
    const [w, s, e, n] = options.bbox;
    if (!(w < e && s < n)) throw new RangeError('bbox must be [minLon, minLat, maxLon, maxLat] with min < max');
    return [options.bbox];
  }
  throw new RangeError('give a district or a bbox');
}

const inside = (boxes: readonly BBoxArray[], lon: number, lat: number): boolean =>
  boxes.some(([w, s, e, n]) => lon >= w && lon <= e && lat >= s && lat <= n);

/**
 * Deterministic demo incidents: a background spread over the area in proportion to each rectangle's
 * size, with a realistic type mix and time pattern (evening peak, busier weekdays), plus tight clusters
 * around the planted hotspots (bike thefts near garages by default, mostly weekday evenings).
 * The same options give the same incidents on every machine.
 */
export function generateIncidents(options: IncidentGeneratorOptions): GeneratedIncident[] {
  const count = options.count ?? 20_000;
  const years = options.years ?? 2;
  if (!Number.isInteger(count) || count < 0) throw new RangeError('count must be a non-negative integer');
  if (!(years > 0)) throw new RangeError('years must be positive');
  const rand = seededRandom(options.seed ?? 7);
  const boxes = areasOf(options);
  const end = (options.end ?? new Date('2026-01-01T00:00:00Z')).getTime();
  const days = Math.max(1, Math.round(years * 365.25));
  const start = end - days * DAY_MS;
  const offsetMs = (options.utcOffsetMinutes ?? 480) * 60_000;
  const prefix = options.idPrefix ?? 'INC-';
  const planted = options.plantedHotspots ?? [];

  const pickBox = picker(boxes, boxes.map(([w, s, e, n]) => (e - w) * (n - s)));
  const pickType = picker(INCIDENT_TYPES, INCIDENT_TYPES.map((t) => TYPE_WEIGHTS[t]));
  const hours = Array.from({ length: 24 }, (_, h) => h);
  const pickHour = picker(hours, HOUR_WEIGHTS);
  const pickClusterHour = picker(hours, CLUSTER_HOUR_WEIGHTS);
  const weekdayOk = (weights: readonly number[], localDay: number): boolean => {
    const weekday = (new Date(localDay * DAY_MS).getUTCDay() + 6) % 7;
    return rand() * Math.max(...weights) <= weights[weekday];
  };
  const gaussian = (): number => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());

  /** A local day (days since the epoch, local clock) and hour, turned into a UTC instant in the period. */
  const instant = (cluster: boolean): number => {
    const weights = cluster ? CLUSTER_WEEKDAY_WEIGHTS : WEEKDAY_WEIGHTS;
    const firstLocalDay = Math.ceil((start + offsetMs) / DAY_MS);
    for (;;) {
      const localDay = firstLocalDay + Math.floor(rand() * (days - 1));
      if (!weekdayOk(weights, localDay)) continue;
      const hour = cluster ? pickClusterHour(rand()) : pickHour(rand());
      const t = localDay * DAY_MS + hour * 3_600_000 + Math.floor(rand() * 3_600_000) - offsetMs;
      if (t >= start && t < end) return Math.floor(t / 1000) * 1000;
    }
  };

  const clusterSizes = planted.map((p) => Math.round(count * (p.share ?? 0.03)));
  const clustered = clusterSizes.reduce((a, b) => a + b, 0);
  if (clustered > count) throw new RangeError('the planted hotspots ask for more incidents than count');
  const out: GeneratedIncident[] = [];
  const push = (type: IncidentType, lon: number, lat: number, cluster: number) => {
    const round = (v: number) => Math.round(v * 1e7) / 1e7;
    out.push({ id: `${prefix}${String(out.length + 1).padStart(6, '0')}`, type, occurredAt: new Date(instant(cluster >= 0)).toISOString(), lat: round(lat), lon: round(lon), cluster });
  };

  planted.forEach((p, k) => {
    const spread = p.spreadM ?? 60;
    const mPerDegLon = M_PER_DEG_LAT * Math.cos((p.lat * Math.PI) / 180);
    for (let i = 0; i < clusterSizes[k]; i++) {
      let lon = p.lon;
      let lat = p.lat;
      for (let attempt = 0; attempt < 10; attempt++) {
        const cLon = p.lon + (gaussian() * spread) / mPerDegLon;
        const cLat = p.lat + (gaussian() * spread) / M_PER_DEG_LAT;
        if (inside(boxes, cLon, cLat)) {
          lon = cLon;
          lat = cLat;
          break;
        }
      }
      push(p.type ?? 'bike_theft', lon, lat, k);
    }
  });
  for (let i = clustered; i < count; i++) {
    const [w, s, e, n] = pickBox(rand());
    push(pickType(rand()), w + (e - w) * rand(), s + (n - s) * rand(), -1);
  }
  return out;
}

/** The import CSV (`id,type,occurred_at,lat,lon`) of generated incidents. */
export function incidentsToCsv(incidents: ReadonlyArray<Pick<GeneratedIncident, 'id' | 'type' | 'occurredAt' | 'lat' | 'lon'>>): string {
  const lines = ['id,type,occurred_at,lat,lon'];
  for (const i of incidents) lines.push(`${i.id},${i.type},${i.occurredAt},${i.lat},${i.lon}`);
  return `${lines.join('\n')}\n`;
}
