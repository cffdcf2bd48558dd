import type { SweepState } from '@tiergate/contracts';
import type { SweepFinding, SweepRecord } from '@tiergate/persistence';

export interface SweepView {
  id: string;
  /** A sweep not yet claimed by a discovery process (`queued`) is shown as `running` (CONTRACT.md). */
  state: Exclude<SweepState, 'queued'>;
  progress: number;
  params: { cidr?: string; multicast: boolean; ports: number[] };
  found: SweepFinding[];
  error?: string;
  createdAt: string;
  finishedAt: string | null;
}

/** The (visible) camera a finding already is, with what its GetDeviceInformation answered at onboarding. */
export interface FindingCamera {
  id: string;
  /** Its name, for the console's link to it. */
  name?: string;
  device?: { manufacturer?: string; model?: string } | null;
}

/**
 * Pure: a sweep row with `cameraId` (and `cameraName`) set on findings that are already (visible) cameras. For those, the
 * device's own GetDeviceInformation `manufacturer`/`model` replace what the sweep read from its
 * WS-Discovery scopes (a `name/` scope can be renamed by the owner; the device information cannot).
 */
export function toSweepView(s: SweepRecord, cameraOf: (f: SweepFinding) => FindingCamera | undefined): SweepView {
  return {
    id: s.id,
    state: s.state === 'queued' ? 'running' : s.state,
    progress: Math.max(0, Math.min(1, s.progress)),
    params: s.params,
    found: s.found.map((f) => {
      const { cameraId: _stale, cameraName: _staleName, ...rest } = f;
      const camera = cameraOf(f);
      if (!camera) return rest;
      const out: SweepFinding = { ...rest, cameraId: camera.id, ...(camera.name ? { cameraName: camera.name } : {}) };
      if (camera.device?.manufacturer) out.manufacturer = camera.device.manufacturer;
      if (camera.device?.model) out.model = camera.device.model;
      return out;
    }),
    ...(s.error ? { error: s.error } : {}),
    createdAt: new Date(s.createdAt).toISOString(),
    finishedAt: s.finishedAt ? new Date(s.finishedAt).toISOString() : null,
  };
}
