import { randomUUID } from 'node:crypto';
import type { Principal } from '@tiergate/access';
import { TiergateError } from '@tiergate/domain';
import type { AlertLevelsRepository, CameraRepository } from '@tiergate/persistence';
import type { HotspotParams, HotspotsService } from '../hotspots/hotspots.service';
import { AlertLevelsService } from './alert-levels.service';
import { CAM_O, CAM_P, CAM_P2, CAM_S, D, FakeAlertLevels, FakeClock, fakeCameras, fakeEvents, fakeScopes, O, P, S } from './patrol.fakes';
import type { PatrolEvents } from './patrol.events';
import type { PatrolClock, PatrolPolicy } from './patrol.policy';

const effects = {
  2: { hotspotsFirst: true, priorityTags: ['garage'], dwellFactor: 0.75, patrolIntervalFactor: 0.5, alertPostPcs: false },
  3: { hotspotsFirst: true, priorityTags: ['garage'], dwellFactor: 0.5, patrolIntervalFactor: 0.25, alertPostPcs: true },
};
const policy = { effects } as unknown as PatrolPolicy;
const code = async (p: Promise<unknown>) => p.then(() => 'ok', (e) => (e instanceof TiergateError ? e.code : String(e)));
const who = (jurisdictionId: string | null, role: Principal['role'] = 'operator'): Principal => ({ userId: randomUUID(), username: `${role}-${jurisdictionId}`, role, jurisdictionId });

/** Cells as HotspotsService.analyse answers them (z descending), each with its nearby visible cameras. */
const cell = (z: number, confidence: string, cameras: string[]) => ({ x: 0, y: 0, count: 1, z, p: 0, confidence, centre: { lat: 0, lon: 0 }, cameras });
const hotCells = [cell(3, 'hot-99', [CAM_P2, CAM_O]), cell(2.2, 'hot-95', [CAM_S, CAM_P2]), cell(1.8, 'hot-90', [CAM_P]), cell(-2.5, 'cold-95', [CAM_P])];

function setup(principal: Principal, levels = new FakeAlertLevels(), clock = new FakeClock(1_000_000)) {
  const events = fakeEvents();
  const hotspots = { analyse: jest.fn(async (_p: Principal, _q: HotspotParams) => ({ cellSize: 250, radius: 500, n: 4, cells: hotCells })) };
  const service = new AlertLevelsService(levels as unknown as AlertLevelsRepository, fakeScopes(principal), events as unknown as PatrolEvents, policy, clock as unknown as PatrolClock,
    hotspots as unknown as HotspotsService, fakeCameras as unknown as CameraRepository);
  return { service, events, levels, clock, hotspots };
}

describe('AlertLevelsService (fakes)', () => {
  it('a station raises its own level: stored, audited, published retained; its post inherits it with the effects; its sibling stays at 1', async () => {
    const station = who(S);
    const { service, events, levels } = setup(station);
    const view = await service.set(station, S, { level: 2, reason: ' festival ' });
    expect(view).toMatchObject({ jurisdictionId: S, own: { level: 2, reason: 'festival', expiresAt: null, expired: false }, effective: { level: 2, sourceJurisdictionId: S } });
    expect(events.audited).toHaveBeenCalledWith(station, 'alert-level.set', 'jurisdiction', S, expect.objectContaining({ before: null, after: expect.objectContaining({ level: 2 }) }));
    expect(events.alertLevel).toHaveBeenCalledWith(expect.objectContaining({ jurisdictionId: S, level: 2, reason: 'festival' }));
    expect(await service.effects(station, P)).toEqual({ jurisdictionId: P, level: 2, sourceJurisdictionId: S, effects: effects[2], hotspotCameraIds: [CAM_P2] });
    const admin = setup(who(null, 'admin'), levels).service;
    expect((await admin.effects(who(null, 'admin'), O)).level).toBe(1);
  });

  it('hotspot cameras: those of hot-95/99 cells by z, each once, of the subtree only, from the last 90 days; none at level 1', async () => {
    const station = who(S);
    const { service, hotspots, clock } = setup(station);
    expect((await service.effects(station, S)).hotspotCameraIds).toEqual([]);
    expect(hotspots.analyse).not.toHaveBeenCalled();
    await service.set(station, S, { level: 3, reason: 'raid' });
    expect((await service.effects(station, S)).hotspotCameraIds).toEqual([CAM_P2, CAM_S]);
    const [, params] = hotspots.analyse.mock.calls[0];
    expect(params).toEqual({ jurisdictionId: S, from: new Date(clock.ms - 90 * 86_400_000), to: new Date(clock.ms) });
  });

  it("another station's node is NOT_FOUND like a missing one, and nothing is stored; a post operator cannot set its station", async () => {
    const station = who(S);
    const { service, levels, events } = setup(station);
    expect(await code(service.set(station, O, { level: 3, reason: 'x' }))).toBe('NOT_FOUND');
    expect(await code(service.set(station, randomUUID(), { level: 3, reason: 'x' }))).toBe('NOT_FOUND');
    expect(await code(service.set(station, D, { level: 3, reason: 'x' }))).toBe('NOT_FOUND');
    expect(await code(setup(who(P), levels).service.set(who(P), S, { level: 3, reason: 'x' }))).toBe('NOT_FOUND');
    expect(await code(service.get(station, O))).toBe('NOT_FOUND');
    expect(levels.rows.size).toBe(0);
    expect(events.audited).not.toHaveBeenCalled();
  });

  it('the command centre above sets any node below; the effective level is the highest; expiry returns to 1', async () => {
    const centre = who(D);
    const { service, levels, clock } = setup(centre);
    await service.set(centre, S, { level: 2, reason: 'station' });
    await service.set(centre, D, { level: 3, reason: 'district', expiresAt: new Date(clock.ms + 60_000) });
    expect((await service.get(centre, P)).effective).toMatchObject({ level: 3, sourceJurisdictionId: D, reason: 'district' });
    clock.ms += 60_000;
    expect((await service.get(centre, P)).effective).toMatchObject({ level: 2, sourceJurisdictionId: S });
    expect((await service.get(centre, D)).own).toMatchObject({ level: 3, expired: true });
    expect((await service.get(centre, D)).effective.level).toBe(1);
    expect(await code(service.set(centre, S, { level: 2, reason: 'x', expiresAt: new Date(clock.ms) }))).toBe('VALIDATION_FAILED');
    expect(levels.rows.get(S)?.level).toBe(2);
  });
});
