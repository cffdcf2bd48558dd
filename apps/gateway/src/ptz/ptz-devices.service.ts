import { Inject, Injectable } from '@nestjs/common';
import { SecretBox } from '@tiergate/access';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { PtzClient, PtzEndpoint } from '@tiergate/onvif';
import type { CameraRecord } from '@tiergate/persistence';

/** A camera's PTZ client and endpoint. */
export interface PtzDevice {
  client: PtzClient;
  endpoint: PtzEndpoint;
}

/** A found PTZ endpoint is trusted this long; a camera without one is asked again after NO_PTZ_MS. */
const FOUND_MS = 10 * 60_000;
const NO_PTZ_MS = 60_000;
const MAX_ENTRIES = 5000;

interface Entry {
  /** Address and credentials the entry was made with: a change (new password, moved camera) makes a new one. */
  key: string;
  client: PtzClient;
  until: number;
  endpoint: Promise<PtzEndpoint | undefined>;
}

/**
 * The PTZ side of each camera: one PtzClient per camera (it keeps the camera's clock shift and Digest challenge),
 * made with its stored credentials (SecretBox, as snapshots are fetched) and the health check's deadline, and the
 * endpoint it found (PTZ XAddr and profile), cached. A failed discovery is not cached: the next request asks again.
 */
@Injectable()
export class PtzDevices {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly secrets: SecretBox,
    @Inject(TIERGATE_CONFIG) private readonly config: TiergateConfig,
  ) {}

  /** The camera's PTZ device, or undefined when it has none (no ONVIF address, no PTZ service or profile). */
  async open(camera: CameraRecord): Promise<PtzDevice | undefined> {
    if (!camera.onvifHost || !camera.onvifPort) return undefined;
    const key = `${camera.onvifHost}|${camera.onvifPort}|${camera.username ?? ''}|${camera.passwordSealed ?? ''}`;
    let entry = this.entries.get(camera.id);
    if (!entry || entry.key !== key || entry.until <= Date.now()) entry = this.discover(camera, key);
    const endpoint = await entry.endpoint;
    return endpoint && { client: entry.client, endpoint };
  }

  /** Forgets a camera's endpoint (its answers say it changed). */
  forget(cameraId: string): void {
    this.entries.delete(cameraId);
  }

  private discover(camera: CameraRecord, key: string): Entry {
    const password = camera.passwordSealed ? this.secrets.open(camera.passwordSealed) : '';
    const client = new PtzClient({ host: camera.onvifHost!, port: camera.onvifPort!, username: camera.username ?? '', password, timeoutMs: this.config.health.timeoutMs });
    const entry: Entry = { key, client, until: Date.now() + FOUND_MS, endpoint: client.discover() };
    this.entries.set(camera.id, entry);
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    entry.endpoint.then(
      (found) => {
        if (!found) entry.until = Date.now() + NO_PTZ_MS;
      },
      () => {
        if (this.entries.get(camera.id) === entry) this.entries.delete(camera.id);
      },
    );
    return entry;
  }
}
