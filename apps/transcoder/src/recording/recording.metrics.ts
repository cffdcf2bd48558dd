import { Counter, Gauge, register as defaultRegister, type Registry } from 'prom-client';

/** Prometheus metrics of a recording worker (docs/recording.md, "Health"); safe to construct twice against one registry. */
export class RecordingMetrics {
  /** Streams this worker records now (state `recording`). */
  readonly streams: Gauge<'worker'>;
  readonly bytes: Counter<'worker'>;
  readonly gaps: Counter<'worker' | 'reason'>;
  readonly diskFree: Gauge<'worker' | 'root'>;
  readonly diskFull: Gauge<'worker' | 'root'>;
  readonly pruned: Counter<'worker' | 'root' | 'why'>;

  constructor(registry: Registry = defaultRegister) {
    const get = <T>(name: string, make: () => T): T => (registry.getSingleMetric(name) as T | undefined) ?? make();
    const registers = [registry];
    this.streams = get('tiergate_recording_streams', () =>
      new Gauge({ name: 'tiergate_recording_streams', help: 'Streams being recorded (state recording)', labelNames: ['worker'], registers }));
    this.bytes = get('tiergate_recording_bytes_total', () =>
      new Counter({ name: 'tiergate_recording_bytes_total', help: 'Bytes of recorded segments written and indexed', labelNames: ['worker'], registers }));
    this.gaps = get('tiergate_recording_gaps_total', () =>
      new Counter({ name: 'tiergate_recording_gaps_total', help: 'Gaps in recordings: source (camera dropped), disk-full, write, backlog', labelNames: ['worker', 'reason'], registers }));
    this.diskFree = get('tiergate_recording_disk_free_bytes', () =>
      new Gauge({ name: 'tiergate_recording_disk_free_bytes', help: 'Free bytes on a recording root\'s file system', labelNames: ['worker', 'root'], registers }));
    this.diskFull = get('tiergate_recording_disk_full', () =>
      new Gauge({ name: 'tiergate_recording_disk_full', help: '1 while a recording root refuses writes (ENOSPC or below recording.minFreeBytes)', labelNames: ['worker', 'root'], registers }));
    this.pruned = get('tiergate_recording_pruned_segments_total', () =>
      new Counter({ name: 'tiergate_recording_pruned_segments_total', help: 'Segments deleted by retention (expired) or quota', labelNames: ['worker', 'root', 'why'], registers }));
  }
}
