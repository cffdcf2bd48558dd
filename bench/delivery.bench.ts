// Delivery efficiency (issue 13): authorized segment bytes per CPU-second of every server process involved, same
// machine, same run, the same 255 KiB file, 32 keep-alive connections, 10 s per run, two rounds:
//  (1) anchor: nginx serving the file with no check at all;
//  (2) production layout (static-media mode): nginx with secure_link, the link a worker signs;
//  (3) embedded default: the gateway checks the stream token and its in-process worker answers;
//  (4) the gateway checks and proxies to a worker in another process;
// plus the checked playlist through the gateway (static-media mode, links signed), the per-viewer cost the
// production layout keeps on Node. Server CPU from /proc/<pid>/stat (utime+stime; nginx: master and worker; ffmpeg
// and the load generator not counted). The load generator (bench/support/raw-http-load.ts) is its own process.
// Writes bench/results/delivery.json. Run: npm run bench:delivery
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startCameraFleet } from '../apps/camera-sim/src';
import { mediaLinkQuery, mediaLinkSecretOf } from '../apps/transcoder/src/static-media/media-link';
import { hasSecureLink, locateNginx, startNginx, type NginxChild } from '../apps/transcoder/src/static-media/nginx-child';

const run = promisify(execFile);
const SEGMENT_BYTES = 255 * 1024;
const CONNECTIONS = 32;
const SECONDS = Number(process.env.DELIVERY_BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.DELIVERY_BENCH_ROUNDS ?? 2);
const SECRET_KEY = 'delivery-bench-secret-key-0123456789';
const ADMIN = 'bench-admin-pass';
const HOST = '127.0.0.1';
const TICKS_PER_SECOND = 100; // CLK_TCK on Linux
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Load { requests: number; errors: number; bytes: number; seconds: number; rps: number }

/** utime + stime of a process, in seconds. */
function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // fields 14 and 15 of stat(5)
}

/** A process and its direct children (nginx's workers). */
function withChildren(pid: number): number[] {
  const kids = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((d) => {
    try {
      const s = readFileSync(`/proc/${d}/stat`, 'utf8');
      return Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[1]) === pid;
    } catch {
      return false;
    }
  });
  return [pid, ...kids.map(Number)];
}

