import type { CameraProfile, TiergateError } from '@tiergate/domain';
import { OnvifSession, OnvifTarget, RawDeviceInfo } from './onvif-cam.adapter';
import { cleanCameraUri } from './stream-uri.rewriter';
import { assignProfileKinds } from './profile-kind';
import { DeviceFault, deviceFaultOf } from '../net/device-io';

export type ProbedProfile = CameraProfile;

export interface ProbedCamera {
  device: RawDeviceInfo;
  profiles: ProbedProfile[];
  snapshotUri?: string;
  /** Camera clock minus ours (ms), as measured by GetSystemDateAndTime. */
  clockShiftMs: number;
}

export type ProbeTarget = OnvifTarget;

/**
 * Onboards one ONVIF device: connect (clock shift, services, profiles), device information, an RTSP-over-TCP
 * stream URI per profile and a snapshot URI. Throws TiergateError CAMERA_UNAUTHORIZED / CAMERA_UNREACHABLE /
 * CAMERA_PROTOCOL_ERROR.
 */
export async function probeCamera(target: ProbeTarget): Promise<ProbedCamera> {
  const session = await OnvifSession.connect(target);
  try {
    return await readCamera(session, target);
  } finally {
    session.close();
  }
}

async function readCamera(session: OnvifSession, target: ProbeTarget): Promise<ProbedCamera> {
  const device = await session.deviceInformation();
  // Stream URIs first: main/sub is read from them too when a profile carries no resolution.
  const streams: Omit<ProbedProfile, 'kind'>[] = [];
  for (const p of session.profiles) {
    const raw = await session.streamUri(p.token);
    const clean = raw ? cleanCameraUri(raw, target.host) : undefined;
    if (!clean) continue;
    streams.push({ ...p, streamUri: clean.uri });
  }
  const profiles: ProbedProfile[] = assignProfileKinds(streams);
  let snapshotUri: string | undefined;
  const main = profiles.find((p) => p.kind === 'main') ?? profiles[0];
  if (main) {
    try {
      const raw = await session.snapshotUri(main.token);
      snapshotUri = raw ? cleanCameraUri(raw, target.host)?.uri : undefined;
    } catch (e) {
      // Snapshots are optional; a device that answers too much or too slowly is not let off.
      if ((e as TiergateError).code !== 'CAMERA_PROTOCOL_ERROR' || deviceFaultOf(e)) throw e;
    }
  }
  return { device, profiles, snapshotUri, clockShiftMs: session.clockShiftMs };
}

/** `deviceFault`: the device answered too much or too slowly (our limits closed the socket): a hostile or broken device. */
export type CameraCheck = { status: 'online' } | { status: 'offline' | 'unauthorized'; reason: string; deviceFault?: DeviceFault };

/**
 * A cheap authenticated check for the health monitor: GetSystemDateAndTime (anonymous, sets the clock
 * shift) then GetDeviceInformation (needs the credentials).
 */
export async function checkOnvifCamera(target: ProbeTarget): Promise<CameraCheck> {
  const session = OnvifSession.create(target);
  try {
    await session.readClock();
    await session.deviceInformation();
    return { status: 'online' };
  } catch (e) {
    const err = e as TiergateError;
    if (err.code === 'CAMERA_UNAUTHORIZED') return { status: 'unauthorized', reason: err.message };
    const fault = deviceFaultOf(err);
    return fault ? { status: 'offline', reason: err.message, deviceFault: fault.fault } : { status: 'offline', reason: err.message };
  } finally {
    session.close();
  }
}
