import { Inject, Injectable } from '@nestjs/common';
import { SecretBox } from '@tiergate/access';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { checkRtspCamera } from '@tiergate/onvif';
import { CameraCheck, checkOnvifCamera, withDeadline } from '@tiergate/onvif';
import type { CameraCheckTarget } from '@tiergate/persistence';

/** The fields of a camera a health check needs (CameraRepository's check target; `needsOnboarding` optional for callers outside a sweep). */
export type CheckTarget = Omit<CameraCheckTarget, 'needsOnboarding'> & { needsOnboarding?: boolean };

/** The stored password of a camera, opened; undefined when it cannot be (another secret key). */
export function openPassword(secrets: SecretBox, sealed: string | null): string | undefined {
  if (!sealed) return '';
  try {
    return secrets.open(sealed);
  } catch {
    return undefined;
  }
}

export const UNDECRYPTABLE_REASON = 'the stored credentials cannot be decrypted (was the secret key changed?)';

/**
 * One health check: ONVIF cameras with an anonymous GetSystemDateAndTime (clock) and an authenticated
 * GetDeviceInformation; RTSP-only cameras with DESCRIBE (Digest/Basic). Each check has one overall deadline
 * (`2 × health.timeoutMs` plus a margin) whatever the device does. Never throws.
 */
@Injectable()
export class CameraChecker {
  constructor(
    private readonly secrets: SecretBox,
    @Inject(TIERGATE_CONFIG) private readonly config: TiergateConfig,
  ) {}

  async check(c: CheckTarget): Promise<CameraCheck> {
    const password = openPassword(this.secrets, c.passwordSealed);
    if (password === undefined) return { status: 'unauthorized', reason: UNDECRYPTABLE_REASON };
    const timeoutMs = this.config.health.timeoutMs;
    try {
      if (c.onvifHost && c.onvifPort) {
        const where = `${c.onvifHost}:${c.onvifPort}`;
        return await withDeadline(checkOnvifCamera({ host: c.onvifHost, port: c.onvifPort, username: c.username ?? '', password, timeoutMs }), 2 * timeoutMs + 500, () =>
          new Error(`camera at ${where} is unreachable (ETIMEDOUT)`));
      }
      if (c.rtspUrl) return await checkRtspCamera(c.rtspUrl, c.username ?? undefined, c.passwordSealed ? password : undefined, timeoutMs);
      return { status: 'offline', reason: 'the camera has neither an ONVIF address nor an RTSP URL' };
    } catch (e) {
      const message = (e as Error).message ?? 'unknown error';
      return { status: 'offline', reason: (/unreachable/.test(message) ? message : `check failed: ${message}`).slice(0, 200) };
    }
  }
}
