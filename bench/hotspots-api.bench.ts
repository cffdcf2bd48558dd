/**
 * Hotspots end to end through the services (no HTTP): the demo district (14 stations x 8 posts),
 * 100,000 incidents inside one station imported through the import service (parse, locate, batched
 * upserts), 300 cameras, then the station analyst's hotspot analysis (SQL query of the positions +
 * Gi* + cameras near each cell) and the "three highs" summary, median of 5 runs each.
 * Runs on embedded PGlite, or on a fresh database created on DATABASE_URL's server (dropped after).
 * Run: `npm run build && node dist/bench/hotspots-api.bench.js`. Writes bench/results/hotspots-api.json.
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessSnapshots, Principal, ScopeService, StreamTokens, TokenSigner } from '@tiergate/access';
import { JurisdictionTreeCache } from '@tiergate/jurisdictions';
import type { TiergateConfig } from '@tiergate/config';
import { DistrictFeatureCollection, generateCameraPoints, generateDistrict, generateIncidents, incidentsToCsv } from '@tiergate/domain';
import type { MqttBus } from '@tiergate/messaging';
import { CameraEntity, CameraRepository, GrantsRepository, IncidentRepository, JurisdictionEntity, JurisdictionsRepository, Transactor } from '@tiergate/persistence';
import { AnalysisScopeResolver } from '../apps/gateway/src/incidents/analysis-scope.resolver';
import { IncidentImportEvents } from '../apps/gateway/src/incidents/incident-import.events';
import { IncidentsService } from '../apps/gateway/src/incidents/incidents.service';
import { HotspotsService } from '../apps/gateway/src/hotspots/hotspots.service';
import { runOnBenchDatabase } from './support/bench-database';

const INCIDENTS = 100_000;
const CAMERAS = 300;
const RUNS = 5;
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (v: number) => Math.round(v * 10) / 10;


async function run(dataSource: DataSource) {
  const district = generateDistrict({ stations: 14, postsPerStation: 8, seed: 1 });
  const ids = new Map<string, string>();
  for (const f of district.features) {
    const id = randomUUID();
    ids.set(f.properties.code, id);
    await dataSource.getRepository(JurisdictionEntity).insert({
      id,
      code: f.properties.code,
      name: f.properties.name,
      tier: f.properties.tier,
      parentId: f.properties.parentCode ? ids.get(f.properties.parentCode)! : null,
      boundary: f.geometry,
    });
  }
  const station = district.features.find((f) => f.properties.tier === 'station')!;
  const stationDistrict: DistrictFeatureCollection = {
    type: 'FeatureCollection',
    features: district.features.filter((f) => f.properties.code === station.properties.code || f.properties.parentCode === station.properties.code),
  };
  const posts = stationDistrict.features.filter((f) => f.properties.tier === 'post');
  const garages = posts.slice(0, 3).map((p) => ({ lon: (p.bbox[0] + p.bbox[2]) / 2, lat: (p.bbox[1] + p.bbox[3]) / 2, share: 0.02 }));
  const incidents = generateIncidents({ district: stationDistrict, count: INCIDENTS, seed: 5, plantedHotspots: garages });
  const cameras = generateCameraPoints(stationDistrict, CAMERAS, 3);
  const byCode = new Map(posts.map((p) => [p.properties.code, ids.get(p.properties.code)!]));
  await dataSource.getRepository(CameraEntity).insert(
    cameras.map((c) => ({ name: c.name, lon: c.lon, lat: c.lat, jurisdictionId: byCode.get(c.expectedCode) ?? null, tags: c.tags, profiles: [] })),
  );

  const bus = { subscribe: async () => async () => undefined, publish: async () => undefined } as unknown as MqttBus;
  const cache = new JurisdictionTreeCache(new JurisdictionsRepository(dataSource), bus);
  const snapshots = new AccessSnapshots(new GrantsRepository(dataSource), bus, cache, new StreamTokens(new TokenSigner('bench-secret-key', 'stream'), 120));
  await snapshots.onModuleInit();
  const scopes = new ScopeService(new CameraRepository(dataSource), cache, snapshots);
  const resolver = new AnalysisScopeResolver(scopes);
  const repo = new IncidentRepository(dataSource);
  const config = { analysis: { utcOffsetMinutes: 480 } } as TiergateConfig;
  const importer = new IncidentsService(repo, new Transactor(dataSource), scopes, resolver, new IncidentImportEvents(), { limits: { importIncidentRows: 10_000_000 } } as TiergateConfig);
  const hotspots = new HotspotsService(resolver, repo, new CameraRepository(dataSource), scopes, config);

  const admin: Principal = { userId: randomUUID(), username: 'bench-admin', role: 'admin', jurisdictionId: null };
  const analyst: Principal = { userId: randomUUID(), username: 'bench-analyst', role: 'analyst', jurisdictionId: ids.get(station.properties.code)! };

  const csv = incidentsToCsv(incidents);
  let t0 = process.hrtime.bigint();
  const imported = await importer.import(admin, csv, 'csv');
  const importMs = ms(t0);
  if (imported.created !== INCIDENTS) throw new Error(`expected ${INCIDENTS} created, got ${imported.created}`);

  const analyse: number[] = [];
  let last = { n: 0, cells: [] as unknown[] };
  for (let k = 0; k < RUNS; k++) {
    t0 = process.hrtime.bigint();
    last = await hotspots.analyse(analyst, {});
    analyse.push(ms(t0));
  }
  const bikeTheft: number[] = [];
  for (let k = 0; k < RUNS; k++) {
    t0 = process.hrtime.bigint();
    await hotspots.analyse(analyst, { type: 'bike_theft', from: new Date('2025-01-01T00:00:00Z') });
    bikeTheft.push(ms(t0));
  }
  const summary: number[] = [];
  for (let k = 0; k < RUNS; k++) {
    t0 = process.hrtime.bigint();
    await hotspots.summary(analyst, {});
    summary.push(ms(t0));
  }
  return {
    incidents: INCIDENTS,
    cameras: CAMERAS,
    importMs: round(importMs),
    analyseMedianMs: round(median(analyse)),
    analyseRunsMs: analyse.map(round),
    analyseFilteredMedianMs: round(median(bikeTheft)),
    summaryMedianMs: round(median(summary)),
    studyCells: last.n,
    reportedCells: last.cells.length,
    budgetMs: 1000,
    withinBudget: median(analyse) < 1000,
  };
}

async function main(): Promise<void> {
  // BENCH_VERBOSE=1 also prints the import's phase timings (parse, locate, owners, write).
  Logger.overrideLogger(process.env.BENCH_VERBOSE ? ['log', 'error', 'warn'] : ['error', 'warn']);
  const { result, server, ...stamp } = await runOnBenchDatabase(run);
  const report = { ...stamp, ...result };
  const dir = resolve(__dirname, '..', '..', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, server ? 'hotspots-api.postgres.json' : 'hotspots-api.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(JSON.stringify(report, null, 2));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
