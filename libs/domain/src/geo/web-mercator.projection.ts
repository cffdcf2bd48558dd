/** Spherical Web Mercator (EPSG:3857), metres. */
export const EARTH_RADIUS_M = 6378137;
/** Latitude beyond which EPSG:3857 is undefined; inputs are clamped to it. */
export const MAX_MERCATOR_LAT = 85.0511287798066;

const DEG = Math.PI / 180;

export interface MercatorPoint {
  x: number;
  y: number;
}

export function toWebMercator(lon: number, lat: number): MercatorPoint {
  const clamped = Math.max(-MAX_MERCATOR_LAT, Math.min(MAX_MERCATOR_LAT, lat));
  return {
    x: EARTH_RADIUS_M * lon * DEG,
    y: EARTH_RADIUS_M * Math.atanh(Math.sin(clamped * DEG)),
  };
}

export function fromWebMercator(x: number, y: number): { lon: number; lat: number } {
  return {
    lon: x / EARTH_RADIUS_M / DEG,
    lat: (2 * Math.atan(Math.exp(y / EARTH_RADIUS_M)) - Math.PI / 2) / DEG,
  };
}
