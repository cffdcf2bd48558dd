import { JurisdictionTree, Polygon } from '@tiergate/domain';
import { ownershipErrors, placeIncidents } from './incident-placement';

const box = (w: number, s: number, e: number, n: number): Polygon => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const tree = new JurisdictionTree([
  { id: 'root', code: '00', name: 'r', tier: 't', parentId: null, boundary: box(0, 0, 10, 10) },
  { id: 'west', code: '01', name: 'w', tier: 't', parentId: 'root', boundary: box(0, 0, 5, 10) },
  { id: 'east', code: '02', name: 'e', tier: 't', parentId: 'root', boundary: box(5, 0, 10, 10) },
]);
const row = (line: number, id: string, lon: number, lat: number) => ({ line, id, type: 'burglary' as const, occurredAt: new Date(0), lat, lon });

describe('placeIncidents', () => {
  it('assigns the deepest node (a border to the smaller code) and reports points outside, within the home subtree when given', () => {
    const rows = [row(2, 'a', 1, 1), row(3, 'b', 5, 1), row(4, 'c', 7, 1), row(5, 'd', 20, 1)];
    const all = placeIncidents(tree, rows, undefined);
    expect(all.records.map((r) => [r.id, r.jurisdictionId])).toEqual([['a', 'west'], ['b', 'west'], ['c', 'east']]);
    expect(all.errors).toEqual([{ line: 5, message: 'the point (1, 20) is outside every jurisdiction' }]);
    const west = placeIncidents(tree, rows, 'west');
    expect(west.records.map((r) => r.id)).toEqual(['a', 'b']);
    expect(west.errors.map((e) => e.line)).toEqual([4, 5]);
    expect(west.errors[0].message).toBe('the point (1, 7) is outside your jurisdiction');
  });
});

describe('ownershipErrors', () => {
  it('refuses ids stored outside what the importer administers, or unassigned; the built-in admin overwrites anything', () => {
    const { records } = placeIncidents(tree, [row(2, 'a', 1, 1), row(3, 'b', 2, 1), row(4, 'c', 3, 1), row(5, 'new', 4, 1)], undefined);
    const owners = new Map<string, string | null>([['a', 'west'], ['b', 'east'], ['c', null]]);
    const lineOf = new Map(records.map((r, i) => [r.id, i + 2]));
    expect(ownershipErrors(records, owners, new Set(['west']), lineOf).map((e) => e.line)).toEqual([3, 4]);
    expect(ownershipErrors(records, owners, undefined, lineOf)).toEqual([]);
  });
});
