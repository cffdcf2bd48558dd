import { randomUUID } from 'node:crypto';
import type { Principal, Scope, ScopeService } from '@tiergate/access';
import { JurisdictionTree, type JurisdictionNode, TiergateError } from '@tiergate/domain';
import type { CameraRepository, NewRecordingRule, RecordingRulePatch, RecordingRuleRecord, RecordingsRepository } from '@tiergate/persistence';
import type { RecordingRulesEvents } from './recording-rules.events';
import { RecordingRulesService } from './recording-rules.service';

// district → station S (post P under it) and station O
const [D, S, P, O] = ['d', 's', 'p', 'o'].map(() => randomUUID());
const node = (id: string, parentId: string | null): JurisdictionNode => ({ id, code: id, name: id, tier: 't', parentId, boundary: null });
const tree = new JurisdictionTree([node(D, null), node(S, D), node(P, S), node(O, D)]);
const CAM_S = randomUUID();
const CAM_O = randomUUID();
const placements = new Map<string, string>([[CAM_S, S], [CAM_O, O]]);

/** recording_rules in memory: the part of RecordingsRepository the service uses. */
class FakeRules implements Pick<RecordingsRepository, 'createRule' | 'listRules' | 'getRule' | 'updateRule' | 'deleteRule'> {
  readonly rows: RecordingRuleRecord[] = [];
  async createRule(r: NewRecordingRule) {
    const row = { ...r, id: randomUUID(), createdAt: new Date(), updatedAt: new Date() };
    this.rows.push(row);
    return row;
  }
  async listRules(ids?: readonly string[]) {
    return this.rows.filter((r) => !ids || ids.includes(r.jurisdictionId));
  }
  async getRule(id: string) {
    return this.rows.find((r) => r.id === id);
  }
  async updateRule(id: string, patch: RecordingRulePatch) {
    const row = this.rows.find((r) => r.id === id);
    return row && Object.assign(row, patch, { updatedAt: new Date() });
  }
  async deleteRule(id: string) {
    const i = this.rows.findIndex((r) => r.id === id);
    if (i >= 0) this.rows.splice(i, 1);
    return i >= 0;
  }
}

function setup(principal: Principal) {
  const rules = new FakeRules();
  const home = principal.jurisdictionId;
  const scope: Scope = { all: home === null, jurisdictionIds: home ? new Set(tree.subtreeIds(home)) : new Set(), cameraIds: new Set() };
  const scopes = { scopeOf: async () => scope, administeredJurisdictionIds: async () => (home ? tree.subtreeIds(home) : undefined), tree: async () => tree };
  const cameras = { placementsOf: async (ids: readonly string[]) => ids.filter((id) => placements.has(id)).map((id) => ({ id, jurisdictionId: placements.get(id)! })) };
  const events = { changed: jest.fn(async () => undefined) };
  const service = new RecordingRulesService(rules as unknown as RecordingsRepository, cameras as unknown as CameraRepository, scopes as unknown as ScopeService, events as unknown as RecordingRulesEvents);
  return { service, rules, events };
}

const stationAdmin: Principal = { userId: randomUUID(), username: 's-admin', role: 'admin', jurisdictionId: S };
const code = async (p: Promise<unknown>) => p.then(() => 'ok', (e) => (e instanceof TiergateError ? e.code : String(e)));

