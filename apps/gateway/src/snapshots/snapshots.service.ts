import { Inject, Injectable } from '@nestjs/common';
import { Principal, ScopeService, SecretBox } from '@tiergate/access';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { notFound } from '@tiergate/domain';
import { deviceFaultOf } from '@tiergate/onvif';
import { CameraRepository } from '@tiergate/persistence';
import { Snapshot, SnapshotFetcher } from '@tiergate/onvif';
import { snapshotUrlOf } from './snapshot-url';

/** How long one fetched snapshot serves every viewer: post PCs refresh every few seconds, cameras stay calm. */
const FRESH_MS = 2000;
/** A camera that sent a snapshot too large or too slowly is not asked again for this long: its failure is the answer. */
export const HOSTILE_HOLD_MS = 30_000;

/** Camera snapshots for the post PCs' garage thumbnails: scope-checked, cached briefly, one fetch per camera at a time. */
@Injectable()
export class SnapshotsService {
  private readonly cache = new Map<string, { until: number; snapshot: Promise<Snapshot> }>();

  constructor(
    private readonly cameras: CameraRepository,
    @Inject(TIERGATE_CONFIG) private readonly config: TiergateConfig,
    private readonly scope: ScopeService,
    private readonly secrets: SecretBox,
    private readonly fetcher: SnapshotFetcher,
  ) {}

  async snapshot(principal: Principal, cameraId: string): Promise<Snapshot> {
    await this.scope.assertCameraVisible(principal, cameraId);
    const now = Date.now();
    const hit = this.cache.get(cameraId);
    if (hit && now < hit.until) return hit.snapshot;
    const snapshot = this.fetch(cameraId);
    const entry = { until: now + FRESH_MS, snapshot };
    this.cache.set(cameraId, entry);
    snapshot.catch((e) => {
      if (this.cache.get(cameraId) !== entry) return;
      // Failures are asked again at once, except a device that misbehaved (too much, too slow): held a while.
      if (deviceFaultOf(e)) entry.until = Date.now() + HOSTILE_HOLD_MS;
      else this.cache.delete(cameraId);
    });
    if (this.cache.size > 5000) this.cache.delete(this.cache.keys().next().value as string);
    return snapshot;
  }

  private async fetch(cameraId: string): Promise<Snapshot> {
    const camera = await this.cameras.findById(cameraId);
    if (!camera) throw notFound('camera');
    const url = snapshotUrlOf(camera.snapshotUri, camera.onvifHost);
    const password = camera.passwordSealed ? this.secrets.open(camera.passwordSealed) : null;
    return this.fetcher.fetch(url, camera.username, password, this.config.health.timeoutMs);
  }
}
