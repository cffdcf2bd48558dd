import { CameraPlacements, type CameraPlacement } from './camera-placements';

function fakeReader(rows: CameraPlacement[]) {
  const db = new Map(rows.map((r) => [r.id, r.jurisdictionId]));
  const calls = { all: 0, some: [] as string[][] };
  return {
    db,
    calls,
    reader: {
      all: async () => (calls.all++, [...db].map(([id, jurisdictionId]) => ({ id, jurisdictionId }))),
      some: async (ids: readonly string[]) => (calls.some.push([...ids]), ids.filter((id) => db.has(id)).map((id) => ({ id, jurisdictionId: db.get(id)! }))),
    },
  };
}

describe('CameraPlacements', () => {
  it('answers from memory after one load, whatever the number of lookups', async () => {
    const f = fakeReader([{ id: 'c1', jurisdictionId: 'A' }, { id: 'c2', jurisdictionId: null }]);
    const p = new CameraPlacements(f.reader);
    for (let i = 0; i < 100; i++) {
      expect(await p.nodeOf('c1')).toBe('A');
      expect(await p.nodeOf('c2')).toBeNull();
    }
    expect(f.calls).toEqual({ all: 1, some: [] });
  });

  it('reads an unknown camera once for concurrent callers, and remembers a missing one until a refresh', async () => {
    const f = fakeReader([]);
    const p = new CameraPlacements(f.reader);
    await p.load();
    f.db.set('new', 'B');
    expect(await Promise.all([p.nodeOf('new'), p.nodeOf('new'), p.nodeOf('new')])).toEqual(['B', 'B', 'B']);
    expect(await p.nodeOf('gone')).toBeUndefined();
    expect(await p.nodeOf('gone')).toBeUndefined();
    expect(f.calls.some).toEqual([['new'], ['gone']]);
    f.db.set('gone', 'C');
    await p.refresh(['gone']);
    expect(await p.nodeOf('gone')).toBe('C');
  });

  it('follows a move and a deletion named by a notice, and keeps what a deleted camera was until then', async () => {
    const f = fakeReader([{ id: 'c1', jurisdictionId: 'A' }]);
    const p = new CameraPlacements(f.reader);
    await p.load();
    f.db.set('c1', 'B');
    await p.refresh(['c1']);
    expect(await p.nodeOf('c1')).toBe('B');
    f.db.delete('c1');
    expect(p.known(['c1'])).toEqual([{ id: 'c1', jurisdictionId: 'B' }]);
    await p.refresh(['c1']);
    expect(p.known(['c1'])).toEqual([]);
  });

  it('reloads everything after reloadAll (a tree import moved cameras)', async () => {
    const f = fakeReader([{ id: 'c1', jurisdictionId: 'A' }]);
    const p = new CameraPlacements(f.reader);
    await p.load();
    f.db.set('c1', 'Z');
    await p.reloadAll();
    expect(await p.nodeOf('c1')).toBe('Z');
    expect(f.calls.all).toBe(2);
  });
});
