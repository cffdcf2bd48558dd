import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, type TiergateConfig } from '@tiergate/config';
import { ConsoleBasemap } from './basemap.store';

const store = (basemapFile: string) => new ConsoleBasemap({ console: { tileUrl: '', basemapFile } } as TiergateConfig);
const street = { type: 'Feature', properties: { name: 'Elm Road' }, geometry: { type: 'LineString', coordinates: [[116.3, 39.9], [116.4, 39.9]] } };

describe('ConsoleBasemap', () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'tg-basemap-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has none without a file, and then takes the one offered (the demo\'s)', () => {
    const s = store('');
    s.onModuleInit();
    expect(s.json()).toBeNull();
    expect(s.offerDefault({ type: 'FeatureCollection', features: [] })).toBe(true);
    expect(JSON.parse(s.json()!)).toEqual({ type: 'FeatureCollection', features: [] });
  });

  it('reads the configured file once, trimmed; an offered one does not replace it', () => {
    const file = join(dir, 'ok.geojson');
    writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features: [street] }));
    const s = store(file);
    s.onModuleInit();
    expect(JSON.parse(s.json()!).features).toEqual([{ type: 'Feature', properties: { role: 'street', name: 'Elm Road' }, geometry: street.geometry }]);
    expect(s.offerDefault({ type: 'FeatureCollection', features: [] })).toBe(false);
    expect(JSON.parse(s.json()!).features).toHaveLength(1);
  });

  it('stops start-up naming the key when the file is missing or not a basemap', () => {
    const missing = store(join(dir, 'missing.geojson'));
    expect(() => missing.onModuleInit()).toThrow(ConfigError);
    expect(() => missing.onModuleInit()).toThrow(/console\.basemapFile\) cannot be read: .*missing\.geojson: ENOENT/);
    const bad = join(dir, 'bad.geojson');
    writeFileSync(bad, JSON.stringify({ type: 'FeatureCollection', features: [{ ...street, geometry: { type: 'LineString', coordinates: [[500, 0]] } }] }));
    expect(() => store(bad).onModuleInit()).toThrow(/console\.basemapFile\) .*bad\.geojson: features\[0\]: LineString coordinates are not \[lon, lat\] positions/);
  });
});
