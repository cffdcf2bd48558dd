import { Inject, Injectable } from '@nestjs/common';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { probeCamera, ProbedCamera } from '@tiergate/onvif';

export interface OnvifAccess {
  host: string;
  port: number;
  username: string;
  password: string;
}

/** Onboarding probe of an ONVIF device (the one I/O edge of camera creation), bounded by discovery.connectTimeoutMs. */
@Injectable()
export class CameraProber {
  constructor(@Inject(TIERGATE_CONFIG) private readonly config: TiergateConfig) {}

  probe(access: OnvifAccess): Promise<ProbedCamera> {
    return probeCamera({ ...access, timeoutMs: this.config.discovery.connectTimeoutMs });
  }
}
