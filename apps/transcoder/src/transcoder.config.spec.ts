import { existsSync } from 'node:fs';
import { Registry } from 'prom-client';
import { Topics } from '@tiergate/contracts';
import { loadTranscoderConfig } from './transcoder.config';
import { startTranscoder } from './transcoder.runtime';

const bins = () => ({ ffmpegPath: '/x/ffmpeg', ffprobePath: '/x/ffprobe', source: { ffmpeg: 'env' as const, ffprobe: 'env' as const } });

describe('loadTranscoderConfig', () => {
  it('has sensible defaults', () => {
    const c = loadTranscoderConfig({}, bins);
    expect(c).toMatchObject({ workerId: 'w1', host: '127.0.0.1', port: 8090, baseUrl: 'http://127.0.0.1:8090', capacity: 64, probeSize: 32768 });
    expect(c.session).toMatchObject({ startTimeoutMs: 10_000, idleTimeoutMs: 30_000 });
  });
  it('names every bad key at once', () => {
    expect(() => loadTranscoderConfig({ TRANSCODER_PORT: 'x', STREAM_START_TIMEOUT_MS: '-1', TRANSCODER_WORKER_ID: '../w' }, () => {
      throw new Error('ffmpeg not found');
    })).toThrow(/TRANSCODER_PORT.*STREAM_START_TIMEOUT_MS|TRANSCODER_WORKER_ID.*TRANSCODER_PORT/);
    try {
      loadTranscoderConfig({ TRANSCODER_PORT: 'x', STREAM_START_TIMEOUT_MS: '-1', TRANSCODER_WORKER_ID: '../w' }, () => {
        throw new Error('ffmpeg not found');
      });
    } catch (e) {
      const m = (e as Error).message;
      for (const k of ['TRANSCODER_PORT', 'STREAM_START_TIMEOUT_MS', 'TRANSCODER_WORKER_ID', 'ffmpeg not found']) expect(m).toContain(k);
    }
  });
});

describe('startTranscoder', () => {
  it('listens, heartbeats, denies by default and cleans up on stop', async () => {
    const config = loadTranscoderConfig({ TRANSCODER_WORKER_ID: `rt-${process.pid}`, TRANSCODER_PORT: '0' });
    const published: string[] = [];
    const rt = await startTranscoder(config, { publish: (topic) => void published.push(topic), registry: new Registry() });
    try {
      expect(published).toEqual([Topics.workerHeartbeat(config.workerId)]);
      expect(existsSync(rt.store.root)).toBe(true);
      const res = await fetch(`http://127.0.0.1:${rt.address.port}/hls/cam1/main/index.m3u8`);
      expect(res.status).toBe(404);
    } finally {
      await rt.stop();
    }
    expect(existsSync(rt.store.root)).toBe(false);
  });
});
