import { Inject, Injectable } from '@nestjs/common';
import { Repository } from 'typeorm';
import { Principal, ScopeService, SecretBox } from '@tiergate/access';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { notFound } from '@tiergate/domain';
import { CameraEntity, InjectRepository } from '@tiergate/persistence';
import { Snapshot, SnapshotFetcher } from './snapshot.fetcher';
import { snapshotUrlOf } from './snapshot-url';

/** How long one fetched snapshot serves every viewer: post PCs refresh every few seconds, cameras stay calm. */
const FRESH_MS = 2000;

/** Camera snapshots for the post PCs' garage thumbnails: scope-checked, cached briefly, one fetch per camera at a time. */
@Injectable()
export class SnapshotsService {
  private readonly cache = new Map<string, { at: number; snapshot: Promise<Snapshot> }>();

  constructor(
    @InjectRepository(CameraEntity) private readonly cameras: Repository<CameraEntity>,
    @Inject(TIERGATE_CONFIG) private readonly config: TiergateConfig,
    private readonly scope: ScopeService,
    private readonly secrets: SecretBox,
    private readonly fetcher: SnapshotFetcher,
  ) {}

  async snapshot(principal: Principal, cameraId: string): Promise<Snapshot> {
    await this.scope.assertCameraVisible(principal, cameraId);
    const now = Date.now();
    const hit = this.cache.get(cameraId);
    if (hit && now - hit.at < FRESH_MS) return hit.snapshot;
    const snapshot = this.fetch(cameraId);
    this.cache.set(cameraId, { at: now, snapshot });
    snapshot.catch(() => this.cache.delete(cameraId));
    if (this.cache.size > 5000) this.cache.delete(this.cache.keys().next().value as string);
    return snapshot;
  }

  private async fetch(cameraId: string): Promise<Snapshot> {
    const camera = await this.cameras.findOne({ where: { id: cameraId } });
    if (!camera) throw notFound('camera');
    const url = snapshotUrlOf(camera.snapshotUri, camera.onvifHost);
    const password = camera.passwordSealed ? this.secrets.open(camera.passwordSealed) : null;
    return this.fetcher.fetch(url, camera.username, password, this.config.health.timeoutMs);
  }
}
