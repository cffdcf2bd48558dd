import { TiergateError } from '@tiergate/domain';
import { importContentOf } from './import-content';
import { decodePoints } from '@tiergate/persistence';

describe('importContentOf', () => {
  it('prefers the uploaded file and guesses its format', () => {
    const file = { buffer: Buffer.from('{"type":"FeatureCollection","features":[]}'), mimetype: 'application/octet-stream', originalname: 'x.geojson' };
    expect(importContentOf(undefined, 'multipart/form-data', file)).toEqual({ content: file.buffer.toString(), format: 'geojson' });
    const csv = { buffer: Buffer.from('id,type\n'), mimetype: 'text/csv', originalname: 'x.csv' };
    expect(importContentOf(undefined, 'multipart/form-data', csv).format).toBe('csv');
  });

  it('takes a raw text body as CSV and a parsed JSON body as GeoJSON', () => {
    expect(importContentOf('id,type', 'text/csv', undefined)).toEqual({ content: 'id,type', format: 'csv' });
    const fc = { type: 'FeatureCollection', features: [] };
    expect(importContentOf(fc, 'application/geo+json', undefined)).toEqual({ content: fc, format: 'geojson' });
    expect(importContentOf({}, 'application/json', undefined).format).toBe('geojson');
  });

  it('refuses a request without a readable body with 415', () => {
    expect(() => importContentOf(undefined, 'application/xml', undefined)).toThrow(TiergateError);
    try {
      importContentOf(undefined, undefined, undefined);
    } catch (e) {
      expect((e as TiergateError).status).toBe(415);
    }
  });
});

describe('decodePoints', () => {
  it('reads "lon lat …" back to exactly the same doubles', () => {
    const values = [123.4550405, 41.7747261, -0.1, 1e-7];
    expect(decodePoints(values.map(String).join(' '))).toEqual([
      { lon: 123.4550405, lat: 41.7747261 },
      { lon: -0.1, lat: 1e-7 },
    ]);
    expect(decodePoints(null)).toEqual([]);
  });
});
