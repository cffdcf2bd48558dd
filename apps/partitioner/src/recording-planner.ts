import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { RecordingPlanMessage, RecordingTopics, Topics, type RecordingPlanEntry, type WorkerHeartbeatMessage } from '@tiergate/contracts';
import { assignWorkers, planRecordings, type StorageOffer } from '@tiergate/domain';
import { JurisdictionTreeCache } from '@tiergate/jurisdictions';
import { MqttBus } from '@tiergate/messaging';
import { CameraRepository, RecordingsRepository } from '@tiergate/persistence';

/**
 * The acting partitioner publishes the recording plan at least this often: well inside the bus's 30 s freshness
 * window for signed messages, so the retained plan a worker gets when it (re)starts is always still accepted.
 */
export const PLAN_EVERY_MS = 10_000;
/** How often the set of alive storage offers is compared with the one of the last plan (a worker gone stale). */
export const OFFER_CHECK_MS = 2_000;
/** After start, the first plan waits one transcoder heartbeat period plus this. */
const SETTLE_MARGIN_MS = 500;

interface HeardWorker {
  offer?: { freeBytes: number };
  load: number;
  heardAt: number;
}

/**
 * The recording plan (docs/recording.md, "Rules"; RecordingTopics.plan, retained and signed): compiled from the
 * rules, the cameras and the tree (libs/domain planRecordings), continuous entries assigned to the workers that
 * offer storage in their heartbeats (assignWorkers, sticky to the plan last heard on the topic, also another
 * partitioner's). Every partitioner keeps the inputs it hears; only the acting one publishes: it runs `publish`
 * as one of its fenced jobs (ActingPartitioner), so the plan's version is the lease fence, like the access
 * snapshot's, and a partitioner that lost the lease cannot publish.
 *
 * A plan is due (the listener given to `whenDue` is called) on RecordingTopics.rulesChanged, on camerasChanged
 * and jurisdictionsChanged, when the set of alive workers offering storage changes (a heartbeat with or
 * without an offer, a worker gone: its tombstone or no heartbeat for transcoder.workerStaleMs), and every
 * PLAN_EVERY_MS; free bytes alone changing is taken at the next plan.
 */
@Injectable()
export class RecordingPlanner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RecordingPlanner');
  private readonly workers = new Map<string, HeardWorker>();
  private readonly unsubscribe: Array<() => Promise<void>> = [];
  private due: () => void = () => undefined;
  private ticker: NodeJS.Timeout | undefined;
  /** The newest plan heard or published: the previous assignment, for stickiness. */
  private previous: RecordingPlanMessage | undefined;
  /** Alive offering workers when the last plan was compiled (sorted ids, joined). */
  private plannedOffers = '';
  private lastPlanAt = 0;
  /** No plan before this: the retained heartbeats and plan are heard first (a plan without them would move every recording). */
  private settledAt = Number.POSITIVE_INFINITY;
  private settleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly recordings: RecordingsRepository,
    private readonly cameras: CameraRepository,
    private readonly trees: JurisdictionTreeCache,
    private readonly bus: MqttBus,
    @Inject(TIERGATE_CONFIG) private readonly config: TiergateConfig,
  ) {}

  /** Called by the acting partitioner: `listener` queues a fenced `publish`. */
  whenDue(listener: () => void): void {
    this.due = listener;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.unsubscribe.push(await this.bus.subscribe(Topics.workerHeartbeatAll, (topic, payload) => this.heard(topic, payload as WorkerHeartbeatMessage | null)));
    this.unsubscribe.push(
      await this.bus.subscribe(RecordingTopics.plan, (_topic, payload) => {
        const plan = payload as RecordingPlanMessage | null;
        if (plan && typeof plan.version === 'number' && Array.isArray(plan.entries) && plan.version > (this.previous?.version ?? -1)) this.previous = plan;
      }),
    );
    for (const topic of [RecordingTopics.rulesChanged, Topics.camerasChanged, Topics.jurisdictionsChanged]) {
      this.unsubscribe.push(await this.bus.subscribe(topic, () => this.due()));
    }
    this.settledAt = Date.now() + this.config.transcoder.heartbeatMs + SETTLE_MARGIN_MS;
    this.ticker = setInterval(() => this.check(), OFFER_CHECK_MS);
    this.ticker.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.ticker);
    clearTimeout(this.settleTimer);
    for (const u of this.unsubscribe.splice(0)) await u().catch(() => undefined);
  }

  /**
   * Compiles and publishes the plan with `version` (a fresh lease fence), as `holder`. Within one heartbeat
   * period of this process's start it publishes nothing (undefined) and asks again once settled.
   */
  async publish(version: number, holder: string, now = Date.now()): Promise<RecordingPlanMessage | undefined> {
    if (now < this.settledAt) {
      if (!this.settleTimer) this.settleTimer = setTimeout(() => this.due(), this.settledAt - now + 10);
      return undefined;
    }
    const offers = this.offers(now);
    this.plannedOffers = signature(offers);
    this.lastPlanAt = now;
    const rules = (await this.recordings.listRules()).filter((r) => r.enabled);
    let entries: RecordingPlanEntry[] = [];
    if (rules.length > 0) {
      const [cameras, tree] = await Promise.all([this.cameras.placementsWithTags(), this.trees.tree()]);
      entries = assignWorkers(planRecordings(rules, cameras, tree), offers, this.previous?.entries ?? []);
    }
    const plan: RecordingPlanMessage = { version, compiledAt: new Date(now).toISOString(), compiledBy: holder, entries };
    await this.bus.publish(RecordingTopics.plan, plan, { retain: true, qos: 1 });
    this.previous = plan;
    const unassigned = entries.filter((e) => e.mode === 'continuous' && !e.workerId).length;
    if (unassigned > 0) this.logger.warn(`${unassigned} continuous recording(s) have no worker with storage`);
    return plan;
  }

  /** The alive workers that offer storage, as the plan sees them. */
  offers(now = Date.now()): StorageOffer[] {
    const out: StorageOffer[] = [];
    for (const [workerId, w] of this.workers) {
      if (w.offer && now - w.heardAt <= this.config.transcoder.workerStaleMs) out.push({ workerId, freeBytes: w.offer.freeBytes, load: w.load, alive: true });
    }
    return out.sort((a, b) => (a.workerId < b.workerId ? -1 : 1));
  }

  /** A heartbeat (or a worker's tombstone): a plan is due when the set of offering workers changes. */
  heard(topic: string, hb: WorkerHeartbeatMessage | null, now = Date.now()): void {
    if (hb === null) this.workers.delete(topic.split('/')[3] ?? '');
    else if (typeof hb.workerId === 'string') {
      const roots = hb.recording?.roots ?? [];
      const offer = hb.recording ? { freeBytes: roots.reduce((sum, r) => sum + Math.max(0, r.freeBytes), 0) } : undefined;
      this.workers.set(hb.workerId, { offer, load: hb.load, heardAt: now });
    }
    if (signature(this.offers(now)) !== this.plannedOffers) this.due();
  }

  private check(now = Date.now()): void {
    if (signature(this.offers(now)) !== this.plannedOffers || now - this.lastPlanAt >= PLAN_EVERY_MS) this.due();
  }
}

const signature = (offers: readonly StorageOffer[]): string => offers.map((o) => o.workerId).join('\n');
