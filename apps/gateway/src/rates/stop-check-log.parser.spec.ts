import { randomUUID } from 'node:crypto';
import { type Geometry, JurisdictionTree, type JurisdictionNode } from '@tiergate/domain';
import { parseStopCheckCsv } from './stop-check-log.parser';
import { placeStopChecks } from './stop-check-placement';
import { parsePopulationCsv, populationsOfGeoJson } from './population-file.parser';

const square = (w: number, s: number, e: number, n: number): Geometry => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const [D, A, B] = [randomUUID(), randomUUID(), randomUUID()];
const node = (id: string, code: string, parentId: string | null, boundary: Geometry): JurisdictionNode => ({ id, code, name: code, tier: 't', parentId, boundary });
const tree = new JurisdictionTree([node(D, 'D', null, square(0, 0, 2, 1)), node(A, 'A', D, square(0, 0, 1, 1)), node(B, 'B', D, square(1, 0, 2, 1))]);

describe('parseStopCheckCsv', () => {
  it('reads rows in any column order: coordinates, text places with a code, result spellings', () => {
    const { rows, errors } = parseStopCheckCsv(
      ['result,persons,vehicles,place,time,jurisdiction_code,extra', 'captured,1,0,"0.5,0.25",2026-03-01T10:00:00+08:00,,x', 'Not Captured,0,2,Gate 3,2026-03-01T11:00:00Z,B,', '抓获,3,1," 0.5 , 1.5 ",2026-03-01T12:00:00Z,A,'].join('\r\n'),
    );
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      { line: 2, checkedAt: new Date('2026-03-01T02:00:00Z'), place: '0.5,0.25', point: { lat: 0.5, lon: 0.25 }, persons: 1, vehicles: 0, result: 'captured' },
      { line: 3, checkedAt: new Date('2026-03-01T11:00:00Z'), place: 'Gate 3', jurisdictionCode: 'B', persons: 0, vehicles: 2, result: 'not_captured' },
      { line: 4, checkedAt: new Date('2026-03-01T12:00:00Z'), place: '0.5 , 1.5', point: { lat: 0.5, lon: 1.5 }, jurisdictionCode: 'A', persons: 3, vehicles: 1, result: 'captured' },
    ]);
  });
  it('names every problem of a row on its line', () => {
    const { rows, errors } = parseStopCheckCsv(['time,place,jurisdiction_code,persons,vehicles,result', '2026-02-30T10:00:00Z,Gate,,-1,x,caught', '2026-03-01T10:00:00Z,"91,0",,0,0,other'].join('\n'));
    expect(rows).toEqual([]);
    expect(errors).toEqual([
      { line: 2, message: 'time "2026-02-30T10:00:00Z" is not a calendar date; without jurisdiction_code the place must be coordinates "lat,lon"; persons "-1" is not a whole number; vehicles "x" is not a whole number; result "caught" is not one of captured, not_captured, referred, other' },
      { line: 3, message: 'place latitude 91 is out of range [-90, 90]; a stop-and-check checks at least one person or vehicle' },
    ]);
  });
  it('refuses a header without the required columns', () => {
    expect(parseStopCheckCsv('time,place,result\n').errors).toEqual([{ line: 1, message: 'the header lacks the column(s) persons, vehicles (expected time,place,jurisdiction_code,persons,vehicles,result)' }]);
  });
});

describe('placeStopChecks', () => {
  const parsed = parseStopCheckCsv(['time,place,jurisdiction_code,persons,vehicles,result', '2026-03-01T10:00:00Z,"0.5,0.5",,1,0,captured', '2026-03-01T10:00:00Z,"0.5,1.5",A,1,0,captured', '2026-03-01T10:00:00Z,"0.5,1.5",,1,0,captured', '2026-03-01T10:00:00Z,"5,5",,1,0,captured'].join('\n')).rows;
  it('the row\'s own code wins over its point; without one the point is placed', () => {
    const { records, errors } = placeStopChecks(tree, parsed.slice(0, 3), undefined);
    expect(errors).toEqual([]);
    expect(records.map((r) => r.jurisdictionId)).toEqual([A, A, B]);
  });
  it('a point outside every node, a node outside the importer\'s subtree and an unknown code are bad rows', () => {
    const { errors } = placeStopChecks(tree, parsed, new Set([A]));
    expect(errors).toEqual([
      { line: 4, message: 'the place (0.5, 1.5) is outside your jurisdiction' },
      { line: 5, message: 'the place (5, 5) is outside every jurisdiction' },
    ]);
    const byCode = placeStopChecks(tree, parseStopCheckCsv('time,place,jurisdiction_code,persons,vehicles,result\n2026-03-01T10:00:00Z,x,B,1,0,other\n2026-03-01T10:00:00Z,x,Z,1,0,other\n').rows, new Set([A]));
    expect(byCode.errors.map((e) => e.message)).toEqual(['jurisdiction_code "B" is not a jurisdiction of yours', 'jurisdiction_code "Z" is not a jurisdiction of yours']);
  });
});

describe('population files', () => {
  it('CSV code,population: whole numbers, a repeated code is a bad row', () => {
    expect(parsePopulationCsv('population,code\n12000,A\n0,B\n1.5,C\n7,A\n')).toEqual({
      rows: [{ line: 2, code: 'A', population: 12000 }, { line: 3, code: 'B', population: 0 }],
      errors: [{ line: 4, message: 'population "1.5" is not a whole number' }, { line: 5, message: 'code "A" is repeated (first on line 2)' }],
    });
  });
  it('GeoJSON: the features that carry `population` (number or digits), others skipped', () => {
    const fc = { type: 'FeatureCollection', features: [{ properties: { code: 'A', population: 100 } }, { properties: { code: 'B' } }, { properties: { code: 'C', population: '250' } }, { properties: { code: 'E', population: -4 } }] };
    expect(populationsOfGeoJson(fc)).toEqual({ rows: [{ line: 1, code: 'A', population: 100 }, { line: 3, code: 'C', population: 250 }], errors: [{ line: 4, message: 'feature 4: properties.population "-4" is not a whole number' }] });
  });
});
