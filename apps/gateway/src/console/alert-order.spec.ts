import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { locateConsoleDir } from './console-assets';

/** apps/gateway/console/alert-order.js, evaluated as the browser loads it (see device-tree-model.spec.ts). */
const EXPORTS = ['alertOrder', 'alertDwellSeconds', 'MIN_DWELL_SECONDS'];
function load(): Record<string, any> {
  const source = readFileSync(join(locateConsoleDir(), 'alert-order.js'), 'utf8');
  expect(source).not.toMatch(/^\s*import\s/m);
  const context: { result?: Record<string, any> } = {};
  runInNewContext(`${source.replace(/^export /gm, '')}\nresult = { ${EXPORTS.join(', ')} };`, context);
  return context.result!;
}

const { alertOrder, alertDwellSeconds } = load();
const cam = (id: string, tags: string[] = []) => ({ id, tags });
const wall = [cam('a'), cam('b', ['garage']), cam('c'), cam('d', ['school', 'garage']), cam('e', ['school']), cam('f'), cam('g', ['garage'])];
const ids = (list: Array<{ id: string } | null>) => list.map((c) => c?.id ?? null);
const raised = { hotspotsFirst: true, priorityTags: ['garage'], dwellFactor: 0.5, hotspotCameraIds: ['f', 'x-not-on-wall', 'b', 'a'] };

describe('alertOrder (console/alert-order.js)', () => {
  it('hotspot cameras first in hotspotCameraIds order, then the priority-tagged ones, then the rest, each in the wall order', () => {
    expect(ids(alertOrder(wall, raised))).toEqual(['f', 'b', 'a', 'd', 'g', 'c', 'e']);
  });

  it('a hotspot camera with a priority tag counts once, among the hotspot cameras; ids not on the wall are ignored', () => {
    const out = alertOrder(wall, raised);
    expect(out).toHaveLength(wall.length);
    expect(new Set(ids(out)).size).toBe(wall.length);
  });

  it('any of several priority tags; hotspotsFirst false ignores hotspotCameraIds; level 1 or no effects leaves the order', () => {
    expect(ids(alertOrder(wall, { ...raised, hotspotsFirst: false, priorityTags: ['school', 'garage'] }))).toEqual(['b', 'd', 'e', 'g', 'a', 'c', 'f']);
    expect(ids(alertOrder(wall, { hotspotsFirst: false, priorityTags: [], dwellFactor: 1, hotspotCameraIds: [] }))).toEqual(ids(wall));
    expect(ids(alertOrder(wall, null))).toEqual(ids(wall));
  });

  it('does not change its input; cameras without tags and empty tiles go with the rest', () => {
    const input = [null, cam('a'), { id: 'n' }, cam('b', ['garage'])];
    const before = ids(input);
    expect(ids(alertOrder(input, { ...raised, hotspotCameraIds: ['a'] }))).toEqual(['a', 'b', null, 'n']);
    expect(ids(input)).toEqual(before);
  });
});

describe('alertDwellSeconds', () => {
  it('the dwell times the factor, whole seconds, at least 3', () => {
    expect(alertDwellSeconds(20, { dwellFactor: 0.5 })).toBe(10);
    expect(alertDwellSeconds(20, { dwellFactor: 0.75 })).toBe(15);
    expect(alertDwellSeconds(5, { dwellFactor: 0.5 })).toBe(3);
    expect(alertDwellSeconds(20, null)).toBe(20);
    expect(alertDwellSeconds(20, { dwellFactor: 1 })).toBe(20);
  });
});
