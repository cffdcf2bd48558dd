import { IdentifiedPoint, toWebMercator } from '@tiergate/domain';

/** Pure: camera positions (WGS 84) as EPSG:3857 points, for the nearest-camera searches of hotspots and walls. */
export function mercatorPoints(positions: readonly { id: string; lat: number; lon: number }[]): IdentifiedPoint[] {
  return positions.map((p) => ({ id: p.id, ...toWebMercator(p.lon, p.lat) }));
}
