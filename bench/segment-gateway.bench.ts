// Segment delivery on the real hot path: a live session on a simulated camera, its newest segment fetched
// (a) from the transcoder worker over HTTP and (b) through the gateway, whose worker runs in the same process
// here (npm start's layout: token check, then the worker answers in process, no loopback hop).
// Writes bench/results/segment-gateway.json. Run as part of: npm run bench:access
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Repository } from 'typeorm';
import { SecretBox } from '@tiergate/access';
import { loadConfig } from '@tiergate/config';
import { CameraEntity } from '@tiergate/persistence';
import { startProcess } from '@tiergate/platform';
import { startCameraFleet } from '../apps/camera-sim/src';
import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { WorkerDirectory } from '../apps/gateway/src/live/worker.directory';
import { TranscoderModule } from '../apps/transcoder/src/transcoder.module';

const run = promisify(execFile);
const CONCURRENCY = 32;
const SECONDS = 3;

async function load(url: string) {
  const { stdout } = await run(process.execPath, [join(__dirname, 'support', 'http-load.js'), url, String(CONCURRENCY), String(SECONDS)]);
  return JSON.parse(stdout) as { requests: number; errors: number; rps: number; p50Ms: number; p99Ms: number };
}

async function main(): Promise<void> {
  const fleet = await startCameraFleet({ count: 1, firstAddress: '127.0.6.1', onvifPort: 18680, rtspPort: 18654 });
  const config = loadConfig({ env: {}, overrides: { 'http.port': 0, dataDir: 'memory://', 'auth.adminPassword': 'bench-admin-pass', 'log.level': 'error' } });
  const running = await startProcess(config, { name: 'segment-bench', modules: [GatewayModule, TranscoderModule], http: true });
  try {
    const repo = running.infra.database.dataSource.getRepository(CameraEntity);
    const cam = await repo.save(repo.create({ name: 'bench', rtspUrl: fleet.cameras[0].mainRtspUrl, username: 'admin', passwordSealed: running.app.get(SecretBox).seal('sim-pass'), profiles: [], tags: [] }));
    const login = await (await fetch(`${running.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'bench-admin-pass' }) })).json();
    const live = await (await fetch(`${running.url}/api/cameras/${cam.id}/live`, { method: 'POST', headers: { authorization: `Bearer ${login.accessToken}`, 'content-type': 'application/json' }, body: '{}' })).json();
    await new Promise((r) => setTimeout(r, 4000)); // a few segments in the window
    const newest = async () => {
      const playlist = await (await fetch(live.hlsUrl)).text();
      return playlist.split('\n').filter((l) => l && !l.startsWith('#')).pop()!; // relative, with ?token=
    };
    const worker = running.app.get(WorkerDirectory).list()[0];
    const viaGateway = new URL(await newest(), live.hlsUrl).toString();
    await load(viaGateway); // warm-up
    const direct = await load(new URL(new URL(await newest(), live.hlsUrl).pathname + new URL(viaGateway).search, worker.baseUrl).toString());
    const gateway = await load(new URL(await newest(), live.hlsUrl).toString());
    const segmentBytes = Number((await fetch(new URL(await newest(), live.hlsUrl))).headers.get('content-length'));
    const result = { at: new Date().toISOString(), machine: '2 cores, loopback, load generator in a separate process', segmentBytes, concurrency: CONCURRENCY, seconds: SECONDS, direct, gateway, ratio: gateway.rps / direct.rps };
    mkdirSync(join(process.cwd(), 'bench', 'results'), { recursive: true });
    writeFileSync(join(process.cwd(), 'bench', 'results', 'segment-gateway.json'), JSON.stringify(result, null, 2));
    console.log(`segment of ${segmentBytes} B: worker direct ${direct.rps.toFixed(0)} req/s (p99 ${direct.p99Ms.toFixed(1)} ms), through the gateway ${gateway.rps.toFixed(0)} req/s (p99 ${gateway.p99Ms.toFixed(1)} ms), ratio ${result.ratio.toFixed(2)}`);
  } finally {
    await running.stop();
    await fleet.stop();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
