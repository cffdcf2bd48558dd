/**
 * Discovery benchmark: starts 1,000 simulated ONVIF cameras on 127.0.20.0/22, then through the HTTP API of
 * one embedded process (PGlite + in-process broker, gateway + discovery modules):
 *  - sweeps the /22 by unicast WS-Discovery (wall time, hosts/s, findings);
 *  - onboards every finding with POST /api/cameras/from-sweep (each one probed over ONVIF: cameras/s);
 *  - runs one health round over all cameras (wall time and process CPU per round and per check, via process.cpuUsage).
 * Run: `npm run build && node dist/bench/discovery.bench.js`. Writes bench/results/discovery.json; with DATABASE_URL
 * and MQTT_URL set it runs against those servers (scratch database) and writes discovery.postgres.json.
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '@tiergate/config';
import { createScratchDatabase, ScratchDatabase } from '@tiergate/persistence';
import { startProcess } from '@tiergate/platform';
import { startCameraFleet, type Fleet } from '../apps/camera-sim/src/fleet';
import { DiscoveryModule } from '../apps/discovery/src/discovery.module';
import { HealthMonitor } from '../apps/discovery/src/health/health.monitor';
import { GatewayModule } from '../apps/gateway/src/gateway.module';

const CAMERAS = Number(process.env.BENCH_CAMERAS ?? 1000);
const FIRST = '127.0.20.1';
const CIDR = '127.0.20.0/22';
const PASSWORD = 'bench-pass';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** With DATABASE_URL and MQTT_URL set, runs against those servers in a scratch database (dropped after). */
async function scratchDatabase(): Promise<ScratchDatabase | undefined> {
  const base = process.env.DATABASE_URL;
  return base && process.env.MQTT_URL ? createScratchDatabase(base, 'tiergate_bench') : undefined;
}

async function main(): Promise<void> {
  const t0 = Date.now();
  let fleet: Fleet | undefined;
  const scratch = await scratchDatabase();
  const running = await startProcess(
    loadConfig({
      env: {},
      overrides: {
        'http.port': 0,
        dataDir: 'memory://',
        'database.url': scratch?.url ?? '',
        'mqtt.url': scratch ? process.env.MQTT_URL : '',
        'auth.adminPassword': 'bench-admin-password',
        'auth.secretKey': 'discovery-bench-secret-key',
        'log.level': 'warn',
        'discovery.concurrency': 64,
        'discovery.probeTimeoutMs': 500,
        'discovery.ports': [8080],
        'health.intervalSeconds': 86400,
        'health.concurrency': 16,
      },
    }),
    { name: 'discovery-bench', modules: [DiscoveryModule, GatewayModule], http: true },
  );
  try {
    const fleetStart = Date.now();
    fleet = await startCameraFleet({ count: CAMERAS, firstAddress: FIRST, password: PASSWORD, labelPerCamera: false });
    const fleetMs = Date.now() - fleetStart;
    const call = async (method: string, path: string, token?: string, body?: unknown) => {
      const res = await fetch(`${running.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json().catch(() => undefined)) as any };
    };
    const token = (await call('POST', '/api/auth/login', undefined, { username: 'admin', password: 'bench-admin-password' })).body.accessToken as string;

    // 1. Sweep.
    const sweepStart = Date.now();
    const started = await call('POST', '/api/discovery/sweeps', token, { cidr: CIDR, ports: [8080] });
    if (started.status !== 202) throw new Error(`sweep refused: ${started.status} ${JSON.stringify(started.body)}`);
    let sweep = await call('GET', `/api/discovery/sweeps/${started.body.id}`, token);
    while (sweep.body.state === 'running') {
      await sleep(100);
      sweep = await call('GET', `/api/discovery/sweeps/${started.body.id}`, token);
    }
    const sweepMs = Date.now() - sweepStart;
    const found = sweep.body.found.length as number;

    // 2. Onboard every finding (each probed over ONVIF by the gateway).
    const onboardStart = Date.now();
    const cpuOnboard = process.cpuUsage();
    const added = await call('POST', '/api/cameras/from-sweep', token, { sweepId: started.body.id, username: 'admin', password: PASSWORD });
    const onboardMs = Date.now() - onboardStart;
    const onboardCpu = process.cpuUsage(cpuOnboard);
    const created = (added.body?.created?.length ?? 0) as number;

    // 3. One health round over all cameras (the imported-camera checks triggered by onboarding settle first).
    await sleep(3000);
    const health = running.app.get(HealthMonitor, { strict: false });
    const cpuBefore = process.cpuUsage();
    const roundStart = Date.now();
    const results = await health.checkNow();
    const roundMs = Date.now() - roundStart;
    const cpu = process.cpuUsage(cpuBefore);
    const online = [...results.values()].filter((r) => r.status === 'online').length;
    const cpuMs = (cpu.user + cpu.system) / 1000;

    const result = {
      at: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
      database: scratch ? 'postgres server (DATABASE_URL)' : 'embedded PGlite',
      note: 'simulator, embedded database if any, broker, gateway and discovery all share this one process, so CPU figures include the simulated cameras answering',
      cameras: CAMERAS,
      fleetStartMs: fleetMs,
      sweep: { cidr: CIDR, hosts: 1022, ms: sweepMs, hostsPerSecond: +(1022 / (sweepMs / 1000)).toFixed(1), found, probeTimeoutMs: 500, concurrency: 64 },
      onboarding: {
        created,
        errors: added.body?.errors?.length ?? -1,
        ms: onboardMs,
        camerasPerSecond: +(created / (onboardMs / 1000)).toFixed(1),
        cpuMsPerCamera: +((onboardCpu.user + onboardCpu.system) / 1000 / Math.max(1, created)).toFixed(2),
      },
      healthRound: {
        checks: results.size,
        online,
        wallMs: roundMs,
        cpuMs: +cpuMs.toFixed(0),
        cpuMsPerCheck: +(cpuMs / Math.max(1, results.size)).toFixed(2),
        concurrency: 16,
        coreShareAt60sInterval: +(cpuMs / 60_000).toFixed(4),
      },
      totalMs: Date.now() - t0,
    };
    const out = resolve(__dirname, '..', '..', 'bench', 'results');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, scratch ? 'discovery.postgres.json' : 'discovery.json'), `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await running.stop();
    await fleet?.stop();
    await scratch?.drop();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
