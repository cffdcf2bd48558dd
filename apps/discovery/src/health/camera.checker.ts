import { Inject, Injectable } from '@nestjs/common';
import { SecretBox } from '@tiergate/access';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { CameraCheck, checkOnvifCamera } from '@tiergate/onvif';
import { checkRtspCamera } from './rtsp.checker';

/** The fields of a camera a health check needs. */
export interface CheckTarget {
  id: string;
  onvifHost: string | null;
  onvifPort: number | null;
  username: string | null;
  passwordSealed: string | null;
  rtspUrl: string | null;
}

/**
 * One health check: ONVIF cameras with an anonymous GetSystemDateAndTime (clock) and an authenticated
 * GetDeviceInformation; RTSP-only cameras with DESCRIBE (Digest/Basic). Never throws.
 */
@Injectable()
export class CameraChecker {
  constructor(
    private readonly secrets: SecretBox,
    @Inject(TIERGATE_CONFIG) private readonly config: TiergateConfig,
  ) {}

  async check(c: CheckTarget): Promise<CameraCheck> {
    let password = '';
    if (c.passwordSealed) {
      try {
        password = this.secrets.open(c.passwordSealed);
      } catch {
        return { status: 'unauthorized', reason: 'the stored credentials cannot be decrypted (was the secret key changed?)' };
      }
    }
    const timeoutMs = this.config.health.timeoutMs;
    try {
      if (c.onvifHost && c.onvifPort) return await checkOnvifCamera({ host: c.onvifHost, port: c.onvifPort, username: c.username ?? '', password, timeoutMs });
      if (c.rtspUrl) return await checkRtspCamera(c.rtspUrl, c.username ?? undefined, c.passwordSealed ? password : undefined, timeoutMs);
      return { status: 'offline', reason: 'the camera has neither an ONVIF address nor an RTSP URL' };
    } catch (e) {
      return { status: 'offline', reason: `check failed: ${(e as Error).message ?? 'unknown error'}`.slice(0, 200) };
    }
  }
}
