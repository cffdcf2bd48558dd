import type { FulfilmentCounts, PatrolSchedule, PatrolStop, SlotOutcome } from '@tiergate/domain';
import type { PatrolMarkRecord, PatrolRoundRecord, PatrolRouteRecord, RoundStop } from '@tiergate/persistence';
import type { PatrolScheduleDto, PatrolStopDto } from './patrol.dto';

/** A stop as the API shows it: {cameraId} | {jurisdictionId} | {tag}, with its dwell. */
export type StopView = { cameraId: string; dwellSeconds: number } | { jurisdictionId: string; dwellSeconds: number } | { tag: string; dwellSeconds: number };

export const toStopView = (s: PatrolStop): StopView =>
  s.kind === 'camera' ? { cameraId: s.cameraId, dwellSeconds: s.dwellSeconds } : s.kind === 'jurisdiction' ? { jurisdictionId: s.jurisdictionId, dwellSeconds: s.dwellSeconds } : { tag: s.tag, dwellSeconds: s.dwellSeconds };

/** The DTO's stop as a domain stop, or the reason it is not exactly one of the three. */
export function toStop(dto: PatrolStopDto): PatrolStop | string {
  const given = [dto.cameraId, dto.jurisdictionId, dto.tag].filter((v) => v !== undefined).length;
  if (given !== 1) return 'each stop names exactly one of cameraId, jurisdictionId, tag';
  if (dto.cameraId) return { kind: 'camera', cameraId: dto.cameraId, dwellSeconds: dto.dwellSeconds };
  if (dto.jurisdictionId) return { kind: 'jurisdiction', jurisdictionId: dto.jurisdictionId, dwellSeconds: dto.dwellSeconds };
  return { kind: 'tag', tag: dto.tag!.trim(), dwellSeconds: dto.dwellSeconds };
}

export function toSchedule(dto: PatrolScheduleDto): PatrolSchedule | string {
  if (dto.kind === 'ad-hoc') return { kind: 'ad-hoc' };
  if (dto.everyMinutes === undefined || dto.from === undefined || dto.to === undefined) return 'an interval schedule needs everyMinutes, from and to';
  return { kind: 'interval', everyMinutes: dto.everyMinutes, from: dto.from, to: dto.to };
}

export interface PatrolRouteView {
  id: string;
  name: string;
  jurisdictionId: string;
  stops: StopView[];
  schedule: PatrolSchedule;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export const toRouteView = (r: PatrolRouteRecord): PatrolRouteView => ({
  id: r.id,
  name: r.name,
  jurisdictionId: r.jurisdictionId,
  stops: r.stops.map(toStopView),
  schedule: r.schedule,
  createdBy: r.createdBy,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

export interface MarkView {
  cameraId: string;
  result: string;
  note: string | null;
  snapshotUrl: string | null;
  markedBy: string;
  markedAt: string;
}

const toMarkView = (m: PatrolMarkRecord): MarkView => ({ cameraId: m.cameraId, result: m.result, note: m.note, snapshotUrl: m.snapshotUrl, markedBy: m.markedByName, markedAt: m.markedAt.toISOString() });

export interface RoundView {
  id: string;
  routeId: string;
  jurisdictionId: string;
  plannedAt: string;
  startedAt: string;
  finishedAt: string | null;
  startedBy: string;
  stops: Array<StopView & { index: number; cameraIds: string[]; marked: boolean; marks: MarkView[] }>;
  markedStops: number;
  skippedStops: number[];
}

/** A round with every stop and its marks; after the finish an unmarked stop is listed as skipped. */
export function toRoundView(r: PatrolRoundRecord, marks: readonly PatrolMarkRecord[]): RoundView {
  const stops = r.stops.map((s: RoundStop, index) => {
    const own = marks.filter((m) => m.stopIndex === index);
    return { ...toStopView(s), index, cameraIds: s.cameraIds, marked: own.length > 0, marks: own.map(toMarkView) };
  });
  return {
    id: r.id,
    routeId: r.routeId,
    jurisdictionId: r.jurisdictionId,
    plannedAt: r.plannedAt.toISOString(),
    startedAt: r.startedAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    startedBy: r.startedByName,
    stops,
    markedStops: stops.filter((s) => s.marked).length,
    skippedStops: r.finishedAt ? stops.filter((s) => !s.marked).map((s) => s.index) : [],
  };
}

/** One entry of the round log: a planned time (with or without a round) or an ad-hoc round. */
export interface RoundLogEntry {
  routeId: string;
  routeName: string;
  jurisdictionId: string;
  plannedAt: string;
  planned: boolean;
  status: SlotOutcome['status'];
  onTime: boolean | null;
  late: boolean | null;
  completed: boolean | null;
  round: RoundView | null;
}

export interface FulfilmentView {
  jurisdictionId: string;
  name: string;
  rate: number | null;
  counts: FulfilmentCounts;
}
