import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SecretBox } from '@tiergate/access';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { CameraEventMessage, CamerasChangedMessage, Topics } from '@tiergate/contracts';
import { redactUrl } from '@tiergate/domain';
import { MqttBus } from '@tiergate/messaging';
import { CameraNotification, PullPointClient } from '@tiergate/onvif';
import { CameraCheckTarget, CameraRepository } from '@tiergate/persistence';
import { openPassword } from '../health/camera.checker';
import { HealthMonitor } from '../health/health.monitor';
import { EventsClient, LoopState, LoopTiming, runEventsLoop, WITHOUT_GOODBYE } from './camera-events.loop';

/** Every camera is compared with the running subscribers this often (a missed cameras/changed notice costs at most this). */
const RECONCILE_MS = 60_000;

interface Running {
  /** What the subscriber was started with: a change (address, credentials) restarts it. */
  key: string;
  abort: AbortController;
  done: Promise<void>;
  state: LoopState;
}

/** Makes the events client of one camera (a seam for tests). */
export type EventsClientFactory = (t: { host: string; port: number; username: string; password: string; timeoutMs: number }) => EventsClient;

/**
 * The ONVIF event subscriber of discovery (docs/alarms.md): one PullPoint subscription per ONVIF camera
 * (`runEventsLoop`: renewals, resubscribe with backoff, a camera without an events service asked again every
 * 10 min), each motion or tamper change published as a `CameraEventMessage` on Topics.cameraEvent(id) (qos 1).
 * The set of cameras follows `cameras/changed` at once and a full comparison every minute; deleted cameras'
 * subscribers stop, changed credentials or addresses restart theirs. Every device exchange goes through libs/onvif
 * (`PullPointClient`: byte caps and deadlines). A device in the health monitor's quarantine is not subscribed
 * (its subscriber stops when the hold begins). Off with `alarms.subscribe: false`.
 */
@Injectable()
export class CameraEventsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('CameraEvents');
  private readonly running = new Map<string, Running>();
  private readonly stopping = new AbortController();
  private timer?: NodeJS.Timeout;
  private unsubscribe?: () => Promise<void>;
  private stopWatchingHolds = () => {};
  private reconciling: Promise<void> = Promise.resolve();
  private readonly timing: LoopTiming;
  private clientOf: EventsClientFactory = (t) => new PullPointClient(t);

  constructor(
    private readonly cameras: CameraRepository,
    private readonly secrets: SecretBox,
    private readonly bus: MqttBus,
    @Inject(TIERGATE_CONFIG) private readonly config: TiergateConfig,
    private readonly health: HealthMonitor,
  ) {
    this.timing = {
      pullWaitMs: config.alarms.pullWaitSeconds * 1000,
      subscriptionMs: config.alarms.subscriptionSeconds * 1000,
      retryBaseMs: 2000,
      retryMaxMs: 5 * 60_000,
      noEventsRecheckMs: 10 * 60_000,
    };
  }

  /** For tests: another client factory (before bootstrap). */
  useClientFactory(factory: EventsClientFactory): void {
    this.clientOf = factory;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.alarms.subscribe) return;
    this.unsubscribe = await this.bus.subscribe(Topics.camerasChanged, (_t, payload) => {
      const m = payload as CamerasChangedMessage;
      if (m?.change) this.reconcileSoon();
    });
    // a device the health monitor quarantines (hostile or broken answers) is not contacted here either: its
    // subscriber stops at once, and starts again at the first comparison after the hold ends
    this.stopWatchingHolds = this.health.onHeld(() => this.reconcileSoon());
    this.reconcileSoon();
    this.timer = setInterval(() => this.reconcileSoon(), RECONCILE_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.stopWatchingHolds();
    this.stopping.abort();
    await this.unsubscribe?.().catch(() => undefined);
    await this.reconciling.catch(() => undefined);
    const all = [...this.running.values()];
    for (const r of all) r.abort.abort();
    await Promise.allSettled(all.map((r) => r.done));
    this.running.clear();
  }

  /** The subscriber state per camera (health and tests). */
  states(): Map<string, LoopState> {
    return new Map([...this.running].map(([id, r]) => [id, r.state]));
  }

  private reconcileSoon(): void {
    this.reconciling = this.reconciling.then(() => this.reconcile()).catch((e) => this.logger.warn(`event subscribers not reconciled: ${redactUrl((e as Error).message)}`));
  }

  private async reconcile(): Promise<void> {
    if (this.stopping.signal.aborted) return;
    const rows = (await this.cameras.checkTargets('all')).filter((r) => r.onvifHost && r.onvifPort && !this.health.isHeld(r.id));
    const wanted = new Map(rows.map((r) => [r.id, r]));
    for (const [id, r] of this.running) {
      const row = wanted.get(id);
      if (!row || keyOf(row) !== r.key) {
        r.abort.abort(this.health.isHeld(id) ? WITHOUT_GOODBYE : undefined);
        this.running.delete(id);
      }
    }
    for (const row of rows) if (!this.running.has(row.id)) this.start(row);
  }

  private start(row: CameraCheckTarget): void {
    const password = openPassword(this.secrets, row.passwordSealed);
    const abort = new AbortController();
    const entry: Running = { key: keyOf(row), abort, done: Promise.resolve(), state: 'starting' };
    this.running.set(row.id, entry);
    if (password === undefined) {
      entry.state = 'stopped'; // the stored password cannot be opened: nothing to subscribe with (the health status says why)
      return;
    }
    const client = this.clientOf({ host: row.onvifHost!, port: row.onvifPort!, username: row.username ?? '', password, timeoutMs: this.config.health.timeoutMs });
    let lastLogged = '';
    entry.done = runEventsLoop(
      client,
      this.timing,
      {
        onEvent: (n) => this.publish(row.id, n),
        onState: (state, detail) => {
          entry.state = state;
          const line = `${state}${detail ? `: ${detail}` : ''}`;
          // one line per change of state, not one per retry of the same failure
          const what = line.replace(/again in \d+ s/, '');
          if (what !== lastLogged && state !== 'starting') this.logger.log(`camera ${row.id} events ${redactUrl(line)}`);
          lastLogged = what;
        },
        sleep: (ms, signal) => sleep(ms, signal),
        now: () => Date.now(),
      },
      abort.signal,
    );
  }

  private async publish(cameraId: string, n: CameraNotification): Promise<void> {
    const message: CameraEventMessage = {
      eventId: randomUUID(),
      kind: n.kind,
      state: n.state,
      at: new Date().toISOString(),
      topic: n.topic,
      ...(n.utcTime ? { cameraTime: n.utcTime.toISOString() } : {}),
      ...(n.source ? { source: n.source } : {}),
    };
    await this.bus.publish(Topics.cameraEvent(cameraId), message, { qos: 1 }).catch((e) => this.logger.warn(`camera event not published: ${(e as Error).message}`));
  }
}

const keyOf = (r: CameraCheckTarget): string => JSON.stringify([r.onvifHost, r.onvifPort, r.username, r.passwordSealed]);

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
