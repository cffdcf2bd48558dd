import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { SweepProgressMessage, SweepStartRequest, Topics } from '@tiergate/contracts';
import { MqttBus } from '@tiergate/messaging';
import { hostsOf, parseCidr } from '@tiergate/onvif';
import { SweepRecord, SweepsRepository } from '@tiergate/persistence';
import { forEachBounded } from '@tiergate/domain';
import { FindingSet, findingOfHttp, findingOfMatch } from './finding.mapper';
import { resolveFindingPort } from './finding-port.resolver';
import { multicastProbe } from './multicast.prober';
import { probeOnvifHttp } from './onvif-http.prober';
import { UnicastAnswer, UnicastProber } from './unicast.prober';

/**
 * Progress is written and published this often (and once at the end). The writes are also the sweep's
 * heartbeat: SweepReaper fails a running sweep whose row has not been written for a while.
 */
export const PROGRESS_INTERVAL_MS = 250;
const UNICAST_RETRIES = 1;

/**
 * Runs sweeps: multicast (when asked and configured), then every address of the CIDR with a unicast
 * WS-Discovery probe (bounded concurrency, retries), falling back to an anonymous ONVIF HTTP call on the
 * given ports for silent hosts. Findings are deduplicated by endpoint reference (and host:port).
 * The sweep row holds state, progress and findings, and this app is its only writer (SweepsRepository);
 * MQTT carries throttled progress.
 */
@Injectable()
export class SweepRunner implements OnApplicationShutdown {
  private readonly logger = new Logger('SweepRunner');
  private readonly running = new Map<string, { abort: AbortController; done: Promise<void> }>();

  constructor(
    private readonly sweeps: SweepsRepository,
    @Inject(TIERGATE_CONFIG) private readonly config: TiergateConfig,
    private readonly bus: MqttBus,
  ) {}

  /**
   * Stores the sweep a gateway asked for and starts it in the background; answers at once. Every discovery
   * process on the broker receives the request: the row is created once (the id is the gateway's) and
   * only the process that claims it (`queued` → `running`) runs it.
   */
  async start(request: SweepStartRequest): Promise<void> {
    const sweepId = request.sweepId;
    if (this.running.has(sweepId)) return;
    await this.sweeps.createQueued({ id: sweepId, params: request.params, createdBy: request.createdBy });
    if (!(await this.sweeps.claim(sweepId))) return;
    const sweep = (await this.sweeps.find(sweepId))!;
    const abort = new AbortController();
    const done = this.run(sweep, abort.signal)
      .catch(async (e) => {
        this.logger.error(`sweep ${sweepId} failed: ${(e as Error).message}`);
        await this.sweeps.finish(sweepId, { state: 'failed', error: 'the sweep stopped on an internal error' }).catch(() => undefined);
      })
      .finally(() => this.running.delete(sweepId));
    this.running.set(sweepId, { abort, done });
  }

  /** Resolves when the sweep (if running here) has finished; for tests and shutdown. */
  async settled(sweepId: string): Promise<void> {
    await this.running.get(sweepId)?.done;
  }

  async onApplicationShutdown(): Promise<void> {
    for (const r of this.running.values()) r.abort.abort();
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
  }

  private async run(sweep: SweepRecord, signal: AbortSignal): Promise<void> {
    const d = this.config.discovery;
    const range = sweep.params.cidr ? parseCidr(sweep.params.cidr) : undefined;
    const multicast = sweep.params.multicast && d.multicastInterface !== '';
    if (sweep.params.multicast && !multicast && !range) {
      await this.sweeps.finish(sweep.id, { state: 'failed', error: 'multicast is not configured on the discovery service (discovery.multicastInterface)' });
      await this.publish(sweep.id, 0, 0);
      return;
    }
    const steps = (range?.size ?? 0) + (multicast ? 1 : 0);
    let doneSteps = 0;
    const found = new FindingSet({ perHost: d.maxFindingsPerHost, perSweep: d.maxFindingsPerSweep });
    // A finding whose port is only its XAddr's guess (NAT) is added once that port is checked; one check per endpoint.
    const checking = new Set<string>();
    const checksPerHost = new Map<string, number>();
    const checks: Promise<void>[] = [];
    const addAnswer = (a: UnicastAnswer) => {
      for (const m of a.matches) {
        const f = findingOfMatch(m, a.host);
        if (!f || checking.has(f.endpoint)) continue;
        // quota before any port check: a host answering thousands of matches costs only its share
        const launched = checksPerHost.get(a.host) ?? 0;
        if (launched >= d.maxFindingsPerHost || checking.size >= d.maxFindingsPerSweep) {
          found.dropped++;
          continue;
        }
        checksPerHost.set(a.host, launched + 1);
        checking.add(f.endpoint);
        checks.push(
          resolveFindingPort(f, sweep.params.ports, d.probeTimeoutMs).then(
            (resolved) => void found.add(resolved),
            () => void found.add(f),
          ),
        );
      }
    };
    let lastFlush = 0;
    let flushing: Promise<void> = Promise.resolve();
    const flush = (force = false) => {
      const now = Date.now();
      if (!force && now - lastFlush < PROGRESS_INTERVAL_MS) return;
      lastFlush = now;
      const progress = steps === 0 ? 1 : Math.min(1, doneSteps / steps);
      const snapshot = found.list();
      flushing = flushing.then(() => this.report(sweep.id, progress, snapshot)).catch(() => undefined);
    };
    const ticker = setInterval(() => flush(), PROGRESS_INTERVAL_MS);
    try {
      if (multicast) {
        await multicastProbe({ interfaceAddress: d.multicastInterface, timeoutMs: d.probeTimeoutMs, retries: 1 }, addAnswer);
        doneSteps++;
      }
      if (range) {
        const prober = new UnicastProber(addAnswer);
        await prober.open();
        try {
          await forEachBounded(
            hostsOf(range),
            d.concurrency,
            async (host) => {
              if (!(await prober.probe(host, { timeoutMs: d.probeTimeoutMs, retries: UNICAST_RETRIES }))) {
                const port = await probeOnvifHttp(host, sweep.params.ports, d.probeTimeoutMs);
                if (port !== undefined) found.add(findingOfHttp(host, port));
              }
              doneSteps++;
            },
            signal,
          );
        } finally {
          await prober.close(signal.aborted ? 0 : d.probeTimeoutMs);
        }
      }
      await Promise.all(checks);
    } finally {
      clearInterval(ticker);
    }
    await flushing;
    if (found.dropped > 0) {
      this.logger.warn(`sweep ${sweep.id}: ${found.dropped} finding(s) over the quota left out (discovery.maxFindingsPerHost ${d.maxFindingsPerHost}, maxFindingsPerSweep ${d.maxFindingsPerSweep})`);
    }
    const aborted = signal.aborted;
    const final = found.list();
    await this.sweeps.finish(sweep.id, {
      state: aborted ? 'failed' : 'done',
      progress: aborted ? Math.min(1, doneSteps / Math.max(1, steps)) : 1,
      found: final,
      error: aborted ? 'stopped by shutdown' : null,
    });
    await this.publish(sweep.id, aborted ? doneSteps / Math.max(1, steps) : 1, final.length);
  }

  private async report(id: string, progress: number, found: ReturnType<FindingSet['list']>): Promise<void> {
    await this.sweeps.reportProgress(id, progress, found);
    await this.publish(id, progress, found.length);
  }

  private async publish(id: string, progress: number, found: number): Promise<void> {
    const message: SweepProgressMessage = { progress, found };
    await this.bus.publish(Topics.sweepProgress(id), message).catch(() => undefined);
  }
}
