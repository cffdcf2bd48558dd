import { Inject, Injectable } from '@nestjs/common';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { TiergateError } from '@tiergate/domain';
import { checkRtspCamera } from '@tiergate/onvif';
import { CameraCheck, probeCamera, ProbedCamera, withDeadline } from '@tiergate/onvif';

export interface OnvifAccess {
  host: string;
  port: number;
  username: string;
  password: string;
}

/**
 * First contact with a device being added (the one I/O edge of camera creation). Each call has one overall
 * deadline: a probe is several SOAP requests, each bounded by discovery.connectTimeoutMs, and the whole is
 * bounded by three of those, so a device that answers slowly step after step cannot hold a request open.
 */
@Injectable()
export class CameraProber {
  constructor(@Inject(TIERGATE_CONFIG) private readonly config: TiergateConfig) {}

  /** ONVIF onboarding probe. Throws TiergateError CAMERA_UNAUTHORIZED / CAMERA_UNREACHABLE / CAMERA_PROTOCOL_ERROR. */
  probe(access: OnvifAccess): Promise<ProbedCamera> {
    const timeoutMs = this.config.discovery.connectTimeoutMs;
    const where = `${access.host}:${access.port}`;
    return withDeadline(probeCamera({ ...access, timeoutMs }), 3 * timeoutMs, () =>
      new TiergateError('CAMERA_UNREACHABLE', `camera at ${where} did not finish onboarding within ${Math.round((3 * timeoutMs) / 1000)} s (ETIMEDOUT)`));
  }

  /** RTSP DESCRIBE of an RTSP-only camera (Digest/Basic when challenged). Never throws. */
  checkRtsp(url: string, username: string | undefined, password: string | undefined): Promise<CameraCheck> {
    return checkRtspCamera(url, username, password, this.config.discovery.connectTimeoutMs);
  }
}
