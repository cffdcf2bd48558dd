// Segment delivery through the stream-token check versus the same server serving the same files with
// no check. Writes bench/results/segment-delivery.json. Run: npm run bench:access
import { execFile } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { StreamTokens, TokenSigner } from '@tiergate/access';
import { HlsHttpServer } from '../apps/transcoder/src/hls-http.server';
import { tokenOf } from '../apps/transcoder/src/transcoder.host';

const run = promisify(execFile);
const CAMERA = '3f1c2a9e-8d7b-4c6a-9e5f-1a2b3c4d5e6f';
const SEGMENT_BYTES = 256 * 1024; // ~1 s of 720p at 2 Mbit/s
const CONCURRENCY = 32;
const SECONDS = 5;

async function load(url: string) {
  const { stdout } = await run(process.execPath, [join(__dirname, 'support', 'http-load.js'), url, String(CONCURRENCY), String(SECONDS)]);
  return JSON.parse(stdout) as { requests: number; errors: number; rps: number; p50Ms: number; p99Ms: number };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tg-bench-seg-'));
  writeFileSync(join(dir, 'seg00001.ts'), randomFillSync(Buffer.alloc(SEGMENT_BYTES)));
  const source = { outputDirOf: () => dir, touch: () => true };
  const tokens = new StreamTokens(new TokenSigner('bench-secret-key-0123456789', 'stream'), 180);
  const token = tokens.issue('bench-user', CAMERA, 'main').token;

  // in-process cost of the check alone
  const n = 200_000;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) tokens.allows(token, CAMERA, 'main');
  const checkOpsPerSec = n / (Number(process.hrtime.bigint() - t0) / 1e9);

  const checked = new HlsHttpServer({ source, authorize: (req, cam, prof) => tokens.allows(tokenOf(req), cam, prof) });
  const open = new HlsHttpServer({ source, authorize: () => true });
  const a = await checked.listen();
  const b = await open.listen();
  try {
    const path = `/hls/${CAMERA}/main/seg00001.ts`;
    await load(`http://127.0.0.1:${b.port}${path}`); // warm-up
    const withoutCheck = await load(`http://127.0.0.1:${b.port}${path}`);
    const withCheck = await load(`http://127.0.0.1:${a.port}${path}?token=${token}`);
    const result = {
      at: new Date().toISOString(),
      machine: '2 cores, loopback, load generator in a separate process',
      segmentBytes: SEGMENT_BYTES,
      concurrency: CONCURRENCY,
      seconds: SECONDS,
      tokenCheckOpsPerSecInProcess: Math.round(checkOpsPerSec),
      withoutCheck,
      withCheck,
      ratio: withCheck.rps / withoutCheck.rps,
    };
    mkdirSync(join(process.cwd(), 'bench', 'results'), { recursive: true });
    writeFileSync(join(process.cwd(), 'bench', 'results', 'segment-delivery.json'), JSON.stringify(result, null, 2));
    console.log(`token check in process: ${result.tokenCheckOpsPerSecInProcess} ops/s`);
    console.log(`segments/s without check: ${withoutCheck.rps.toFixed(0)} (p99 ${withoutCheck.p99Ms.toFixed(1)} ms)`);
    console.log(`segments/s with check:    ${withCheck.rps.toFixed(0)} (p99 ${withCheck.p99Ms.toFixed(1)} ms)`);
    console.log(`ratio with/without: ${result.ratio.toFixed(3)}`);
  } finally {
    await checked.close();
    await open.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
