import { Inject, Injectable } from '@nestjs/common';
import { SecretBox } from '@tiergate/access';
import { TIERGATE_CONFIG, type TiergateConfig } from '@tiergate/config';
import { RecordingTopics, type StreamKey } from '@tiergate/contracts';
import { TiergateError } from '@tiergate/domain';
import { streamSourceOf } from '@tiergate/media';
import { MqttBus } from '@tiergate/messaging';
import { CameraRepository, RecordingsRepository } from '@tiergate/persistence';
import type { RecordingManager } from './recording-manager';
import type { RecordingSetup } from './recording.setup';
import { recordingRootsOf } from './vod-host';

/**
 * The worker's recording inside a Nest process: what the runtime needs to record (roots from config, the segment
 * index, the cameras' sources with their credentials opened here), and the plan subscription (signed, retained:
 * a new worker gets the plan in force at once). TranscoderHost passes setup() to startTranscoder and hands the
 * manager back to follow().
 */
@Injectable()
export class RecordingHost {
  private unsubscribe?: () => Promise<void>;

  constructor(
    @Inject(TIERGATE_CONFIG) private readonly config: TiergateConfig,
    private readonly bus: MqttBus,
    private readonly recordings: RecordingsRepository,
    private readonly cameras: CameraRepository,
    private readonly secrets: SecretBox,
  ) {}

  /** Undefined when this worker has no storage root: it records nothing and offers no storage. */
  setup(): RecordingSetup | undefined {
    const roots = [...recordingRootsOf(this.config)].map(([id, path]) => ({ id, path, quotaBytes: this.config.recording.roots.find((r) => r.id === id)!.quotaBytes }));
    if (roots.length === 0) return undefined;
    const r = this.config.recording;
    return {
      roots,
      segmentSeconds: r.segmentSeconds,
      minFreeBytes: r.minFreeBytes,
      pruneIntervalMs: r.pruneIntervalSeconds * 1000,
      index: this.recordings,
      sourceOf: (key) => this.sourceOf(key),
    };
  }

  async follow(manager: RecordingManager): Promise<void> {
    this.unsubscribe = await this.bus.subscribe(RecordingTopics.plan, (_topic, payload) => manager.onPlan(payload));
  }

  async stop(): Promise<void> {
    await this.unsubscribe?.().catch(() => undefined);
    this.unsubscribe = undefined;
  }

  private async sourceOf(key: StreamKey): Promise<{ sourceUrl: string; transcode: boolean }> {
    const camera = await this.cameras.findById(key.cameraId);
    if (!camera) throw new TiergateError('NOT_FOUND', `camera ${key.cameraId} is not known`);
    const source = streamSourceOf(camera, key.profile, camera.passwordSealed ? this.secrets.open(camera.passwordSealed) : null);
    return { sourceUrl: source.url, transcode: source.transcode };
  }
}
