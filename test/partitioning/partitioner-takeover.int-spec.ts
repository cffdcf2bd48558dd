import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { AccessSnapshotMessage, AccessTopics, Topics } from '@tiergate/contracts';
import { MqttBus } from '@tiergate/messaging';
import { createScratchDatabase, ScratchDatabase } from '@tiergate/persistence';

const ROOT = join(__dirname, '..', '..');
const SECRET = 'takeover-test-secret-key-0123456789';
const external = process.env.TIERGATE_TEST_MODE === 'external';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, ms: number): Promise<T | undefined> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = await probe();
    if (v !== undefined) return v;
    await sleep(100);
  }
  return undefined;
}

/** A partitioner as its own process (the TypeScript sources through test/support/ts-register.js). */
function startPartitioner(databaseUrl: string, name: string): { proc: ChildProcess; log: () => string; ready: Promise<void> } {
  let log = '';
  const proc = spawn(process.execPath, ['-r', join(ROOT, 'test', 'support', 'ts-register.js'), join(ROOT, 'apps', 'partitioner', 'src', 'main.ts')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/root',
      DATABASE_URL: databaseUrl,
      MQTT_URL: process.env.MQTT_URL!,
      TIERGATE_SECRET_KEY: SECRET,
      TIERGATE_ADMIN_PASSWORD: 'takeover-admin-password',
      TIERGATE_DATA_DIR: 'memory://',
      TIERGATE_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout!.on('data', (b) => (log += b));
  proc.stderr!.on('data', (b) => (log += b));
  const ready = (async () => {
    const ok = await until(() => (/Tiergate partitioner started/.test(log) ? true : proc.exitCode !== null ? false : undefined), 90_000);
    if (!ok) throw new Error(`${name} did not start: ${log.slice(-1500)}`);
  })();
  return { proc, log: () => log, ready };
}

/**
 * Several partitioners may run; exactly one acts (the lease). Killing the acting one (SIGKILL: no
 * goodbye, its lease simply stops being renewed) hands reassignment and the access snapshot to the
 * other within 10 s. Needs a database server both processes share: external mode only.
 */
(external ? describe : describe.skip)('partitioning: the other partitioner takes over', () => {
  let scratch: ScratchDatabase;
  let pg: Client;
  let bus: MqttBus;
  const children: ChildProcess[] = [];
  const snapshots: AccessSnapshotMessage[] = [];

  beforeAll(async () => {
    scratch = await createScratchDatabase(process.env.DATABASE_URL!);
    bus = await MqttBus.connect(process.env.MQTT_URL!, `takeover-test-${process.pid}`, { secretKey: SECRET });
    await bus.subscribe(AccessTopics.snapshot, (_t, m) => snapshots.push(m as AccessSnapshotMessage));
  }, 60_000);
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await pg?.end().catch(() => undefined);
    await bus?.close().catch(() => undefined);
    await scratch?.drop();
  });

  it('moves reassignment and scope publishing to the survivor within 10 s', async () => {
    const first = startPartitioner(scratch.url, 'partitioner-1');
    children.push(first.proc);
    await first.ready;
    const second = startPartitioner(scratch.url, 'partitioner-2');
    children.push(second.proc);
    await second.ready;
    pg = new Client({ connectionString: scratch.url });
    await pg.connect();

    const holderNow = async () => (await pg.query(`SELECT holder FROM leases WHERE name = 'partitioner' AND "expiresAt" > now()`)).rows[0]?.holder as string | undefined;
    const acting = await until(holderNow, 15_000);
    expect(acting).toBeDefined();
    const actingPid = Number(/-(\d+)-[0-9a-f]{8}$/.exec(acting!)![1]);
    const [victim, survivor] = actingPid === first.proc.pid ? [first, second] : [second, first];
    expect([first.proc.pid, second.proc.pid]).toContain(actingPid);
    expect(await until(() => snapshots.find((s) => s.compiledBy === acting), 10_000)).toBeDefined();

    // A camera in no jurisdiction's place, and a grant, both made while nobody acts.
    await pg.query(`INSERT INTO jurisdictions (id, code, name, tier, "parentId", boundary) VALUES
      ('00000000-0000-4000-8000-0000000000a1', 'T1', 'T1', 'station', NULL, '{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}'::jsonb)`);
    victim.proc.kill('SIGKILL');
    const killedAt = Date.now();
    const cam = (await pg.query(`INSERT INTO cameras (name, lon, lat, tags) VALUES ('stray', 0.5, 0.5, '{}') RETURNING id`)).rows[0].id as string;
    const grant = (
      await pg.query(`INSERT INTO access_grants ("cameraId", "granteeJurisdictionId", "startsAt", "expiresAt") VALUES ($1, '00000000-0000-4000-8000-0000000000a1', now(), now() + interval '1 hour') RETURNING id`, [cam])
    ).rows[0].id as string;
    await bus.publish(Topics.jurisdictionsChanged, { reason: 'import', at: new Date().toISOString() }, { qos: 1 });

    const newHolder = await until(async () => {
      const h = await holderNow();
      return h && h !== acting ? h : undefined;
    }, 10_000);
    expect(newHolder).toBeDefined();
    expect(Number(/-(\d+)-[0-9a-f]{8}$/.exec(newHolder!)![1])).toBe(survivor.proc.pid);
    // The survivor published a snapshot with the new grant, and placed the stray camera.
    const published = await until(() => snapshots.find((s) => s.compiledBy === newHolder && s.grants.some((g) => g.id === grant)), 10_000 - (Date.now() - killedAt));
    expect(published).toBeDefined();
    expect(published!.version).toBeGreaterThan(Math.max(...snapshots.filter((s) => s.compiledBy === acting).map((s) => s.version)));
    const placed = await until(async () => ((await pg.query(`SELECT "jurisdictionId" FROM cameras WHERE id = $1`, [cam])).rows[0].jurisdictionId as string | null) ?? undefined, 10_000 - (Date.now() - killedAt));
    expect(placed).toBe('00000000-0000-4000-8000-0000000000a1');
    expect(Date.now() - killedAt).toBeLessThan(10_000);
  }, 240_000);
});
