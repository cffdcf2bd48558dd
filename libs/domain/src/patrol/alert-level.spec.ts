import { JurisdictionTree, type JurisdictionNode } from '../jurisdiction-tree';
import { effectiveAlertLevel, effectsOf, raisedInterval, type AlertEffectsTable, type OwnAlertLevel } from './alert-level';

const node = (id: string, parentId: string | null): JurisdictionNode => ({ id, code: id, name: id, tier: 't', parentId, boundary: null });
const tree = new JurisdictionTree([node('D', null), node('S', 'D'), node('P', 'S'), node('O', 'D')]);
const own = (jurisdictionId: string, level: 1 | 2 | 3, expiresAtMs: number | null = null): [string, OwnAlertLevel] => [jurisdictionId, { jurisdictionId, level, reason: `r-${jurisdictionId}`, expiresAtMs }];
const NOW = 1_000_000;

describe('effective alert level', () => {
  it('is 1 with nothing set; a station level reaches its posts, not its sibling', () => {
    const levels = new Map([own('S', 2)]);
    expect(effectiveAlertLevel(tree, 'P', new Map(), NOW)).toEqual({ level: 1, sourceJurisdictionId: null, reason: null, expiresAtMs: null });
    expect(effectiveAlertLevel(tree, 'P', levels, NOW)).toMatchObject({ level: 2, sourceJurisdictionId: 'S', reason: 'r-S' });
    expect(effectiveAlertLevel(tree, 'O', levels, NOW).level).toBe(1);
  });

  it('is the highest of the node and its ancestors: a post cannot go below the district', () => {
    expect(effectiveAlertLevel(tree, 'P', new Map([own('D', 3), own('P', 2)]), NOW)).toMatchObject({ level: 3, sourceJurisdictionId: 'D' });
    expect(effectiveAlertLevel(tree, 'P', new Map([own('D', 2), own('P', 3)]), NOW)).toMatchObject({ level: 3, sourceJurisdictionId: 'P' });
    expect(effectiveAlertLevel(tree, 'P', new Map([own('D', 2), own('S', 2)]), NOW)).toMatchObject({ level: 2, sourceJurisdictionId: 'S' });
  });

  it('an expired level counts as 1 (expiry exactly now is expired)', () => {
    expect(effectiveAlertLevel(tree, 'S', new Map([own('S', 3, NOW)]), NOW).level).toBe(1);
    expect(effectiveAlertLevel(tree, 'S', new Map([own('S', 3, NOW + 1)]), NOW).level).toBe(3);
  });

  it('effects come from the table; level 1 changes nothing; intervals shrink by the factor', () => {
    const table: AlertEffectsTable = {
      2: { hotspotsFirst: true, priorityTags: ['garage'], dwellFactor: 0.75, patrolIntervalFactor: 0.5, alertPostPcs: false },
      3: { hotspotsFirst: true, priorityTags: ['garage'], dwellFactor: 0.5, patrolIntervalFactor: 0.25, alertPostPcs: true },
    };
    expect(effectsOf(1, table)).toMatchObject({ hotspotsFirst: false, dwellFactor: 1, patrolIntervalFactor: 1 });
    expect(raisedInterval(120, effectsOf(2, table))).toBe(60);
    expect(raisedInterval(120, effectsOf(3, table))).toBe(30);
    expect(raisedInterval(2, effectsOf(3, table))).toBe(1);
  });
});
