import { JurisdictionTree } from '../jurisdiction-tree';
import type { JurisdictionNode } from '../jurisdiction-tree';
import { assignWorkers, planRecordings, type PlanCamera, type PlanEntry, type PlanRule, type StorageOffer } from './recording-plan';

// sub-bureau sb → stations sw, se → post pe (under se)
const node = (id: string, parentId: string | null): JurisdictionNode => ({ id, code: id, name: id, tier: 't', parentId, boundary: null });
const tree = new JurisdictionTree([node('sb', null), node('sw', 'sb'), node('se', 'sb'), node('pe', 'se')]);

const cameras: PlanCamera[] = [
  { id: 'c-w1', jurisdictionId: 'sw', tags: ['garage'] },
  { id: 'c-e1', jurisdictionId: 'se', tags: ['garage', 'gate'] },
  { id: 'c-p1', jurisdictionId: 'pe', tags: ['garage', 'garage'] },
  { id: 'c-none', jurisdictionId: null, tags: ['garage'] },
];

let n = 0;
const rule = (fields: Partial<PlanRule>): PlanRule => ({
  id: `r${++n}`,
  targetType: 'jurisdiction',
  targetValue: 'sb',
  mode: 'continuous',
  bufferMinutes: null,
  profile: 'sub',
  retentionDays: 30,
  jurisdictionId: 'sb',
  enabled: true,
  ...fields,
});

describe('planRecordings', () => {
  it('a jurisdiction rule covers its subtree; a camera without a node is never recorded', () => {
    const r = rule({ targetValue: 'se', jurisdictionId: 'se', retentionDays: 7 });
    expect(planRecordings([r], cameras, tree)).toEqual([
      { cameraId: 'c-e1', profile: 'sub', mode: 'continuous', retentionDays: 7, ruleIds: [r.id] },
      { cameraId: 'c-p1', profile: 'sub', mode: 'continuous', retentionDays: 7, ruleIds: [r.id] },
    ]);
  });

  it("a tag rule takes the tagged cameras inside the rule's own subtree only", () => {
    const r = rule({ targetType: 'tag', targetValue: 'garage', jurisdictionId: 'se' });
    expect(planRecordings([r], cameras, tree).map((e) => e.cameraId)).toEqual(['c-e1', 'c-p1']);
  });

  it("a camera or jurisdiction target outside the rule's subtree matches nothing; so do disabled rules and rules of a node gone", () => {
    const plan = planRecordings(
      [
        rule({ targetType: 'camera', targetValue: 'c-w1', jurisdictionId: 'se' }),
        rule({ targetType: 'jurisdiction', targetValue: 'sw', jurisdictionId: 'se' }),
        rule({ enabled: false }),
        rule({ jurisdictionId: 'gone', targetValue: 'gone' }),
        rule({ targetType: 'camera', targetValue: 'c-missing', jurisdictionId: 'sb' }),
      ],
      cameras,
      tree,
    );
    expect(plan).toEqual([]);
  });

  it('per stream: continuous wins over buffer, the longest retention, all rule ids sorted; profiles are separate entries', () => {
    const buffer = rule({ id: 'b', targetType: 'tag', targetValue: 'garage', mode: 'buffer', bufferMinutes: 10, retentionDays: 90 });
    const continuous = rule({ id: 'a', targetType: 'camera', targetValue: 'c-e1', retentionDays: 14 });
    const main = rule({ id: 'm', targetType: 'camera', targetValue: 'c-e1', mode: 'buffer', bufferMinutes: 3, profile: 'main' });
    const e1 = planRecordings([buffer, continuous, main], cameras, tree).filter((e) => e.cameraId === 'c-e1');
    expect(e1).toEqual([
      { cameraId: 'c-e1', profile: 'main', mode: 'buffer', bufferMinutes: 3, retentionDays: 30, ruleIds: ['m'] },
      { cameraId: 'c-e1', profile: 'sub', mode: 'continuous', retentionDays: 90, ruleIds: ['a', 'b'] },
    ]);
  });

  it('buffer-only streams keep the largest buffer of their rules', () => {
    const plan = planRecordings(
      [rule({ id: 'x', mode: 'buffer', bufferMinutes: 5 }), rule({ id: 'y', targetType: 'tag', targetValue: 'gate', mode: 'buffer', bufferMinutes: 20 })],
      cameras,
      tree,
    );
    expect(plan.find((e) => e.cameraId === 'c-e1')).toEqual({ cameraId: 'c-e1', profile: 'sub', mode: 'buffer', bufferMinutes: 20, retentionDays: 30, ruleIds: ['x', 'y'] });
    expect(plan.find((e) => e.cameraId === 'c-w1')).toMatchObject({ mode: 'buffer', bufferMinutes: 5, ruleIds: ['x'] });
  });
});

describe('assignWorkers', () => {
  const entry = (cameraId: string, mode: PlanEntry['mode'] = 'continuous'): PlanEntry => ({ cameraId, profile: 'sub', mode, retentionDays: 30, ruleIds: ['r'] });
  const offer = (workerId: string, freeBytes: number, load = 0, alive = true): StorageOffer => ({ workerId, freeBytes, load, alive });

  it('the first stream goes to the most free bytes; ties by lowest load, then by id; buffer entries get no worker', () => {
    expect(assignWorkers([entry('a')], [offer('w1', 100), offer('w2', 300), offer('w3', 200)])[0].workerId).toBe('w2');
    expect(assignWorkers([entry('a')], [offer('w1', 300, 5), offer('w2', 300, 2), offer('w3', 300, 2)])[0].workerId).toBe('w2');
    expect(assignWorkers([entry('a', 'buffer')], [offer('w1', 300)])[0].workerId).toBeUndefined();
  });

  it('spreads new streams in proportion to free bytes (free / (1 + streams))', () => {
    const plan = assignWorkers(['a', 'b', 'c', 'd'].map((c) => entry(c)), [offer('big', 300), offer('small', 100)]);
    // big 300 → a; big 150 vs small 100 → b to big; big 100 vs small 100 (tie, loads equal, id) → big; then small 100 vs big 75 → small
    expect(plan.map((e) => e.workerId)).toEqual(['big', 'big', 'big', 'small']);
  });

  it('sticky: a stream stays with its alive worker even when another has more room; a dead or storage-less one loses it', () => {
    const previous = [{ ...entry('a'), workerId: 'w1' }, { ...entry('b'), workerId: 'dead' }, { ...entry('c'), workerId: 'gone' }];
    const plan = assignWorkers([entry('a'), entry('b'), entry('c')], [offer('w1', 10), offer('w2', 1000), offer('dead', 5000, 0, false)], previous);
    expect(plan.map((e) => e.workerId)).toEqual(['w1', 'w2', 'w2']);
  });

  it('no alive offer: continuous entries stay unassigned; the input is not changed', () => {
    const input = [{ ...entry('a'), workerId: 'old' }];
    expect(assignWorkers(input, [offer('w1', 100, 0, false)])[0].workerId).toBeUndefined();
    expect(input[0].workerId).toBe('old');
  });
});
