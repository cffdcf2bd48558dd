import { setMaxListeners } from 'node:events';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { CameraStatusMessage, CamerasChangedMessage, StreamStateMessage, Topics } from '@tiergate/contracts';
import { redactUrl } from '@tiergate/domain';
import { MqttBus } from '@tiergate/messaging';
import type { CameraCheck } from '@tiergate/onvif';
import { forEachBounded } from '../sweep/bounded';
import { CameraChecker, CheckTarget } from './camera.checker';

const TARGET_COLUMNS = `id, "onvifHost", "onvifPort", username, "passwordSealed", "rtspUrl"`;

/**
 * Checks every camera once per `health.intervalSeconds`, spread evenly over the period with at most
 * `health.concurrency` checks at once, and writes status, statusReason, lastSeenAt and statusCheckedAt.
 * Every status CHANGE is published retained on Topics.cameraStatus(id). Newly created, imported
 * and changed cameras are checked at once (imports do not probe devices). Checks of one camera never overlap.
 */
@Injectable()
export class HealthMonitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('HealthMonitor');
  private readonly abort = withListenerRoom(new AbortController());
  private readonly perCamera = new Map<string, Promise<CameraCheck>>();
  private loop: Promise<void> | undefined;
  private unsubscribe: (() => Promise<void>) | undefined;
  private unsubscribeStreams: (() => Promise<void>) | undefined;
  /** When a failing stream last triggered a check of its camera (at most one such check per 10 s). */
  private readonly failureChecks = new Map<string, number>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly checker: CameraChecker,
    private readonly bus: MqttBus,
    @Inject(TIERGATE_CONFIG) private readonly config: TiergateConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.unsubscribe = await this.bus.subscribe(Topics.camerasChanged, (_t, payload) => {
      const m = payload as CamerasChangedMessage;
      // New cameras not checked yet (imports and RTSP URLs are not probed when added) and changed ones
      // (new credentials) get a check at once.
      if ((m?.change === 'created' || m?.change === 'imported' || m?.change === 'updated') && Array.isArray(m.cameraIds)) {
        const ids = m.cameraIds.filter((id) => typeof id === 'string');
        void this.checkIds(ids, m.change !== 'updated').catch(() => undefined);
      }
    });
    // A live stream that keeps failing (a transcoder's `failed` state) gets its camera checked now, so the
    // camera's status says why (offline, unauthorized) without waiting for the next round.
    this.unsubscribeStreams = await this.bus.subscribe(Topics.streamStateAll, (topic, payload) => {
      if ((payload as StreamStateMessage | null)?.state !== 'failed') return;
      const cameraId = topic.split('/')[3];
      const last = this.failureChecks.get(cameraId) ?? 0;
      if (Date.now() - last < 10_000) return;
      this.failureChecks.set(cameraId, Date.now());
      void this.checkNow(cameraId).catch(() => undefined);
    });
    this.loop = this.run().catch((e) => this.logger.error(`health loop stopped: ${(e as Error).message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    this.abort.abort();
    await this.unsubscribe?.().catch(() => undefined);
    await this.unsubscribeStreams?.().catch(() => undefined);
    await this.loop;
    await Promise.allSettled([...this.perCamera.values()]);
  }

  /** Checks one camera, or every camera (bounded concurrency, no spreading), now; resolves with the results. */
  async checkNow(cameraId?: string): Promise<Map<string, CameraCheck>> {
    if (cameraId !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(cameraId)) return new Map();
    const rows: CheckTarget[] = cameraId
      ? await this.dataSource.query(`SELECT ${TARGET_COLUMNS} FROM cameras WHERE id = $1`, [cameraId])
      : await this.dataSource.query(`SELECT ${TARGET_COLUMNS} FROM cameras ORDER BY id`);
    const results = new Map<string, CameraCheck>();
    await forEachBounded(rows, this.config.health.concurrency, async (row) => {
      results.set(row.id, await this.checkOne(row));
    });
    return results;
  }

  private async checkIds(ids: readonly string[], uncheckedOnly: boolean): Promise<void> {
    const rows: CheckTarget[] = await this.dataSource.query(
      `SELECT ${TARGET_COLUMNS} FROM cameras WHERE id = ANY($1::uuid[])${uncheckedOnly ? ` AND "statusCheckedAt" IS NULL` : ''}`,
      [ids],
    );
    await forEachBounded(rows, this.config.health.concurrency, async (row) => void (await this.checkOne(row).catch(() => undefined)), this.abort.signal);
  }

  private async run(): Promise<void> {
    const period = this.config.health.intervalSeconds * 1000;
    while (!this.abort.signal.aborted) {
      const start = Date.now();
      try {
        const rows: CheckTarget[] = await this.dataSource.query(`SELECT ${TARGET_COLUMNS} FROM cameras ORDER BY id`);
        const gap = period / Math.max(1, rows.length);
        await forEachBounded(
          rows.map((row, i) => ({ row, at: start + i * gap })),
          this.config.health.concurrency,
          async ({ row, at }) => {
            await this.sleep(at - Date.now());
            if (this.abort.signal.aborted) return;
            // One camera's failure (e.g. a row deleted meanwhile) must not end the round.
            await this.checkOne(row).catch((e) => this.logger.warn(`check of ${row.id} failed: ${redactUrl((e as Error).message)}`));
          },
          this.abort.signal,
        );
      } catch (e) {
        if (!this.abort.signal.aborted) this.logger.warn(`health round failed: ${redactUrl((e as Error).message)}`);
      }
      await this.sleep(start + period - Date.now());
    }
  }

  /** One check of one camera, serialised per camera; a check asked for during another runs after it. */
  private checkOne(row: CheckTarget): Promise<CameraCheck> {
    const previous = this.perCamera.get(row.id) ?? Promise.resolve(undefined);
    const next = previous.catch(() => undefined).then(() => this.checkAndRecord(row));
    this.perCamera.set(row.id, next);
    next
      .finally(() => {
        if (this.perCamera.get(row.id) === next) this.perCamera.delete(row.id);
      })
      .catch(() => undefined);
    return next;
  }

  private async checkAndRecord(row: CheckTarget): Promise<CameraCheck> {
    const result = await this.checker.check(row);
    const reason = result.status === 'online' ? null : redactUrl(result.reason).slice(0, 500);
    const now = new Date();
    const updated: { old: string }[] = await this.dataSource
      .query(
        `UPDATE cameras c SET status = $2::varchar, "statusReason" = $3::text, "statusCheckedAt" = $4::timestamptz,
                "lastSeenAt" = CASE WHEN $2::varchar = 'online' THEN $4::timestamptz ELSE c."lastSeenAt" END
           FROM (SELECT id, status AS old FROM cameras WHERE id = $1 FOR UPDATE) o
          WHERE c.id = o.id RETURNING o.old`,
        [row.id, result.status, reason, now],
      )
      .then((r: unknown) => (Array.isArray(r) && Array.isArray(r[0]) ? r[0] : r) as { old: string }[]);
    const old = updated[0]?.old;
    if (old !== undefined && old !== result.status) {
      const message: CameraStatusMessage = { status: result.status, at: now.toISOString(), ...(reason ? { reason } : {}) };
      await this.bus.publish(Topics.cameraStatus(row.id), message, { retain: true }).catch((e) => this.logger.warn(`status not published: ${(e as Error).message}`));
    }
    return result;
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.abort.signal.aborted) return Promise.resolve();
    const signal = this.abort.signal;
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      // Removed again when the timer fires: one listener per pending sleep, not one per sleep ever made.
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }
}

/** Every pending check sleeps on the signal; up to `health.concurrency` at once is expected, not a leak. */
function withListenerRoom(controller: AbortController): AbortController {
  setMaxListeners(0, controller.signal);
  return controller;
}