async function load(url: string, seconds: number): Promise<Load> {
  const { stdout } = await run(process.execPath, [join(__dirname, 'support', 'raw-http-load.js'), url, String(CONNECTIONS), String(seconds)], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as Load;
}

/** One measured run: the load, and the CPU the given server processes spent meanwhile. */
async function measure(url: string, pids: number[]) {
  await load(url, 1); // warm-up: connections, caches
  const before = pids.map(cpuSecondsOf);
  const got = await load(url, SECONDS);
  const cpu = pids.map(cpuSecondsOf).reduce((sum, c, i) => sum + c - before[i]!, 0);
  if (got.requests === 0) throw new Error(`no answer from ${url.split('?')[0]} (${got.errors} errors)`);
  return { ...got, serverCpuSeconds: cpu, bytesPerCpuSecond: got.bytes / cpu, cpuMsPerRequest: (1000 * cpu) / got.requests };
}

/** A Tiergate process as a child (bench/support/delivery-server.ts); resolves with its URL once it is up. */
async function tiergate(name: string, modules: string[], overrides: Record<string, unknown>): Promise<{ child: ChildProcess; url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [join(__dirname, 'support', 'delivery-server.js'), JSON.stringify({ name, modules, overrides })], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /READY (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} at start`)));
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return { child, url, stop: async () => (child.exitCode === null ? (child.kill('SIGTERM'), await exited) : undefined) };
}

async function main(): Promise<void> {
  const nginxBin = locateNginx({ PATH: process.env.PATH });
  if (!nginxBin || !hasSecureLink(nginxBin)) throw new Error('nginx with secure_link is needed: apt-get install -y nginx-light');
  const work = mkdtempSync(join(tmpdir(), 'tg-bench-delivery-'));
  const hlsDir = join(work, 'hls');
  const secret = mediaLinkSecretOf(SECRET_KEY);
  const fleet = await startCameraFleet({ count: 2, firstAddress: '127.0.96.1', onvifPort: 18980, rtspPort: 18954, password: 'sim-pass' });
  const stops: (() => Promise<void>)[] = [];
  try {
    const [anchorPort, securePort, brokerPort] = [18991, 18992, 18993];
    const anchor: NginxChild = await startNginx(nginxBin, { host: HOST, port: anchorPort, root: hlsDir, secret, runDir: join(work, 'nginx-anchor'), workers: 1, benchAnchorWithoutCheck: true });
    stops.push(() => anchor.stop());
    const secure: NginxChild = await startNginx(nginxBin, { host: HOST, port: securePort, root: hlsDir, secret, runDir: join(work, 'nginx-secure'), workers: 1 });
    stops.push(() => secure.stop());
    const common = {
      dataDir: 'memory://', 'auth.secretKey': SECRET_KEY, 'auth.adminPassword': ADMIN, 'log.level': 'error', 'transcoder.hlsDir': hlsDir,
      'transcoder.idleCloseMs': 3_600_000, 'health.intervalSeconds': 3600, 'transcoder.staticMediaUrl': `http://${HOST}:${securePort}`,
    };
    // E: gateway + worker in one process (npm start's layout), with the embedded broker on a port W can join
    const e = await tiergate('delivery-e', ['gateway', 'transcoder'], { ...common, 'http.port': 0, 'mqtt.embeddedPort': brokerPort, 'transcoder.workerId': 'bench-e' });
    stops.unshift(e.stop);
    const api = async (path: string, token: string | undefined, body?: unknown) => {
      const res = await fetch(`${e.url}${path}`, { method: body === undefined ? 'GET' : 'POST', headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return res.json();
    };
    const admin = (await api('/api/auth/login', undefined, { username: 'admin', password: ADMIN })).accessToken as string;
    const cams: string[] = [];
    for (const [i, cam] of fleet.cameras.entries()) cams.push((await api('/api/cameras', admin, { name: `bench ${i}`, onvif: { host: cam.host, port: cam.onvifPort, username: 'admin', password: 'sim-pass' } })).id);
    const liveOf = async (cam: string) => new URL((await api(`/api/cameras/${cam}/live`, admin, {})).hlsUrl as string);
    const sessionDir = async (workerId: string, cam: string) => {
      for (let i = 0; i < 100; i++) {
        const found = readdirSync(join(hlsDir, workerId), { withFileTypes: true }).find((d) => d.isDirectory() && d.name.startsWith(`${cam}-`));
        if (found) return found.name;
        await sleep(100);
      }
      throw new Error(`no session of ${cam} on ${workerId}`);
    };
    // camera 0 is placed while E's worker is the only one; W then joins and, the least loaded, gets camera 1
    const hls0 = await liveOf(cams[0]!);
    const dir0 = await sessionDir('bench-e', cams[0]!);
    const w = await tiergate('delivery-w', ['transcoder'], { ...common, 'mqtt.url': `mqtt://${HOST}:${brokerPort}`, 'transcoder.workerId': 'bench-w' });
    stops.unshift(w.stop);
    await sleep(3000); // W's heartbeat reaches the gateway
    const hls1 = await liveOf(cams[1]!);
    const dir1 = await sessionDir('bench-w', cams[1]!);
    // the same file in both sessions' directories; a name ffmpeg never writes (its numbers come from the clock)
    const segment = randomFillSync(Buffer.alloc(SEGMENT_BYTES));
    writeFileSync(join(hlsDir, 'bench-e', dir0, 'seg_1.ts'), segment);
    writeFileSync(join(hlsDir, 'bench-w', dir1, 'seg_1.ts'), segment);
    const uri = `/bench-e/${dir0}/seg_1.ts`;
    const urls = async () => {
      const [h0, h1] = [await liveOf(cams[0]!), await liveOf(cams[1]!)]; // fresh tokens for each round
      return {
        anchor: `http://${HOST}:${anchorPort}${uri}`,
        productionLayout: `http://${HOST}:${securePort}${uri}?${mediaLinkQuery(uri, Math.floor(Date.now() / 1000) + 600, secret)}`,
        embeddedDefault: new URL(`seg_1.ts${h0.search}`, h0).toString(),
        gatewayToOtherProcess: new URL(`seg_1.ts${h1.search}`, h1).toString(),
        playlistThroughGateway: h0.toString(),
      };
    };
    const first = await urls();
    for (const [name, url] of Object.entries(first)) {
      const res = await fetch(url);
      const body = Buffer.from(await res.arrayBuffer());
      if (res.status !== 200 || (name !== 'playlistThroughGateway' && !body.equals(segment))) throw new Error(`${name}: ${res.status}, ${body.length} bytes`);
      if (name === 'playlistThroughGateway' && !body.toString().includes(`http://${HOST}:${securePort}/bench-e/`)) throw new Error('the playlist does not link to nginx');
    }
    const pids = {
      anchor: withChildren(anchor.pid),
      productionLayout: withChildren(secure.pid),
      embeddedDefault: [e.child.pid!],
      gatewayToOtherProcess: [e.child.pid!, w.child.pid!],
      playlistThroughGateway: [e.child.pid!],
    };
    const rounds: Record<string, Awaited<ReturnType<typeof measure>>>[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const u = await urls();
      const round: Record<string, Awaited<ReturnType<typeof measure>>> = {};
      for (const mode of Object.keys(pids) as (keyof typeof pids)[]) {
        round[mode] = await measure(u[mode], pids[mode]);
        console.log(`round ${r + 1} ${mode}: ${round[mode]!.rps.toFixed(0)} req/s, ${(round[mode]!.bytesPerCpuSecond / 1e9).toFixed(2)} GB per CPU-s, ${round[mode]!.serverCpuSeconds.toFixed(2)} CPU-s, ${round[mode]!.errors} errors`);
      }
      rounds.push(round);
    }
    const modes = ['anchor', 'productionLayout', 'embeddedDefault', 'gatewayToOtherProcess'] as const;
    const summary = Object.fromEntries(modes.map((m) => {
      const ratios = rounds.map((round) => round[m]!.bytesPerCpuSecond / round.anchor!.bytesPerCpuSecond);
      return [m, { ratioToAnchor: ratios, bytesPerCpuSecond: rounds.map((round) => Math.round(round[m]!.bytesPerCpuSecond)), rps: rounds.map((round) => Math.round(round[m]!.rps)) }];
    }));
    const playlist = { rps: rounds.map((round) => Math.round(round.playlistThroughGateway!.rps)), cpuMsPerRequest: rounds.map((round) => round.playlistThroughGateway!.cpuMsPerRequest) };
    const result = {
      at: new Date().toISOString(),
      machine: `${cpus().length} cores, loopback, load average ${loadavg()[0]!.toFixed(1)} at the end; load generator in its own process, not counted`,
      nginx: (await run(nginxBin, ['-v'])).stderr.trim(),
      segmentBytes: SEGMENT_BYTES,
      connections: CONNECTIONS,
      secondsPerRun: SECONDS,
      rounds: ROUNDS,
      summary,
      playlistThroughGateway: playlist,
      runs: rounds,
    };
    mkdirSync(join(process.cwd(), 'bench', 'results'), { recursive: true });
    writeFileSync(join(process.cwd(), 'bench', 'results', 'delivery.json'), JSON.stringify(result, null, 2));
    for (const m of modes) console.log(`${m}: ratio to anchor ${summary[m]!.ratioToAnchor.map((x) => x.toFixed(2)).join(' / ')}, ${summary[m]!.rps.join(' / ')} req/s`);
    console.log(`playlist through the gateway: ${playlist.rps.join(' / ')} req/s, ${playlist.cpuMsPerRequest.map((x) => x.toFixed(3)).join(' / ')} CPU-ms each`);
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
    await fleet.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
