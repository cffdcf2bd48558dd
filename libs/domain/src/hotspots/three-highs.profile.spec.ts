import { PointGridIndex, nearestWithin } from './nearest.search';
import { hourWeekdayProfile, rollUpCounts, topAreas, typeMix } from './three-highs.profile';

describe('hourWeekdayProfile', () => {
  it('bins by local weekday (Monday = 0) and hour in the given offset', () => {
    const profile = hourWeekdayProfile([
      { occurredAt: new Date('2026-11-29T16:30:00Z') }, // Sunday 16:30 UTC = Monday 00:30 in UTC+8
      { occurredAt: new Date('2026-11-29T15:59:59Z') }, // Sunday 23:59 in UTC+8
      { occurredAt: '2026-11-24T09:00:00+08:00' }, // Tuesday 09:00
      { occurredAt: new Date('invalid') },
    ]);
    expect(profile).toHaveLength(7);
    expect(profile.every((row) => row.length === 24)).toBe(true);
    expect(profile[0][0]).toBe(1);
    expect(profile[6][23]).toBe(1);
    expect(profile[1][9]).toBe(1);
    expect(profile.flat().reduce((a, b) => a + b, 0)).toBe(3);
    const utc = hourWeekdayProfile([{ occurredAt: new Date('2026-11-29T16:30:00Z') }], 0);
    expect(utc[6][16]).toBe(1);
  });
});

describe('typeMix and topAreas', () => {
  it('ranks types by count with shares, ties by name', () => {
    const mix = typeMix([{ type: 'burglary' }, { type: 'bike_theft' }, { type: 'burglary' }, { type: 'robbery' }]);
    expect(mix).toEqual([
      { type: 'burglary', count: 2, share: 0.5 },
      { type: 'bike_theft', count: 1, share: 0.25 },
      { type: 'robbery', count: 1, share: 0.25 },
    ]);
    expect(typeMix([])).toEqual([]);
  });

  it('ranks areas from a map or a record and cuts to a limit', () => {
    expect(topAreas(new Map([['a', 1], ['b', 5], ['c', 4]]), 2)).toEqual([
      { id: 'b', count: 5, share: 0.5 },
      { id: 'c', count: 4, share: 0.4 },
    ]);
    expect(topAreas({ x: 0 })).toEqual([{ id: 'x', count: 0, share: 0 }]);
  });

  it('rolls counts up to ancestors', () => {
    const parents: Record<string, string[]> = { post1: ['st', 'sb'], post2: ['st', 'sb'], st: ['sb'], sb: [] };
    const rolled = rollUpCounts(new Map([['post1', 2], ['post2', 3], ['st', 1]]), (id) => parents[id]);
    expect(Object.fromEntries(rolled)).toEqual({ post1: 2, post2: 3, st: 6, sb: 6 });
  });
});

describe('nearestWithin and PointGridIndex', () => {
  const cams = [
    { id: 'far', x: 600, y: 0 },
    { id: 'b', x: 0, y: 300 },
    { id: 'a', x: 300, y: 0 },
    { id: 'edge', x: 0, y: -500 },
    { id: 'near', x: 10, y: 10 },
  ];

  it('returns ids within the radius (inclusive), nearest first, ties by id', () => {
    expect(nearestWithin({ x: 0, y: 0 }, cams, 500)).toEqual(['near', 'a', 'b', 'edge']);
    expect(nearestWithin({ x: 0, y: 0 }, cams, 5)).toEqual([]);
  });

  it('gives the same answers through the bucket index', () => {
    const index = new PointGridIndex(cams, 250);
    for (const [x, y, r] of [[0, 0, 500], [450, 0, 200], [-1000, -1000, 100], [0, 0, 5000]]) {
      expect(index.within({ x, y }, r)).toEqual(nearestWithin({ x, y }, cams, r));
    }
    expect(() => new PointGridIndex(cams, 0)).toThrow(RangeError);
  });
});
