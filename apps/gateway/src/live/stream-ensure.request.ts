import { Injectable } from '@nestjs/common';
import { SecretBox } from '@tiergate/access';
import { StreamEnsureRequest, streamKeyId, type StreamProfile, type StreamReadiness } from '@tiergate/contracts';
import { MqttBus } from '@tiergate/messaging';
import type { CameraRecord } from '@tiergate/persistence';
import { StreamContinuity } from './stream-continuity';
import { streamSourceOf } from './stream-source';

/**
 * Builds the StreamEnsure request for a camera's session: its source (the camera's credentials sealed for the
 * bus: only the worker opens them) and, after a failover, the timeline position this gateway served last.
 */
@Injectable()
export class StreamEnsureRequests {
  constructor(
    private readonly secrets: SecretBox,
    private readonly bus: MqttBus,
    private readonly continuity: StreamContinuity,
  ) {}

  /** `readyAt`: when the worker answers (the default, `segment`, is left out of the message, as before). */
  of(camera: CameraRecord, profile: StreamProfile, now = Date.now(), readyAt: StreamReadiness = 'segment'): StreamEnsureRequest {
    const cameraId = camera.id;
    const source = streamSourceOf(camera, profile, camera.passwordSealed ? this.secrets.open(camera.passwordSealed) : null);
    // A session this gateway served recently (its worker died): the new worker continues its timeline.
    const continueFrom = this.continuity.lastServed(streamKeyId({ cameraId, profile }), now);
    // The URL carries the camera's credentials: it crosses the bus sealed, only the worker opens it.
    return { cameraId, profile, sourceSealed: this.bus.sealSecret(source.url), transcode: source.transcode, ...(continueFrom ? { continueFrom } : {}), ...(readyAt === 'fragment' ? { readyAt } : {}) };
  }
}
