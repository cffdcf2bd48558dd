import { expandSchedule, JurisdictionNode, PatrolSchedule, PatrolStop, seededRandom, STOP_CHECK_RESULTS } from '@tiergate/domain';
import { CameraRepository, PatrolMarksRepository, PatrolRoundsRepository, PatrolRoutesRepository, UsersRepository } from '@tiergate/persistence';
import type { RunningProcess } from '@tiergate/platform';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** The demo's figures for the rates (docs/methods.md): how many of each, all from fixed seeds. */
export const DEMO_RATES = {
  /** Stop-and-checks over the year before the start. */
  stopChecks: 3000,
  /** Patrol routes per station that has cameras, and how many days of rounds lie behind them. */
  routesPerStation: 2,
  patrolDays: 3,
  /** Cameras (camera stops) per route at most. */
  stopsPerRoute: 3,
} as const;

export type DemoClient = (method: string, path: string, body: unknown, contentType?: string) => Promise<any>;

/**
 * The rest of the dashboard's inputs for a demo district just loaded: a population for every post (stations
 * and the sub-bureau roll up), a year of stop-and-checks and patrol routes per station with a week of rounds
 * behind them (three days: every round is a few statements, and the start should stay quick), on time, late,
 * incomplete and missed. Populations and the stop-and-check log go through the
 * public import API like an operator's files. Routes and rounds are history (created, started and finished in
 * the past), which the API cannot write (it stamps the time of the request), so they go through the patrol
 * repositories with the times given.
 */
export async function loadDemoRates(running: RunningProcess, client: DemoClient, nodes: readonly JurisdictionNode[], now = Date.now()): Promise<{ populations: number; stopChecks: number; routes: number; rounds: number }> {
  const random = seededRandom(16);
  const posts = nodes.filter((n) => n.tier === 'post');

  const populations = posts.map((p) => `${p.code},${5000 + Math.floor(random() * 25_000)}`);
  await client('POST', '/api/jurisdictions/population', ['code,population', ...populations].join('\n'), 'text/csv');

  // a year of stop-and-checks up to now, at random posts, mostly in the evening; ~6 % captured
  const checks: string[] = ['time,place,jurisdiction_code,persons,vehicles,result'];
  for (let k = 0; k < DEMO_RATES.stopChecks; k++) {
    const day = Math.floor(random() * 365);
    const at = new Date(now - (day + 1) * DAY_MS + Math.floor((random() < 0.6 ? 0.45 + random() * 0.45 : random()) * DAY_MS));
    const post = posts[Math.floor(random() * posts.length)];
    const vehicles = random() < 0.35 ? 1 : 0;
    const persons = vehicles === 1 && random() < 0.3 ? 0 : 1 + Math.floor(random() * 3);
    const result = random() < 0.06 ? 'captured' : STOP_CHECK_RESULTS[1 + Math.floor(random() * (STOP_CHECK_RESULTS.length - 1))];
    checks.push(`${at.toISOString()},Checkpoint ${1 + Math.floor(random() * 6)} of ${post.code},${post.code},${persons},${vehicles},${result}`);
  }
  const imported = await client('POST', '/api/stop-checks/import', checks.join('\n'), 'text/csv');

  const patrol = await loadPatrolHistory(running, nodes, random, now);
  return { populations: populations.length, stopChecks: imported.created, ...patrol };
}

/**
 * Two routes per station that has cameras (up to `stopsPerRoute` of them as camera stops, 20 s each), created
 * `patrolDays` ago:
 * the day route every 3 h 08:00–20:00 and the night route every 4 h 20:00–04:00 (patrol.timeZone). Each past
 * planned time gets, by a seeded draw: a round on time with every stop marked (~65 %), late (~12 %), on time
 * but finished with a stop unmarked (~8 %), or none, missed (~15 %); the planned times still to come stay
 * pending.
 */
async function loadPatrolHistory(running: RunningProcess, nodes: readonly JurisdictionNode[], random: () => number, now: number): Promise<{ routes: number; rounds: number }> {
  const routesRepo = running.app.get(PatrolRoutesRepository);
  const roundsRepo = running.app.get(PatrolRoundsRepository);
  const marksRepo = running.app.get(PatrolMarksRepository);
  const admin = await running.app.get(UsersRepository).builtInAdmin();
  const zone = running.infra.config.patrol.timeZone;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const stationOf = (id: string | null): string | null => {
    for (let n = id === null ? undefined : byId.get(id); n; n = n.parentId === null ? undefined : byId.get(n.parentId)) if (n.tier === 'station') return n.id;
    return null;
  };
  const camerasOf = new Map<string, string[]>();
  for (const c of await running.app.get(CameraRepository).placementsWithTags()) {
    const station = stationOf(c.jurisdictionId);
    if (station !== null) camerasOf.set(station, [...(camerasOf.get(station) ?? []), c.id]);
  }
  const schedules: Array<{ name: string; schedule: PatrolSchedule }> = [
    { name: 'Day patrol', schedule: { kind: 'interval', everyMinutes: 180, from: '08:00', to: '20:00' } },
    { name: 'Night patrol', schedule: { kind: 'interval', everyMinutes: 240, from: '20:00', to: '04:00' } },
  ];
  const createdAt = new Date(now - DEMO_RATES.patrolDays * DAY_MS);
  let routes = 0;
  let rounds = 0;
  for (const station of nodes.filter((n) => n.tier === 'station')) {
    const cameraIds = (camerasOf.get(station.id) ?? []).slice(0, DEMO_RATES.stopsPerRoute);
    if (cameraIds.length === 0) continue;
    const stops: PatrolStop[] = cameraIds.map((cameraId) => ({ kind: 'camera', cameraId, dwellSeconds: 20 }));
    for (const { name, schedule } of schedules.slice(0, DEMO_RATES.routesPerStation)) {
      const route = await routesRepo.create({ name: `${name}, ${station.name}`, jurisdictionId: station.id, stops, schedule, createdBy: admin?.id ?? null, createdAt });
      routes++;
      for (const plannedAt of expandSchedule(schedule, { fromMs: createdAt.getTime(), toMs: now }, zone)) {
        const draw = random();
        if (draw < 0.15) continue; // missed (or still pending when it is less than an hour old)
        const late = draw < 0.27;
        const incomplete = !late && draw < 0.35;
        const startedAt = plannedAt + (late ? 20 + Math.floor(random() * 40) : Math.floor(random() * 10) - 3) * MINUTE_MS;
        const finishedAt = startedAt + (2 + stops.length) * MINUTE_MS;
        if (finishedAt > now) continue;
        const round = await roundsRepo.create({
          routeId: route.id,
          jurisdictionId: station.id,
          plannedAt: new Date(plannedAt),
          startedAt: new Date(startedAt),
          startedBy: admin?.id ?? null,
          startedByName: 'admin',
          stops: stops.map((s, i) => ({ ...s, cameraIds: [cameraIds[i]] })),
        });
        if (!round) continue;
        rounds++;
        const marked = incomplete && stops.length > 1 ? stops.length - 1 : stops.length;
        for (let i = 0; i < marked; i++) {
          await marksRepo.upsert({ roundId: round.id, stopIndex: i, cameraId: cameraIds[i], result: 'normal', note: null, snapshotUrl: null, markedBy: admin?.id ?? null, markedByName: 'admin', markedAt: new Date(startedAt + (i + 1) * MINUTE_MS) });
        }
        await roundsRepo.finish(round.id, admin?.id ?? null, new Date(finishedAt));
      }
    }
  }
  return { routes, rounds };
}
