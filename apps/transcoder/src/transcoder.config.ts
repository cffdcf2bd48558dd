import { locateFfmpeg, type FfmpegBinaries } from '@tiergate/media';
import type { SessionConfig } from './stream-session';

export interface TranscoderConfig {
  workerId: string;
  host: string;
  port: number;
  /** Public base URL of this worker's HLS server (defaults to http://host:port). */
  baseUrl: string;
  capacity: number;
  heartbeatMs: number;
  session: SessionConfig;
  binaries: FfmpegBinaries;
  /** Probe tuning passed to the argument builder. */
  probeSize: number;
  analyzeDurationUs: number;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Parses the transcoder's slice of the environment once; throws one error naming every bad key.
 * The only transcoder code that reads the environment (pass process.env at the edge).
 */
export function loadTranscoderConfig(env: Env, locate: (env: Env) => FfmpegBinaries = locateFfmpeg): TranscoderConfig {
  const bad: string[] = [];
  const int = (key: string, def: number, min: number, max: number): number => {
    const raw = env[key];
    if (raw === undefined || raw === '') return def;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      bad.push(`${key} must be an integer in [${min}, ${max}]`);
      return def;
    }
    return n;
  };
  const workerId = env.TRANSCODER_WORKER_ID || 'w1';
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(workerId)) bad.push('TRANSCODER_WORKER_ID must match [A-Za-z0-9_-]{1,64}');
  const host = env.TRANSCODER_HOST || '127.0.0.1';
  const port = int('TRANSCODER_PORT', 8090, 0, 65535);
  const config: Omit<TranscoderConfig, 'binaries'> = {
    workerId,
    host,
    port,
    baseUrl: env.TRANSCODER_BASE_URL || `http://${host}:${port}`,
    capacity: int('TRANSCODER_CAPACITY', 64, 1, 10_000),
    heartbeatMs: int('TRANSCODER_HEARTBEAT_MS', 5000, 100, 600_000),
    session: {
      startTimeoutMs: int('STREAM_START_TIMEOUT_MS', 10_000, 500, 120_000),
      idleTimeoutMs: int('STREAM_IDLE_TIMEOUT_MS', 30_000, 1000, 3_600_000),
      pollMs: int('STREAM_POLL_MS', 100, 10, 5000),
      restartBaseMs: int('STREAM_RESTART_BASE_MS', 500, 10, 60_000),
      restartMaxMs: int('STREAM_RESTART_MAX_MS', 10_000, 10, 600_000),
      reportFailuresAfter: int('STREAM_REPORT_FAILURES_AFTER', 3, 1, 1000),
      stopGraceMs: int('STREAM_STOP_GRACE_MS', 3000, 0, 60_000),
    },
    probeSize: int('STREAM_PROBE_SIZE', 32_768, 32, 50_000_000),
    analyzeDurationUs: int('STREAM_ANALYZE_DURATION_US', 500_000, 1000, 30_000_000),
  };
  let binaries: FfmpegBinaries | undefined;
  try {
    binaries = locate(env);
  } catch (err) {
    bad.push((err as Error).message);
  }
  if (bad.length > 0 || !binaries) throw new Error(`invalid transcoder configuration: ${bad.join('; ')}`);
  return { ...config, binaries };
}
