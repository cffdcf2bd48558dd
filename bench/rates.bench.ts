/**
 * The rates end to end (issue 16): a gateway process on embedded PGlite (or a scratch database on
 * DATABASE_URL's server), the demo-size district (14 stations × 8 posts), 3,000 cameras, a year of 100,000
 * incidents and 50,000 stop-and-checks (and as many again the year before, so the comparisons have data),
 * 20,000 viewing sessions; then `GET /api/rates` for the whole tree over that year (the built-in admin: the
 * sub-bureau and its stations, each rolled up) and for one station with its posts, over HTTP, median of 7.
 * Run: `npm run bench:rates`. Writes bench/results/rates.json.
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { Logger } from '@nestjs/common';
import { loadConfig } from '@tiergate/config';
import { JurisdictionTreeCache } from '@tiergate/jurisdictions';
import { generateCameraPoints, generateDistrict, generateIncidents, seededRandom, STOP_CHECK_RESULTS } from '@tiergate/domain';
import { CameraEntity, CameraRepository, ViewSessionsRepository, createScratchDatabase, describeUrl, IncidentRepository, JurisdictionEntity, StopChecksRepository, Transactor, ViewSessionEntity } from '@tiergate/persistence';
import { startProcess } from '@tiergate/platform';
import { GatewayModule } from '../apps/gateway/src/gateway.module';

const INCIDENTS_PER_YEAR = 100_000;
const STOP_CHECKS_PER_YEAR = 50_000;
const CAMERAS = 3000;
const SESSIONS = 20_000;
const RUNS = 7;
const PASSWORD = 'bench-admin-password';
const YEAR_START = new Date('2025-01-01T00:00:00+08:00');
const YEAR_END = new Date('2026-01-01T00:00:00+08:00');
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (v: number) => Math.round(v * 10) / 10;

/** The three reads as they were before the one-pass rewrite (for the before/after figures of one run). */
const BEFORE = {
  incidents: `SELECT p.k, i."jurisdictionId", i.type, count(*) AS count
       FROM incidents i JOIN unnest($1::timestamptz[], $2::timestamptz[]) WITH ORDINALITY AS p(f, t, k) ON i."occurredAt" >= p.f AND i."occurredAt" < p.t
      WHERE i."jurisdictionId" IS NOT NULL AND i."occurredAt" >= (SELECT min(x) FROM unnest($1::timestamptz[]) x) AND i."occurredAt" < (SELECT max(x) FROM unnest($2::timestamptz[]) x)
      GROUP BY 1, 2, 3`,
  stopChecks: `SELECT p.k, s."jurisdictionId", count(*) AS checks, count(*) FILTER (WHERE s.result = 'captured') AS captures
       FROM stop_checks s JOIN unnest($1::timestamptz[], $2::timestamptz[]) WITH ORDINALITY AS p(f, t, k) ON s."checkedAt" >= p.f AND s."checkedAt" < p.t
      WHERE s."jurisdictionId" IS NOT NULL AND s."checkedAt" >= (SELECT min(x) FROM unnest($1::timestamptz[]) x) AND s."checkedAt" < (SELECT max(x) FROM unnest($2::timestamptz[]) x)
      GROUP BY 1, 2`,
  sessions: `SELECT "cameraId", (extract(epoch FROM "startedAt") * 1000)::float8::text AS s, (extract(epoch FROM "endedAt") * 1000)::float8::text AS e
       FROM view_sessions WHERE "startedAt" < $2 AND "endedAt" > $1`,
};

