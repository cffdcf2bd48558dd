import {
  parsePtzPresets,
  parsePtzProfileToken,
  parsePtzStatus,
  parsePtzXAddr,
  parseSetPreset,
  ptzRequests,
  PtzPresetInfo,
  PtzStatus,
  PtzVector,
  readPtzAnswer,
  saysNotSupported,
} from './ptz.codec';
import { SoapChannel, SoapTarget } from '../soap/soap-channel';

export type PtzTarget = SoapTarget;

/** Where one camera's PTZ service answers, and the media profile its commands name. */
export interface PtzEndpoint {
  service: URL;
  profileToken: string;
}

/** A ContinuousMove runs at most this long at the camera (a lost client does not spin the head). */
export const MAX_PTZ_MOVE_MS = 5000;

/**
 * The ONVIF PTZ client of one camera: discovery (the PTZ XAddr from GetCapabilities and a profile with a PTZ
 * configuration from GetProfiles), GetStatus, ContinuousMove (always with a Timeout, at most MAX_PTZ_MOVE_MS), Stop,
 * AbsoluteMove and the presets. Transport, caps and deadlines: SoapChannel; reading answers: ptz.codec.ts.
 */
export class PtzClient {
  private readonly channel: SoapChannel;

  constructor(target: PtzTarget) {
    this.channel = new SoapChannel(target);
  }

  get where(): string {
    return this.channel.where;
  }

  /** The camera's PTZ endpoint, or undefined when it has no PTZ service or no profile with a PTZ configuration. */
  async discover(signal?: AbortSignal): Promise<PtzEndpoint | undefined> {
    const device = this.channel.at('/onvif/device_service');
    const caps = await this.channel.call(device, ptzRequests.getCapabilities(), { signal });
    if (saysNotSupported(caps.status, caps.body)) return undefined;
    const xaddr = parsePtzXAddr(caps.body);
    if (!xaddr) return undefined;
    const profiles = await this.channel.call(device, ptzRequests.getProfiles(), { signal });
    const profileToken = parsePtzProfileToken(profiles.body);
    return profileToken ? { service: this.channel.at(xaddr.pathname + xaddr.search), profileToken } : undefined;
  }

  async status(at: PtzEndpoint, signal?: AbortSignal): Promise<PtzStatus> {
    return parsePtzStatus((await this.channel.call(at.service, ptzRequests.getStatus(at.profileToken), { signal })).body);
  }

  /** Moves at `velocity` (each axis in [-1, 1]) for `durationMs` (at most MAX_PTZ_MOVE_MS), or until stop(). */
  async continuousMove(at: PtzEndpoint, velocity: PtzVector, durationMs: number, signal?: AbortSignal): Promise<void> {
    const ms = Math.min(MAX_PTZ_MOVE_MS, Math.max(0, durationMs));
    await this.expect(at, ptzRequests.continuousMove(at.profileToken, velocity, ms), 'ContinuousMoveResponse', 'ContinuousMove', signal);
  }

  async stop(at: PtzEndpoint, signal?: AbortSignal): Promise<void> {
    await this.expect(at, ptzRequests.stop(at.profileToken), 'StopResponse', 'Stop', signal);
  }

  async absoluteMove(at: PtzEndpoint, position: PtzVector, signal?: AbortSignal): Promise<void> {
    await this.expect(at, ptzRequests.absoluteMove(at.profileToken, position), 'AbsoluteMoveResponse', 'AbsoluteMove', signal);
  }

  async presets(at: PtzEndpoint, signal?: AbortSignal): Promise<PtzPresetInfo[]> {
    return parsePtzPresets((await this.channel.call(at.service, ptzRequests.getPresets(at.profileToken), { signal })).body);
  }

  /** Saves the current position as preset `name` (over preset `token` when given); answers its token. */
  async setPreset(at: PtzEndpoint, name: string, token?: string, signal?: AbortSignal): Promise<string> {
    return parseSetPreset((await this.channel.call(at.service, ptzRequests.setPreset(at.profileToken, name, token), { signal })).body);
  }

  async gotoPreset(at: PtzEndpoint, token: string, signal?: AbortSignal): Promise<void> {
    await this.expect(at, ptzRequests.gotoPreset(at.profileToken, token), 'GotoPresetResponse', 'GotoPreset', signal);
  }

  private async expect(at: PtzEndpoint, body: string, operation: string, what: string, signal?: AbortSignal): Promise<void> {
    readPtzAnswer((await this.channel.call(at.service, body, { signal })).body, operation, what);
  }
}
