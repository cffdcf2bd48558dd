import { Inject, Injectable } from '@nestjs/common';
import { SecretBox } from '@tiergate/access';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { redactUrl } from '@tiergate/domain';
import { DeviceFault, deviceFaultOf, probeCamera, ProbedCamera, withDeadline } from '@tiergate/onvif';
import { CheckTarget, openPassword, UNDECRYPTABLE_REASON } from './camera.checker';

/** `deviceFault`: the device sent an answer too large or too slowly (see libs/onvif device-io). */
export type OnboardingResult = { ok: true; probed: ProbedCamera } | { ok: false; reason: string; deviceFault?: DeviceFault };

/**
 * Completes the onboarding of a pre-registered or imported ONVIF camera once it answers: device
 * information, profiles (main/sub), stream and snapshot URIs, exactly as adding it with the device up
 * would have read them (libs/onvif `probeCamera`). One overall deadline of `4 × health.timeoutMs`. Never throws.
 */
@Injectable()
export class CameraOnboarder {
  constructor(
    private readonly secrets: SecretBox,
    @Inject(TIERGATE_CONFIG) private readonly config: TiergateConfig,
  ) {}

  async onboard(c: CheckTarget): Promise<OnboardingResult> {
    if (!c.onvifHost || !c.onvifPort) return { ok: false, reason: 'the camera has no ONVIF address' };
    const password = openPassword(this.secrets, c.passwordSealed);
    if (password === undefined) return { ok: false, reason: UNDECRYPTABLE_REASON };
    const timeoutMs = this.config.health.timeoutMs;
    const where = `${c.onvifHost}:${c.onvifPort}`;
    try {
      const probed = await withDeadline(probeCamera({ host: c.onvifHost, port: c.onvifPort, username: c.username ?? '', password, timeoutMs }), 4 * timeoutMs, () =>
        new Error(`camera at ${where} did not finish onboarding within ${Math.round((4 * timeoutMs) / 1000)} s`));
      if (probed.profiles.length === 0) return { ok: false, reason: `camera at ${where} reports no video profile with a stream URI` };
      return { ok: true, probed };
    } catch (e) {
      const reason = redactUrl(String((e as Error).message ?? e)).slice(0, 300);
      const fault = deviceFaultOf(e);
      return fault ? { ok: false, reason, deviceFault: fault.fault } : { ok: false, reason };
    }
  }
}