async function main(): Promise<void> {
  Logger.overrideLogger(['error', 'warn']);
  const serverUrl = process.env.DATABASE_URL;
  const scratch = serverUrl ? await createScratchDatabase(serverUrl, 'tiergate_bench') : undefined;
  const config = loadConfig({
    env: {},
    overrides: { 'http.port': 0, dataDir: 'memory://', 'database.url': scratch?.url ?? '', 'mqtt.url': process.env.MQTT_URL ?? '', 'auth.adminPassword': PASSWORD, 'auth.secretKey': 'rates-bench-secret-key', 'log.level': 'warn' },
  });
  const running = await startProcess(config, { name: 'gateway', modules: [GatewayModule], http: true });
  try {
    const dataSource = running.infra.database.dataSource;
    const district = generateDistrict({ stations: 14, postsPerStation: 8, seed: 1 });
    const ids = new Map<string, string>();
    for (const f of district.features) {
      const id = randomUUID();
      ids.set(f.properties.code, id);
      await dataSource.getRepository(JurisdictionEntity).insert({ id, code: f.properties.code, name: f.properties.name, tier: f.properties.tier, parentId: f.properties.parentCode ? ids.get(f.properties.parentCode)! : null, boundary: f.geometry });
    }
    running.app.get(JurisdictionTreeCache).invalidate();
    const posts = district.features.filter((f) => f.properties.tier === 'post');
    const postIds = posts.map((p) => ids.get(p.properties.code)!);
    const t0seed = process.hrtime.bigint();

    // cameras, placed by the generator's expected post
    const cameraPoints = generateCameraPoints(district, CAMERAS, 3);
    const cameraRows = cameraPoints.map((c) => ({ id: randomUUID(), name: c.name, lon: c.lon, lat: c.lat, jurisdictionId: ids.get(c.expectedCode) ?? null, tags: c.tags, profiles: [] }));
    for (let k = 0; k < cameraRows.length; k += 1000) await dataSource.getRepository(CameraEntity).insert(cameraRows.slice(k, k + 1000));

    // incidents: the year measured and the year before; each assigned to a random post (the rates read assignments only)
    const random = seededRandom(7);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    const transactor = new Transactor(dataSource);
    const incidentRepo = running.app.get(IncidentRepository);
    const checksRepo = running.app.get(StopChecksRepository);
    for (const [end, prefix] of [[YEAR_END, 'y'], [YEAR_START, 'p']] as const) {
      const generated = generateIncidents({ district, count: INCIDENTS_PER_YEAR, years: 1, end, seed: prefix === 'y' ? 5 : 6, idPrefix: prefix });
      await transactor.run((tx) => incidentRepo.upsertAll(generated.map((g) => ({ id: g.id, type: g.type, occurredAt: new Date(g.occurredAt), lat: g.lat, lon: g.lon, jurisdictionId: pick(postIds) })), tx));
      const start = end.getTime() - 365 * 86_400_000;
      const checks = Array.from({ length: STOP_CHECKS_PER_YEAR }, () => ({
        checkedAt: new Date(start + random() * 365 * 86_400_000),
        place: 'bench',
        lat: null,
        lon: null,
        jurisdictionId: pick(postIds),
        persons: 1,
        vehicles: random() < 0.3 ? 1 : 0,
        result: random() < 0.04 ? 'captured' : pick(STOP_CHECK_RESULTS.slice(1)),
      }));
      await transactor.run((tx) => checksRepo.insertAll(checks, null, tx));
      // as the import services do after a bulk import commits
      await incidentRepo.analyzeAfterImport(INCIDENTS_PER_YEAR);
      await checksRepo.analyzeAfterImport(STOP_CHECKS_PER_YEAR);
    }
    // viewing sessions: 20,000 over the year, 3 to 60 minutes each, on random cameras
    const sessions = Array.from({ length: SESSIONS }, () => {
      const startedAt = YEAR_START.getTime() + random() * 365 * 86_400_000;
      return { userId: randomUUID(), cameraId: pick(cameraRows).id, profile: 'sub', startedAt: new Date(startedAt), endedAt: new Date(startedAt + (3 + random() * 57) * 60_000) };
    });
    for (let k = 0; k < sessions.length; k += 2000) await dataSource.getRepository(ViewSessionEntity).insert(sessions.slice(k, k + 2000));
    const seedMs = ms(t0seed);

    const login = await fetch(`${running.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
    const token = ((await login.json()) as { accessToken: string }).accessToken;
    const query = `from=${encodeURIComponent(YEAR_START.toISOString())}&to=${encodeURIComponent(YEAR_END.toISOString())}`;
    const call = async (extra: string) => {
      const cpu0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      const res = await fetch(`${running.url}/api/rates?${query}${extra}`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await res.json()) as { children: Array<{ incidentDecline: Array<{ type: string; current: number }>; stopCheckCapture: { current: { checks: number } } }> };
      if (res.status !== 200) throw new Error(`GET /api/rates answered ${res.status}: ${JSON.stringify(body)}`);
      const cpu = process.cpuUsage(cpu0);
      return { ms: ms(t0), cpuMs: (cpu.user + cpu.system) / 1000, body };
    };
    const wholeTree: number[] = [];
    const wholeTreeCpu: number[] = [];
    let first = await call('');
    for (let k = 0; k < RUNS; k++) {
      first = await call('');
      wholeTree.push(first.ms);
      wholeTreeCpu.push(first.cpuMs);
    }
    // each read on its own (sequential), wall ms: where the time goes
    const periods = [
      { from: YEAR_START, to: YEAR_END },
      { from: new Date(YEAR_START.getTime() - (YEAR_END.getTime() - YEAR_START.getTime())), to: YEAR_START },
      { from: new Date('2023-12-31T16:00:00Z'), to: new Date('2024-12-31T16:00:00Z') },
    ];
    const step = async (f: () => Promise<unknown>) => {
      const times: number[] = [];
      for (let k = 0; k < RUNS; k++) {
        const t0 = process.hrtime.bigint();
        await f();
        times.push(ms(t0));
      }
      return round(median(times));
    };
    const steps = {
      incidentsMs: await step(() => incidentRepo.countsPerJurisdictionAndType(periods)),
      stopChecksMs: await step(() => checksRepo.countsPerJurisdiction(periods)),
      sessionsMs: await step(() => running.app.get(ViewSessionsRepository).overlapping(periods[2].from, YEAR_END)),
      camerasMs: await step(() => running.app.get(CameraRepository).placementsWithTags()),
    };
    // the same reads as they were before issue 16's rework (rows joined to the periods; one row per session), same run
    const froms = periods.map((p) => p.from.toISOString());
    const tos = periods.map((p) => p.to.toISOString());
    const stepsBefore = {
      incidentsMs: await step(() => dataSource.query(BEFORE.incidents, [froms, tos])),
      stopChecksMs: await step(() => dataSource.query(BEFORE.stopChecks, [froms, tos])),
      sessionsMs: await step(() => dataSource.query(BEFORE.sessions, [periods[2].from.toISOString(), YEAR_END.toISOString()])),
    };
    if (process.env.RATES_BENCH_EXPLAIN === '1') {
      const explain = async (name: string, sql: string, params: unknown[]) => {
        const plan = (await dataSource.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params)) as Array<Record<string, string>>;
        console.log(`--- ${name}\n${plan.map((r) => r['QUERY PLAN']).join('\n')}`);
      };
      await explain('incidents, before', BEFORE.incidents, [froms, tos]);
      await explain('stop-checks, before', BEFORE.stopChecks, [froms, tos]);
      // the statements the repositories send now, caught on their way to the data source
      const original = dataSource.query.bind(dataSource);
      const caught: Array<[string, unknown[]]> = [];
      (dataSource as { query: unknown }).query = async (sql: string, params?: unknown[]) => (caught.push([sql, params ?? []]), original(sql, params));
      try {
        await incidentRepo.countsPerJurisdictionAndType(periods);
        await checksRepo.countsPerJurisdiction(periods);
        await running.app.get(ViewSessionsRepository).overlapping(periods[2].from, YEAR_END);
      } finally {
        (dataSource as { query: unknown }).query = original;
      }
      for (const [k, [sql, params]] of caught.entries()) await explain(`${['incidents', 'stop-checks', 'sessions'][k] ?? k}, now`, sql, params);
    }
    const station = district.features.find((f) => f.properties.tier === 'station')!;
    const stationRuns: number[] = [];
    for (let k = 0; k < RUNS; k++) stationRuns.push((await call(`&jurisdictionId=${ids.get(station.properties.code)}`)).ms);
    const root = first.body.children[0];
    const result = {
      jurisdictions: district.features.length,
      cameras: CAMERAS,
      incidentsInYear: root.incidentDecline.find((d) => d.type === 'all')!.current,
      incidentsTotal: 2 * INCIDENTS_PER_YEAR,
      stopChecksInYear: root.stopCheckCapture.current.checks,
      stopChecksTotal: 2 * STOP_CHECKS_PER_YEAR,
      viewingSessions: SESSIONS,
      seedMs: round(seedMs),
      wholeTreeMedianMs: round(median(wholeTree)),
      wholeTreeRunsMs: wholeTree.map(round),
      wholeTreeMedianCpuMs: round(median(wholeTreeCpu)),
      steps,
      stepsBefore,
      loadAverage1m: round(loadavg()[0]),
      cores: cpus().length,
      stationMedianMs: round(median(stationRuns)),
      budgetMs: 1000,
      withinBudget: median(wholeTree) <= 1000,
    };
    const report = { date: new Date().toISOString(), database: serverUrl ? `postgres ${describeUrl(serverUrl)}` : 'embedded PGlite', server: serverUrl !== undefined, node: process.version, result };
    // dist/bench/ when built (npm run bench:rates), bench/ when run from source
    const dir = resolve(__dirname, ...(__dirname.includes(`${sep}dist${sep}`) ? ['..', '..'] : ['..']), 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, serverUrl ? 'rates.postgres.json' : 'rates.json');
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    console.log(JSON.stringify(report, null, 2));
    console.log(`written to ${file}`);
  } finally {
    await running.stop();
    await scratch?.drop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
