import { generateDistrict } from '@tiergate/domain';
import { parseBasemap } from '../../../gateway/src/console/basemap';
import { demoBasemap } from './demo-basemap';

describe('demoBasemap', () => {
  const district = generateDistrict({ stations: 14, postsPerStation: 8, seed: 7 });
  const basemap = demoBasemap(district);
  const [w, s, e, n] = district.features[0]!.bbox;

  it('is a basemap the gateway accepts, unchanged by its parser', () => {
    const parsed = parseBasemap(JSON.stringify(basemap));
    expect(parsed).toEqual({ ok: true, basemap, skipped: 0 });
  });

  it('has named streets across the district and named landmarks inside it', () => {
    const streets = basemap.features.filter((f) => f.properties.role === 'street');
    const landmarks = basemap.features.filter((f) => f.properties.role === 'landmark');
    expect(streets).toHaveLength(11);
    expect(streets.filter((f) => f.properties.major)).toHaveLength(5);
    expect(landmarks.map((f) => f.geometry.type).sort()).toEqual(['Point', 'Point', 'Point', 'Point', 'Polygon', 'Polygon']);
    for (const f of basemap.features) expect(f.properties.name).toBeTruthy();
    const positions = basemap.features.flatMap((f) => (f.geometry.type === 'Point' ? [f.geometry.coordinates] : f.geometry.type === 'Polygon' ? (f.geometry.coordinates as number[][][])[0]! : f.geometry.coordinates) as number[][]);
    for (const [lon, lat] of positions) {
      expect(lon).toBeGreaterThanOrEqual(w - 1e-6);
      expect(lon).toBeLessThanOrEqual(e + 1e-6);
      expect(lat).toBeGreaterThanOrEqual(s - 1e-6);
      expect(lat).toBeLessThanOrEqual(n + 1e-6);
    }
    // The first north–south street starts at the south edge one tenth in from the west.
    expect(streets[0]!.geometry.coordinates).toEqual(expect.arrayContaining([[Math.round((w + (e - w) / 10) * 1e6) / 1e6, Math.round(s * 1e6) / 1e6]]));
  });
});
