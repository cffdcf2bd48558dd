import { detectIncidentFormat, parseIncidentCsv, parseIncidentGeoJson, parseIsoInstant } from './incident-file.parser';

const HEADER = 'id,type,occurred_at,lat,lon';

describe('parseIsoInstant', () => {
  it.each([
    ['2026-03-01T18:30:00+08:00', '2026-03-01T10:30:00.000Z'],
    ['2026-03-01T18:30Z', '2026-03-01T18:30:00.000Z'],
    ['2024-02-29T00:00:00.250-0130', '2024-02-29T01:30:00.250Z'],
  ])('reads %s', (text, iso) => {
    expect((parseIsoInstant(text) as Date).toISOString()).toBe(iso);
  });

  it.each(['2026-02-30T10:00:00Z', '2025-02-29T10:00:00Z', '2026-03-01T10:00:00', '2026-03-01', '2026-13-01T00:00:00Z', '2026-03-01T24:00:00Z', '2026-03-01T10:00:00+15:00', 'yesterday'])(
    'refuses %s',
    (text) => {
      expect(typeof parseIsoInstant(text)).toBe('string');
    },
  );
});

describe('parseIncidentCsv', () => {
  it('parses good rows with columns in any order', () => {
    const out = parseIncidentCsv('lon,lat,id,type,occurred_at,extra\n123.4,41.8,A1,bike_theft,2026-01-05T19:00:00+08:00,x\n');
    expect(out.errors).toEqual([]);
    expect(out.rows).toEqual([{ line: 2, id: 'A1', type: 'bike_theft', occurredAt: new Date('2026-01-05T11:00:00Z'), lat: 41.8, lon: 123.4 }]);
  });

  it('reports every bad row with its line', () => {
    const csv = [
      HEADER,
      'a,bike_theft,2026-01-05T19:00:00Z,41.8,123.4',
      'b,arson,2026-01-05T19:00:00Z,41.8,123.4',
      'c,burglary,2026-02-30T19:00:00Z,41.8,123.4',
      'd,robbery,2026-01-05T19:00:00,41.8,123.4',
      'e,snatch,2026-01-05T19:00:00Z,91,123.4',
      'f,other,2026-01-05T19:00:00Z,41.8,east',
      'a,other,2026-01-05T19:00:00Z,41.8,123.4',
      ',other,2026-01-05T19:00:00Z,41.8,123.4',
      'g,other',
    ].join('\n');
    const out = parseIncidentCsv(csv);
    expect(out.rows.map((r) => r.id)).toEqual(['a']);
    expect(out.errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    expect(out.errors[0].message).toMatch(/type "arson"/);
    expect(out.errors[1].message).toMatch(/not a calendar date/);
    expect(out.errors[2].message).toMatch(/offset/);
    expect(out.errors[3].message).toMatch(/lat 91 is out of range/);
    expect(out.errors[4].message).toMatch(/lon "east" is not a number/);
    expect(out.errors[5].message).toMatch(/repeated \(first on line 2\)/);
    expect(out.errors[6].message).toMatch(/id is missing/);
    expect(out.errors[7].message).toMatch(/expected 5 fields/);
  });

  it('reads a BOM, CRLF and quoted fields, keeping the physical line of each record', () => {
    const out = parseIncidentCsv(`\uFEFF${HEADER}\r\n"A,1",burglary,2026-01-05T19:00:00Z,41.8,123.4\r\n\r\n"B\n2",robbery,2026-01-05T19:00:00Z,91,123.4\r\n`);
    expect(out.rows.map((r) => [r.line, r.id])).toEqual([[2, 'A,1']]);
    expect(out.errors).toEqual([{ line: 4, message: 'lat 91 is out of range [-90, 90]' }]);
  });

  it('refuses a file that is not CSV with IMPORT_FAILED naming the line', () => {
    expect(() => parseIncidentCsv(`${HEADER}\n"oops,1`)).toThrow(
      expect.objectContaining({ code: 'IMPORT_FAILED', details: { errors: [{ line: 2, message: 'a quoted field is not closed' }] } }),
    );
  });

  it('refuses a file without the needed header or without anything', () => {
    expect(parseIncidentCsv('id,type,lat,lon\n').errors[0].message).toMatch(/occurred_at/);
    expect(parseIncidentCsv('').errors[0].message).toMatch(/empty/);
  });
});

describe('parseIncidentGeoJson', () => {
  const feature = (id: unknown, coords: unknown[], props: Record<string, unknown> = {}) => ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: coords },
    properties: { id, type: 'burglary', occurred_at: '2026-01-05T19:00:00Z', ...props },
  });

  it('parses Point features and numbers as ids', () => {
    const out = parseIncidentGeoJson(JSON.stringify({ type: 'FeatureCollection', features: [feature(7, [123.4, 41.8])] }));
    expect(out.errors).toEqual([]);
    expect(out.rows[0]).toEqual(expect.objectContaining({ line: 1, id: '7', lon: 123.4, lat: 41.8, type: 'burglary' }));
  });

  it('reports bad features by number', () => {
    const doc = {
      type: 'FeatureCollection',
      features: [feature('a', [123.4, 41.8]), { type: 'Feature', geometry: { type: 'Polygon', coordinates: [] }, properties: {} }, feature('a', [1, 2]), feature('b', [200, 2])],
    };
    const out = parseIncidentGeoJson(doc);
    expect(out.rows).toHaveLength(1);
    expect(out.errors.map((e) => e.line)).toEqual([2, 3, 4]);
    expect(out.errors[0].message).toMatch(/Point/);
  });

  it('refuses what is not a FeatureCollection', () => {
    expect(parseIncidentGeoJson('{"type":"Feature"}').errors[0].message).toMatch(/FeatureCollection/);
    expect(parseIncidentGeoJson('{oops').errors[0].message).toMatch(/not valid JSON/);
  });
});

describe('detectIncidentFormat', () => {
  it('uses media type, then file name, then content', () => {
    expect(detectIncidentFormat('application/geo+json', undefined, '')).toBe('geojson');
    expect(detectIncidentFormat('application/octet-stream', 'x.csv', '{')).toBe('csv');
    expect(detectIncidentFormat(undefined, undefined, '  {"type":1}')).toBe('geojson');
    expect(detectIncidentFormat(undefined, undefined, 'id,type')).toBe('csv');
  });
});
