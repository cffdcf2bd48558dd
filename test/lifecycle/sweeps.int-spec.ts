import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { DiscoveryModule } from '../../apps/discovery/src/discovery.module';
import { INTERRUPTED_REASON, SweepReaper, UNCLAIMED_REASON } from '../../apps/discovery/src/sweep/sweep.reaper';
import { createScratchDatabase, openDatabase, ScratchDatabase } from '@tiergate/persistence';
import { startTestProcess, TestProcess } from '../support/harness';

const external = process.env.TIERGATE_TEST_MODE === 'external';

/** A sweep row as a discovery process would have left it, last written `ageSeconds` ago (database clock). */
async function seed(db: DataSource, state: string, ageSeconds: number): Promise<string> {
  const [{ id }] = await db.query(
    `INSERT INTO discovery_sweeps (state, params, "createdAt", "updatedAt") VALUES ($1, '{"multicast":false,"ports":[80]}', now() - make_interval(secs => $2), now() - make_interval(secs => $2)) RETURNING id`,
    [state, ageSeconds],
  );
  return id;
}
const stateOf = async (db: DataSource, id: string) =>
  (await db.query(`SELECT state, error, "finishedAt" IS NOT NULL AS finished FROM discovery_sweeps WHERE id = $1`, [id]))[0];

describe('lifecycle: sweeps left open by a stopped discovery process', () => {
  it('are failed with a reason when discovery starts; a sweep another live process runs is left alone', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tg-sweeps-'));
    const scratch: ScratchDatabase | undefined = external ? await createScratchDatabase(process.env.DATABASE_URL!, 'tiergate_sweeps') : undefined;
    const target = { url: scratch?.url ?? '', dataDir };
    let tg: TestProcess | undefined;
    try {
      // What the previous discovery process left: a sweep it was running when it was killed a minute ago,
      // one another (live) discovery process is running right now, one nobody claimed, and a finished one.
      const before = await openDatabase(target);
      const ids = {
        crashed: await seed(before.dataSource, 'running', 60),
        live: await seed(before.dataSource, 'running', 1),
        unclaimed: await seed(before.dataSource, 'queued', 600),
        justQueued: await seed(before.dataSource, 'queued', 2),
        done: await seed(before.dataSource, 'done', 3600),
      };
      await before.close();

      tg = await startTestProcess({ name: 'discovery', modules: [DiscoveryModule], http: false }, { 'database.url': target.url, dataDir });
      const db = tg.running.app.get(DataSource);
      expect(await stateOf(db, ids.crashed)).toEqual({ state: 'failed', error: INTERRUPTED_REASON, finished: true });
      expect(await stateOf(db, ids.unclaimed)).toEqual({ state: 'failed', error: UNCLAIMED_REASON, finished: true });
      expect(await stateOf(db, ids.live)).toEqual({ state: 'running', error: null, finished: false });
      expect(await stateOf(db, ids.justQueued)).toEqual({ state: 'queued', error: null, finished: false });
      expect(await stateOf(db, ids.done)).toEqual({ state: 'done', error: null, finished: false });

      // A running sweep whose owner dies while this process runs is closed by a later round.
      await db.query(`UPDATE discovery_sweeps SET "updatedAt" = now() - interval '45 seconds' WHERE id = $1`, [ids.live]);
      expect(await tg.running.app.get(SweepReaper).reap()).toBe(1);
      expect(await stateOf(db, ids.live)).toEqual({ state: 'failed', error: INTERRUPTED_REASON, finished: true });
    } finally {
      await tg?.stop();
      await scratch?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("a running sweep's progress writes keep it alive (the heartbeat)", async () => {
    const tg = await startTestProcess({ name: 'discovery', modules: [DiscoveryModule], http: false });
    try {
      const db = tg.running.app.get(DataSource);
      const id = await seed(db, 'running', 45);
      // What SweepRunner.report does every 250 ms: a progress write through the repository.
      await db.getRepository('DiscoverySweepEntity').update({ id, state: 'running' }, { progress: 0.5 });
      expect(await tg.running.app.get(SweepReaper).reap()).toBe(0);
      expect((await stateOf(db, id)).state).toBe('running');
    } finally {
      await tg.stop();
    }
  });
});
