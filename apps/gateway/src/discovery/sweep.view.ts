import type { DiscoverySweepEntity, SweepFinding } from '@tiergate/persistence';

export interface SweepView {
  id: string;
  state: string;
  progress: number;
  params: { cidr?: string; multicast: boolean; ports: number[] };
  found: SweepFinding[];
  error?: string;
  createdAt: string;
  finishedAt: string | null;
}

/** Pure: a sweep row with `cameraId` set on findings that are already (visible) cameras. */
export function toSweepView(s: DiscoverySweepEntity, cameraIdOf: (f: SweepFinding) => string | undefined): SweepView {
  return {
    id: s.id,
    state: s.state === 'queued' ? 'running' : s.state,
    progress: Math.max(0, Math.min(1, s.progress)),
    params: s.params,
    found: s.found.map((f) => {
      const { cameraId: _stale, ...rest } = f;
      const cameraId = cameraIdOf(f);
      return cameraId ? { ...rest, cameraId } : rest;
    }),
    ...(s.error ? { error: s.error } : {}),
    createdAt: new Date(s.createdAt).toISOString(),
    finishedAt: s.finishedAt ? new Date(s.finishedAt).toISOString() : null,
  };
}
