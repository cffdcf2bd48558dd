import { parseBasemap } from './basemap';

const fc = (...features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });
const line = (props: Record<string, unknown>, coordinates: unknown = [[123.4, 41.8], [123.5, 41.8]]) => ({ type: 'Feature', properties: props, geometry: { type: 'LineString', coordinates } });

describe('parseBasemap', () => {
  it('keeps streets and landmarks with only the properties the console reads', () => {
    const r = parseBasemap(fc(
      line({ name: ' 青年大街 ', highway: 'primary', surface: 'asphalt' }),
      line({ highway: 'residential' }),
      line({ name: 'Ring road', major: true }),
      { type: 'Feature', properties: { name: '区政府', amenity: 'townhall' }, geometry: { type: 'Point', coordinates: [123.45, 41.79] } },
      { type: 'Feature', properties: { name: '中山公园' }, geometry: { type: 'Polygon', coordinates: [[[123.4, 41.7], [123.41, 41.7], [123.41, 41.71], [123.4, 41.7]]] } },
      { type: 'Feature', properties: {}, geometry: { type: 'MultiPolygon', coordinates: [[[[123.4, 41.7], [123.41, 41.7], [123.41, 41.71], [123.4, 41.7]]]] } },
    ));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.skipped).toBe(0);
    expect(r.basemap.features.map((f) => f.properties)).toEqual([
      { role: 'street', name: '青年大街', major: true },
      { role: 'street' },
      { role: 'street', name: 'Ring road', major: true },
      { role: 'landmark', name: '区政府' },
      { role: 'landmark', name: '中山公园' },
      { role: 'landmark' },
    ]);
    expect(r.basemap.features[0]!.geometry).toEqual({ type: 'LineString', coordinates: [[123.4, 41.8], [123.5, 41.8]] });
  });

  it('skips what it cannot show: other geometry types, null geometry, points without a name', () => {
    const r = parseBasemap(fc(
      { type: 'Feature', properties: { name: 'x' }, geometry: { type: 'GeometryCollection', geometries: [] } },
      { type: 'Feature', properties: { name: 'y' }, geometry: null },
      { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [1, 2] } },
      line({}),
    ));
    expect(r).toEqual(expect.objectContaining({ ok: true, skipped: 3 }));
    if (r.ok) expect(r.basemap.features).toHaveLength(1);
  });

  it('refuses what is not a FeatureCollection of [lon, lat] degrees, naming each bad feature', () => {
    expect(parseBasemap('{')).toEqual({ ok: false, problems: [expect.stringMatching(/^not JSON/)] });
    expect(parseBasemap('{"type":"Feature"}')).toEqual({ ok: false, problems: ['not a GeoJSON FeatureCollection'] });
    const r = parseBasemap(fc(line({}), line({}, [[4_600_000, 13_700_000], [4_600_100, 13_700_000]]), line({}, [])));
    expect(r).toEqual({ ok: false, problems: ['features[1]: LineString coordinates are not [lon, lat] positions in degrees', 'features[2]: LineString coordinates are not [lon, lat] positions in degrees'] });
    const many = parseBasemap(fc(...Array.from({ length: 12 }, () => line({}, [['a', 'b']]))));
    expect(many.ok ? [] : many.problems).toHaveLength(11);
    expect(many.ok ? '' : many.problems[10]).toBe('and 2 more');
  });
});
