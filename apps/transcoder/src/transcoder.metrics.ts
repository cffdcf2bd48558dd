import { Counter, Gauge, Histogram, register as defaultRegister, type Registry } from 'prom-client';

/** Prometheus metrics of the transcoder; safe to construct twice against one registry (metrics are reused). */
export class TranscoderMetrics {
  readonly activeSessions: Gauge<'worker'>;
  readonly starts: Counter<'worker'>;
  readonly failures: Counter<'worker' | 'code'>;
  readonly timeToFirstSegment: Histogram<'worker'>;
  readonly mseViewers: Gauge<'worker'>;
  readonly mseFragmentsSent: Counter<'worker'>;
  readonly mseSlowDrops: Counter<'worker'>;

  constructor(registry: Registry = defaultRegister) {
    const get = <T>(name: string, make: () => T): T => (registry.getSingleMetric(name) as T | undefined) ?? make();
    const registers = [registry];
    this.activeSessions = get('tiergate_transcoder_active_sessions', () =>
      new Gauge({ name: 'tiergate_transcoder_active_sessions', help: 'Stream sessions not idle', labelNames: ['worker'], registers }));
    this.starts = get('tiergate_transcoder_ffmpeg_starts_total', () =>
      new Counter({ name: 'tiergate_transcoder_ffmpeg_starts_total', help: 'ffmpeg processes spawned (starts and restarts)', labelNames: ['worker'], registers }));
    this.failures = get('tiergate_transcoder_failures_total', () =>
      new Counter({ name: 'tiergate_transcoder_failures_total', help: 'Stream start/restart failures by code', labelNames: ['worker', 'code'], registers }));
    this.timeToFirstSegment = get('tiergate_transcoder_time_to_first_segment_seconds', () =>
      new Histogram({
        name: 'tiergate_transcoder_time_to_first_segment_seconds',
        help: 'Time from ffmpeg spawn to a playlist with its first segment',
        labelNames: ['worker'],
        buckets: [0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 8, 13],
        registers,
      }));
    this.mseViewers = get('tiergate_transcoder_mse_viewers', () =>
      new Gauge({ name: 'tiergate_transcoder_mse_viewers', help: 'MSE WebSocket viewers connected', labelNames: ['worker'], registers }));
    this.mseFragmentsSent = get('tiergate_transcoder_mse_fragments_sent_total', () =>
      new Counter({ name: 'tiergate_transcoder_mse_fragments_sent_total', help: 'fMP4 fragments sent to MSE viewers', labelNames: ['worker'], registers }));
    this.mseSlowDrops = get('tiergate_transcoder_mse_slow_drops_total', () =>
      new Counter({ name: 'tiergate_transcoder_mse_slow_drops_total', help: 'Fragments not sent to an MSE viewer whose socket buffer was over the cap (it resumes at the next keyframe)', labelNames: ['worker'], registers }));
  }
}
