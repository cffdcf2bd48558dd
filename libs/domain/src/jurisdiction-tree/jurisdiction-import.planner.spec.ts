import { TiergateError } from '../errors';
import type { Position } from '../geo';
import type { JurisdictionImportItem } from './jurisdiction-import.planner';
import { featuresOf, planJurisdictionImport } from './jurisdiction-import.planner';
import type { JurisdictionNode } from './jurisdiction-node.types';

const ring = (x0: number, y0: number, x1: number, y1: number): Position[] => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];
const feature = (props: Record<string, unknown>, geometry: unknown = { type: 'Polygon', coordinates: [ring(0, 0, 1, 1)] }) => ({
  type: 'Feature',
  properties: props,
  geometry,
});

const SB = '11010500000000000001'; // 20-digit GB/T 28181-style codes (beyond 2^53 as numbers)
const ST = '11010500000000000099';
const PO = '11010500000000000123';

function importError(fn: () => unknown): TiergateError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TiergateError);
    return e as TiergateError;
  }
  throw new Error('expected the import to be rejected');
}

/** Applies a plan the way a repository would, to test re-import idempotency. */
function apply(existing: JurisdictionNode[], items: JurisdictionImportItem[]): JurisdictionNode[] {
  const out = existing.map((n) => ({ ...n }));
  for (const item of items) {
    const parentId = item.parentCode === null ? null : out.find((n) => n.code === item.parentCode)!.id;
    const row = { code: item.code, name: item.name, tier: item.tier, parentId, boundary: item.boundary };
    if (item.action === 'create') out.push({ id: `id-${out.length}`, ...row });
    else Object.assign(out.find((n) => n.id === item.existingId)!, row);
  }
  return out;
}

