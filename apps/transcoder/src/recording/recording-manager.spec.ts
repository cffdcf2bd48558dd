import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordingPlanMessage } from '@tiergate/contracts';
import { FakeClock } from '../testing/fake-clock';
import { RecordingManager, type RecordingSessions } from './recording-manager';
import { NodeRecordingFs } from './recording-fs';
import { RecordingStorage } from './recording-storage';
import { FakeFeed, FakeIndex } from './testing/fake-feed';

const CAM = 'cam-1';
const plan = (version: number, entries: RecordingPlanMessage['entries']): RecordingPlanMessage => ({ version, compiledAt: '', compiledBy: 'test', entries });

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'rec-manager-'));
  const clock = new FakeClock();
  const feed = new FakeFeed(() => clock.now());
  const pins: string[] = [];
  const ensured: string[] = [];
  let running = false;
  const sessions: RecordingSessions = {
    workerId: 'w1',
    ensureOrThrow: async (r) => {
      ensured.push(`${r.cameraId}/${r.profile} ${r.sourceUrl}`);
      running = true;
      if (!feed.init) feed.newInit(1);
    },
    feedOf: () => (running ? feed : undefined),
    pin: (c, p, why) => pins.push(`pin ${c}/${p} ${why}`),
    unpin: (c, p, why) => pins.push(`unpin ${c}/${p} ${why}`),
  };
  const index = new FakeIndex();
  const fs = new NodeRecordingFs();
  const storage = new RecordingStorage({ id: 'r0', path: dir, quotaBytes: 1e12 }, fs, 0, () => clock.now());
  const published: { topic: string; payload: any }[] = [];
  const manager = new RecordingManager({
    sessions, storages: [storage], fs, index, clock, segmentSeconds: 4, pruneIntervalMs: 60_000,
    sourceOf: async (k) => ({ sourceUrl: `rtsp://sim/${k.cameraId}`, transcode: false }),
    publish: (topic, payload) => void published.push({ topic, payload }),
  });
  let n = 0;
  const play = async (seconds: number) => {
    for (let i = 0; i < seconds * 2; i++) {
      await clock.advance(500);
      feed.frag(n++ % 2 === 0);
    }
    await manager.recorderOf({ cameraId: CAM, profile: 'sub' })?.flushed();
  };
  return { dir, clock, feed, pins, ensured, index, manager, published, play, viewerOpened: () => (running = true), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('RecordingManager', () => {
  it('continuous entry assigned here: ensures and pins the session, records; a newer buffer plan unpins and keeps recording with the buffer keepUntil; an older plan is ignored; the entry gone stops it', async () => {
    const t = setup();
    await t.manager.start();
    t.manager.onPlan(plan(5, [{ cameraId: CAM, profile: 'sub', mode: 'continuous', retentionDays: 2, workerId: 'w1', ruleIds: ['a'] }]));
    await t.clock.advance(10);
    expect(t.ensured).toEqual([`${CAM}/sub rtsp://sim/${CAM}`]);
    expect(t.pins).toEqual([`pin ${CAM}/sub recording`]);
    await t.play(8.5);
    expect(t.index.rows.map((r) => r.keepUntil.getTime() - r.endAt.getTime())).toEqual([2 * 86_400_000, 2 * 86_400_000]);
    t.manager.onPlan(plan(6, [{ cameraId: CAM, profile: 'sub', mode: 'buffer', bufferMinutes: 3, retentionDays: 2, ruleIds: ['a'] }]));
    expect(t.pins).toEqual([`pin ${CAM}/sub recording`, `unpin ${CAM}/sub recording`]);
    t.manager.onPlan(plan(4, [])); // older: ignored
    await t.play(8);
    expect(t.index.rows.slice(2).map((r) => r.keepUntil.getTime() - r.endAt.getTime())).toEqual([3 * 60_000, 3 * 60_000]);
    t.manager.onPlan(plan(7, []));
    await new Promise((r) => setTimeout(r, 200)); // the last segment's real file write
    await t.clock.advance(10);
    expect(t.manager.states()).toEqual([]);
    const last = t.published.filter((p) => p.topic.endsWith(`/${CAM}/sub/state`)).pop()!;
    expect(last.payload).toEqual(expect.objectContaining({ state: 'stopped', workerId: 'w1', reason: 'not in the plan' }));
    expect(t.index.rows).toHaveLength(5); // the segment being built was written at the stop
    await t.manager.stop();
    t.cleanup();
  });

  it('continuous entry for another worker: not recorded here; buffer entry: recorded only while a viewer\'s session runs', async () => {
    const t = setup();
    await t.manager.start();
    t.manager.onPlan(plan(1, [{ cameraId: CAM, profile: 'sub', mode: 'continuous', retentionDays: 2, workerId: 'w2', ruleIds: ['a'] }]));
    await t.clock.advance(6000);
    expect(t.ensured).toEqual([]);
    expect(t.manager.states()).toEqual([]);
    t.manager.onPlan(plan(2, [{ cameraId: CAM, profile: 'sub', mode: 'buffer', bufferMinutes: 5, retentionDays: 2, ruleIds: ['a'] }]));
    await t.clock.advance(6000);
    expect(t.ensured).toEqual([]);
    t.viewerOpened();
    t.feed.newInit(1);
    t.manager.onSessionReady(CAM, 'sub');
    await t.play(4.5);
    expect(t.index.rows).toHaveLength(1);
    expect(t.index.rows[0]!.keepUntil.getTime() - t.index.rows[0]!.endAt.getTime()).toBe(5 * 60_000);
    expect(t.manager.storageOffer()).toEqual({ roots: [expect.objectContaining({ id: 'r0', quotaBytes: 1e12, usedBytes: t.index.rows[0]!.bytes + 'init-1'.length })] });
    await t.manager.stop();
    t.cleanup();
  });
});
