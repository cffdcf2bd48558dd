import type { TiergateConfig } from '@tiergate/config';
import { redactUrl } from '@tiergate/domain';
import { describeUrl } from '@tiergate/persistence';
import { briefOf, isConnectionError } from './connection-errors';

export interface StartupRetryOptions {
  /** What is being reached, for the log line ("the database at postgres://db:5432/tiergate"). */
  what: string;
  /** Keep trying for this long (from the first attempt); 0 tries once. */
  forMs: number;
  /** Whether a failure is worth another attempt (an outage, not a wrong password). */
  retryable: (error: unknown) => boolean;
  /** One line per failed attempt. */
  log: (line: string) => void;
  /** Aborts the waiting (SIGTERM during start-up). */
  signal?: AbortSignal;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Delay before attempt n+1 (n ≥ 1): 0.5 s doubling to at most 5 s. */
export const backoffMs = (attempt: number): number => Math.min(500 * 2 ** (attempt - 1), 5000);

const abortableSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Start-up with a database server or broker that is not up yet (a host reboot, compose starting
 * everything at once): retry with backoff for a configured time, one log line per failed attempt, then
 * give up with the last error (which the process runner prints as its one clear line).
 */
export async function retryStartup<T>(attempt: () => Promise<T>, o: StartupRetryOptions): Promise<T> {
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? abortableSleep;
  const deadline = now() + o.forMs;
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (e) {
      const left = deadline - now();
      if (!o.retryable(e) || left <= 0 || o.signal?.aborted) throw e;
      const wait = Math.min(backoffMs(n), left);
      o.log(`${o.what} is not reachable (attempt ${n}: ${briefOf(e)}); retrying in ${(wait / 1000).toFixed(1)} s, giving up in ${Math.ceil(left / 1000)} s`);
      await sleep(wait, o.signal);
    }
  }
}

export interface StartInfrastructureOptions {
  /** SIGTERM/SIGINT during start-up: stop retrying. */
  signal?: AbortSignal;
  /** Where the one-line retry messages go (the process logger); default stderr. */
  log?: (line: string) => void;
}

/**
 * The retry policy of start-up for one process: only a database server and an external broker are
 * retried (an embedded one cannot be "not up yet"), only while the failure looks like an outage, and for
 * `lifecycle.startRetrySeconds`.
 */
export function startupRetrier(config: TiergateConfig, options: StartInfrastructureOptions = {}) {
  const common = {
    forMs: config.lifecycle.startRetrySeconds * 1000,
    log: options.log ?? ((line: string) => void process.stderr.write(`${line}\n`)),
    signal: options.signal,
  };
  return {
    broker: <T>(attempt: () => Promise<T>): Promise<T> =>
      config.mqtt.url
        ? retryStartup(attempt, {
            ...common,
            what: `the MQTT broker at ${redactUrl(config.mqtt.url)}`,
            // A refused credential stays refused; anything else at connect time is the broker not being there.
            retryable: (e) => !/refused the credential|not authori[sz]ed|bad user ?name or password/i.test((e as Error)?.message ?? ''),
          })
        : attempt(),
    database: <T>(attempt: () => Promise<T>): Promise<T> =>
      config.database.url ? retryStartup(attempt, { ...common, what: `the database at ${describeUrl(config.database.url)}`, retryable: isConnectionError }) : attempt(),
  };
}
