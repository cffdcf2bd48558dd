import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { Topics } from '@tiergate/contracts';
import { locateFfmpeg } from '@tiergate/media';
import { startTranscoder, type TranscoderConfig } from './transcoder.runtime';

describe('startTranscoder', () => {
  const hlsDir = mkdtempSync(join(tmpdir(), 'tg-hls-dir-'));
  afterAll(() => rmSync(hlsDir, { recursive: true, force: true }));

  const config = (workerId: string): TranscoderConfig => ({
    workerId, host: '127.0.0.1', port: 0, baseUrl: 'http://127.0.0.1:0', capacity: 4, heartbeatMs: 5000, hlsDir,
    session: { startTimeoutMs: 10_000, idleTimeoutMs: 30_000, pollMs: 50, restartBaseMs: 500, restartMaxMs: 10_000, reportFailuresAfter: 3, stopGraceMs: 3000 },
    binaries: locateFfmpeg(process.env), probeSize: 32_768, analyzeDurationUs: 500_000,
  });

  it('listens, heartbeats, denies by default, writes under transcoder.hlsDir and cleans up on stop', async () => {
    const c = config(`rt-${process.pid}`);
    const published: string[] = [];
    const rt = await startTranscoder(c, { publish: (topic) => void published.push(topic), registry: new Registry() });
    try {
      expect(published).toEqual([Topics.workerHeartbeat(c.workerId)]);
      expect(rt.store.root).toBe(join(hlsDir, c.workerId));
      expect(existsSync(rt.store.root)).toBe(true);
      const res = await fetch(`http://127.0.0.1:${rt.address.port}/hls/cam1/main/index.m3u8`);
      expect(res.status).toBe(404);
    } finally {
      await rt.stop();
    }
    expect(existsSync(rt.store.root)).toBe(false);
  });
});
