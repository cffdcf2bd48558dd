import { RatePeriod } from './rate-period';
import { RateValue, ratio } from './rate-value';

/** One viewing interval of one camera, epoch ms, half-open. */
export interface ViewingInterval {
  cameraId: string;
  startedAt: number;
  endedAt: number;
}

/** What one camera contributes to the monitoring rate over a period. */
export interface CameraWatch {
  /** Watched live at least once in the period (some interval overlaps it by more than 0 ms). */
  watched: boolean;
  /** Length of the union of its intervals clipped to the period, ms. */
  watchedMs: number;
}

/**
 * Per camera: the union of its viewing intervals clipped to `period` (overlapping viewers count once).
 * Cameras without intervals are absent from the answer (not watched, 0 ms).
 */
export function cameraWatches(intervals: readonly ViewingInterval[], period: RatePeriod): Map<string, CameraWatch> {
  const byCamera = new Map<string, [number, number][]>();
  for (const iv of intervals) {
    const from = Math.max(iv.startedAt, period.from);
    const to = Math.min(iv.endedAt, period.to);
    if (to <= from) continue;
    let list = byCamera.get(iv.cameraId);
    if (!list) byCamera.set(iv.cameraId, (list = []));
    list.push([from, to]);
  }
  const out = new Map<string, CameraWatch>();
  for (const [cameraId, list] of byCamera) out.set(cameraId, { watched: true, watchedMs: unionLength(list) });
  return out;
}

/** Total length of the union of half-open intervals. */
export function unionLength(intervals: [number, number][]): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let start = -Infinity;
  let end = -Infinity;
  for (const [from, to] of sorted) {
    if (from > end) {
      if (end > start) total += end - start;
      start = from;
      end = to;
    } else if (to > end) end = to;
  }
  if (end > start) total += end - start;
  return total;
}

/** Sums over a set of cameras (a node, or a subtree when rolled up). */
export interface MonitoringTotals {
  cameras: number;
  watchedCameras: number;
  watchedMs: number;
  /** cameras × period length, ms. */
  cameraMs: number;
}

export interface MonitoringRate extends MonitoringTotals {
  /** watchedCameras / cameras. */
  cameraShare: RateValue;
  /** watchedMs / cameraMs (the share of camera-hours watched). */
  hourShare: RateValue;
}

export function monitoringTotals(cameraIds: readonly string[], watches: ReadonlyMap<string, CameraWatch>, period: RatePeriod): MonitoringTotals {
  let watchedCameras = 0;
  let watchedMs = 0;
  for (const id of cameraIds) {
    const w = watches.get(id);
    if (!w) continue;
    if (w.watched) watchedCameras++;
    watchedMs += w.watchedMs;
  }
  return { cameras: cameraIds.length, watchedCameras, watchedMs, cameraMs: cameraIds.length * (period.to - period.from) };
}

/**
 * 实时监控率 from totals (summed numerators and denominators for a roll-up). The caller passes the period
 * clipped to the time of the query, so a period still running counts only the camera-hours already past.
 */
export function monitoringRate(t: MonitoringTotals): MonitoringRate {
  const hourShare = t.cameras === 0 ? ratio(0, 0, 'NO_CAMERAS') : ratio(t.watchedMs, t.cameraMs, 'PERIOD_NOT_STARTED');
  return { ...t, cameraShare: ratio(t.watchedCameras, t.cameras, 'NO_CAMERAS'), hourShare };
}

export function addMonitoringTotals(a: MonitoringTotals, b: MonitoringTotals): MonitoringTotals {
  return { cameras: a.cameras + b.cameras, watchedCameras: a.watchedCameras + b.watchedCameras, watchedMs: a.watchedMs + b.watchedMs, cameraMs: a.cameraMs + b.cameraMs };
}