describe('RecordingRulesService (fake repositories)', () => {
  it('creates a rule on the home node with the documented defaults, audits and announces it', async () => {
    const { service, rules, events } = setup(stationAdmin);
    const view = await service.create(stationAdmin, { name: ' garages ', target: { type: 'tag', value: 'garage' }, mode: 'buffer' });
    expect(view).toMatchObject({ name: 'garages', target: { type: 'tag', value: 'garage' }, mode: 'buffer', bufferMinutes: 5, profile: 'sub', retentionDays: 30, jurisdictionId: S, enabled: true, createdBy: stationAdmin.userId });
    expect(rules.rows).toHaveLength(1);
    expect(events.changed).toHaveBeenCalledWith(stationAdmin, 'rule-created', view.id, expect.objectContaining({ name: 'garages' }));
  });

  it("another station's node or camera is NOT_FOUND; a visible target outside the rule's node is VALIDATION_FAILED; nothing is saved", async () => {
    const { service, rules, events } = setup(stationAdmin);
    expect(await code(service.create(stationAdmin, { name: 'x', target: { type: 'jurisdiction', value: O }, mode: 'continuous', jurisdictionId: O }))).toBe('NOT_FOUND');
    expect(await code(service.create(stationAdmin, { name: 'x', target: { type: 'jurisdiction', value: O }, mode: 'continuous' }))).toBe('NOT_FOUND');
    expect(await code(service.create(stationAdmin, { name: 'x', target: { type: 'camera', value: CAM_O }, mode: 'continuous' }))).toBe('NOT_FOUND');
    expect(await code(service.create(stationAdmin, { name: 'x', target: { type: 'camera', value: 'not-a-uuid' }, mode: 'continuous' }))).toBe('NOT_FOUND');
    expect(await code(service.create(stationAdmin, { name: 'x', target: { type: 'camera', value: CAM_S }, mode: 'continuous', jurisdictionId: P }))).toBe('VALIDATION_FAILED');
    expect(await code(service.create(stationAdmin, { name: 'x', target: { type: 'jurisdiction', value: S }, mode: 'continuous', jurisdictionId: P }))).toBe('VALIDATION_FAILED');
    expect(rules.rows).toHaveLength(0);
    expect(events.changed).not.toHaveBeenCalled();
  });

  it('lists only the rules of nodes in scope; update and delete of another station rule are NOT_FOUND', async () => {
    const { service, rules } = setup(stationAdmin);
    const base = { targetType: 'tag' as const, targetValue: 'g', mode: 'continuous' as const, bufferMinutes: null, profile: 'sub' as const, retentionDays: 30, enabled: true, createdBy: null };
    const own = await rules.createRule({ ...base, name: 'own', jurisdictionId: P });
    const foreign = await rules.createRule({ ...base, name: 'foreign', jurisdictionId: O });
    expect((await service.list(stationAdmin)).map((r) => r.name)).toEqual(['own']);
    expect(await code(service.update(stationAdmin, foreign.id, { enabled: false }))).toBe('NOT_FOUND');
    expect(await code(service.delete(stationAdmin, foreign.id))).toBe('NOT_FOUND');
    expect(rules.rows.find((r) => r.id === foreign.id)?.enabled).toBe(true);
    expect(await code(service.delete(stationAdmin, own.id))).toBe('ok');
  });

  it('an update is checked as a whole: switching to continuous drops the buffer; moving the rule out of the home subtree is NOT_FOUND', async () => {
    const { service, events } = setup(stationAdmin);
    const rule = await service.create(stationAdmin, { name: 'b', target: { type: 'tag', value: 'g' }, mode: 'buffer', bufferMinutes: 20 });
    expect(await service.update(stationAdmin, rule.id, { mode: 'continuous', retentionDays: 90 })).toMatchObject({ mode: 'continuous', bufferMinutes: null, retentionDays: 90 });
    expect(await service.update(stationAdmin, rule.id, { mode: 'buffer' })).toMatchObject({ mode: 'buffer', bufferMinutes: 5 });
    expect(await code(service.update(stationAdmin, rule.id, { jurisdictionId: O }))).toBe('NOT_FOUND');
    expect(events.changed).toHaveBeenCalledWith(stationAdmin, 'rule-updated', rule.id, expect.objectContaining({ before: expect.objectContaining({ mode: 'buffer' }), after: expect.objectContaining({ mode: 'continuous' }) }));
  });

  it('the built-in admin (no home node) must name the owning node', async () => {
    const root: Principal = { userId: randomUUID(), username: 'admin', role: 'admin', jurisdictionId: null };
    const { service } = setup(root);
    expect(await code(service.create(root, { name: 'x', target: { type: 'tag', value: 'g' }, mode: 'continuous' }))).toBe('VALIDATION_FAILED');
    expect(await service.create(root, { name: 'x', target: { type: 'jurisdiction', value: O }, mode: 'continuous', jurisdictionId: D })).toMatchObject({ jurisdictionId: D });
  });
});