describe('planJurisdictionImport', () => {
  const file = [
    feature({ code: PO, name: 'Post', tier: 'post', parentCode: ST }),
    feature({ code: ST, name: 'Station', tier: 'station', parentCode: SB }),
    feature({ code: SB, name: 'Sub-bureau', tier: 'sub-bureau' }),
  ];

  it('orders parents first whatever the file order, and keeps long codes intact', () => {
    const plan = planJurisdictionImport([], file);
    expect(plan.order.map((i) => i.code)).toEqual([SB, ST, PO]);
    expect(plan.creates).toHaveLength(3);
    expect(plan.updates).toHaveLength(0);
    expect(plan.order[2]).toMatchObject({ featureIndex: 0, parentCode: ST, action: 'create', changed: true, existingId: null });
  });

  it('is idempotent: a re-import is all unchanged updates; an edit is a changed update', () => {
    const stored = apply([], planJurisdictionImport([], file).order);
    const again = planJurisdictionImport(stored, file);
    expect(again.creates).toHaveLength(0);
    expect(again.updates.map((u) => [u.code, u.changed])).toEqual([[SB, false], [ST, false], [PO, false]]);
    expect(again.updates[0].existingId).toBe(stored.find((n) => n.code === SB)!.id);

    const edited = [...file];
    edited[0] = feature({ code: PO, name: 'Post renamed', tier: 'post', parentCode: ST });
    edited[1] = feature({ code: ST, name: 'Station', tier: 'station', parentCode: SB }, { type: 'Polygon', coordinates: [ring(0, 0, 2, 1)] });
    const third = planJurisdictionImport(stored, edited);
    expect(third.updates.map((u) => [u.code, u.changed])).toEqual([[SB, false], [ST, true], [PO, true]]);
  });

  it('accepts a parent that is already stored', () => {
    const stored: JurisdictionNode[] = [{ id: 'x', code: SB, name: 'SB', tier: 'sub-bureau', parentId: null, boundary: null }];
    const plan = planJurisdictionImport(stored, [feature({ code: ST, name: 'S', tier: 'station', parentCode: SB })]);
    expect(plan.creates.map((c) => c.code)).toEqual([ST]);
  });

  it('rejects an unknown parent', () => {
    const err = importError(() => planJurisdictionImport([], [feature({ code: 'A', name: 'A', tier: 'station', parentCode: 'ZZ' })]));
    expect(err.code).toBe('UNKNOWN_PARENT');
    expect(err.message).toMatch(/feature 0: parentCode ZZ/);
  });

  it('collects every problem of every feature in one error', () => {
    const bowTie = { type: 'Polygon', coordinates: [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]] };
    const err = importError(() =>
      planJurisdictionImport(
        [],
        [
          feature({ name: 'no code', tier: 'post' }),
          feature({ code: 'B', name: 'bad polygon', tier: 'post' }, bowTie),
          feature({ code: 'C', name: 'orphan', tier: 'post', parentCode: 'NOPE' }),
          feature({ code: 'D', tier: 42 }),
          feature({ code: 'C', name: 'dup', tier: 'post' }),
          'not a feature',
          feature({ code: 'E', name: 'open ring', tier: 'post' }, { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1]]] }),
        ],
      ),
    );
    expect(err.code).toBe('IMPORT_FAILED');
    const errors = (err.details as { errors: Array<{ feature: number; code: string; message: string }> }).errors;
    expect(errors.map((e) => [e.feature, e.code])).toEqual([
      [0, 'VALIDATION_FAILED'],
      [1, 'INVALID_GEOMETRY'],
      [2, 'UNKNOWN_PARENT'],
      [3, 'VALIDATION_FAILED'],
      [3, 'VALIDATION_FAILED'],
      [4, 'VALIDATION_FAILED'],
      [5, 'VALIDATION_FAILED'],
      [6, 'INVALID_GEOMETRY'],
    ]);
    expect(errors[0].message).toBe('feature 0: properties.code is missing');
    expect(errors[1].message).toMatch(/feature 1: geometry: .*intersects itself/);
    expect(errors[3].message).toBe('feature 3: properties.name is missing');
    expect(errors[4].message).toBe('feature 3: properties.tier must be a string');
    expect(errors[4 + 1].message).toMatch(/code C duplicates feature 2/);
    expect(errors[7].message).toMatch(/not closed/);
    expect(err.message).toMatch(/8 problem\(s\)/);
  });

  it('uses the single problem code when all problems share it', () => {
    const err = importError(() => planJurisdictionImport([], [feature({ code: 'A', name: 'A', tier: 't' }, { type: 'Point', coordinates: [0, 0] })]));
    expect(err.code).toBe('INVALID_GEOMETRY');
    expect(err.details).toEqual({ errors: [expect.objectContaining({ feature: 0, code: 'INVALID_GEOMETRY' })] });
  });

  it('detects cycles within the file and through stored nodes', () => {
    const inFile = importError(() =>
      planJurisdictionImport(
        [],
        [feature({ code: 'A', name: 'A', tier: 't', parentCode: 'B' }), feature({ code: 'B', name: 'B', tier: 't', parentCode: 'A' })],
      ),
    );
    expect(inFile.code).toBe('TREE_CYCLE');
    expect(inFile.message).toMatch(/A -> B -> A/);
    // Stored: R <- S (S child of R). The file moves R under S.
    const stored: JurisdictionNode[] = [
      { id: '1', code: 'R', name: 'R', tier: 't', parentId: null, boundary: null },
      { id: '2', code: 'S', name: 'S', tier: 't', parentId: '1', boundary: null },
    ];
    const viaStored = importError(() => planJurisdictionImport(stored, [feature({ code: 'R', name: 'R', tier: 't', parentCode: 'S' })]));
    expect(viaStored.code).toBe('TREE_CYCLE');
    const selfParent = importError(() => planJurisdictionImport([], [feature({ code: 'A', name: 'A', tier: 't', parentCode: 'A' })]));
    expect(selfParent.code).toBe('TREE_CYCLE');
  });

  it('does not call a parent unknown when it is in the file but invalid for another reason', () => {
    const err = importError(() =>
      planJurisdictionImport([], [feature({ code: 'P', tier: 't' }), feature({ code: 'C', name: 'C', tier: 't', parentCode: 'P' })]),
    );
    expect((err.details as { errors: unknown[] }).errors).toHaveLength(1);
    expect(err.code).toBe('VALIDATION_FAILED');
  });

  it('rejects unsafe numeric codes and empty files', () => {
    const err = importError(() => planJurisdictionImport([], [feature({ code: 11010500000000000001, name: 'A', tier: 't' })]));
    expect(err.message).toMatch(/must be quoted/);
    expect(planJurisdictionImport([], [feature({ code: 42, name: 'A', tier: 't' })]).order[0].code).toBe('42');
    expect(importError(() => planJurisdictionImport([], [])).code).toBe('VALIDATION_FAILED');
  });
});

describe('featuresOf', () => {
  it('takes the features of a FeatureCollection and rejects anything else', () => {
    expect(featuresOf({ type: 'FeatureCollection', features: [1] })).toEqual([1]);
    expect(() => featuresOf({ type: 'Feature' })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(() => featuresOf(null)).toThrow(TiergateError);
  });
});
