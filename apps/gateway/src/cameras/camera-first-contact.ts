import { inPlainWords, pendingOnboardingReason, TiergateError } from '@tiergate/domain';
import type { CameraCheck } from '@tiergate/onvif';

/** How a camera being added is saved after the first contact with the device failed. */
export interface PreRegistered {
  status: 'offline' | 'unauthorized';
  reason: string;
}

/**
 * Pure: an ONVIF onboarding probe failed. A device that does not answer (CAMERA_UNREACHABLE) is saved
 * `offline`, one that refuses the credentials (CAMERA_UNAUTHORIZED) `unauthorized`, each with a reason
 * and to be onboarded by the health monitor when it first answers. With `verify`, and for anything else
 * (an answer that is not ONVIF: likely a wrong address), the error is thrown and nothing is saved.
 */
export function preRegisterOnvif(error: unknown, verify: boolean): PreRegistered {
  if (!(error instanceof TiergateError) || verify) throw error;
  const status = error.code === 'CAMERA_UNREACHABLE' ? 'offline' : error.code === 'CAMERA_UNAUTHORIZED' ? 'unauthorized' : undefined;
  if (!status) throw error;
  return { status, reason: pendingOnboardingReason(status, error.message) };
}

/**
 * Pure: what the RTSP DESCRIBE check of an RTSP-only camera means for adding it. Online: saved online.
 * Otherwise saved `offline`/`unauthorized` with the reason, or, with `verify`, refused with 502
 * CAMERA_UNREACHABLE / CAMERA_UNAUTHORIZED.
 */
export function preRegisterRtsp(check: CameraCheck, verify: boolean): PreRegistered | undefined {
  if (check.status === 'online') return undefined;
  const reason = inPlainWords(check.reason);
  if (verify) throw new TiergateError(check.status === 'unauthorized' ? 'CAMERA_UNAUTHORIZED' : check.deviceFault ? 'CAMERA_PROTOCOL_ERROR' : 'CAMERA_UNREACHABLE', reason);
  const next = check.status === 'unauthorized' ? 'saved: correct the username or password in the URL or the camera credentials' : 'saved: it is checked again at every health round';
  return { status: check.status, reason: `${reason.replace(/[.\s]+$/, '')}; ${next}`.slice(0, 500) };
}
