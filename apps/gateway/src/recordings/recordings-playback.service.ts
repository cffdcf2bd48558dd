import { Injectable } from '@nestjs/common';
import { PlaybackTokens, Principal, ScopeService } from '@tiergate/access';
import { vodPathOf, type StreamProfile } from '@tiergate/contracts';
import { notFound, recordingRangeOf, timelineOf, type TimeInterval } from '@tiergate/domain';
import { AuditWriter, CameraRepository, RecordingsRepository } from '@tiergate/persistence';

/** The longest range one playback URL covers (a playlist of 4 s segments: ~21 600 entries, ~2 MB). */
export const MAX_PLAYBACK_RANGE_MS = 24 * 3600_000;

export interface TimelineAnswer {
  profile: StreamProfile;
  spans: { from: string; to: string }[];
  gaps: { from: string; to: string }[];
}

export interface PlaybackAnswer {
  hlsUrl: string;
  expiresAt: string;
}

const iso = (i: TimeInterval) => ({ from: new Date(i.from).toISOString(), to: new Date(i.to).toISOString() });

/**
 * The timeline of a camera's recordings and playback URLs for a range (docs/recording.md, "Timeline",
 * "Playback"). Both need only the camera's scope (home subtree or a grant in force); out of scope is 404 like
 * missing. A playback URL carries a playback token bound to the user, camera, profile and range.
 */
@Injectable()
export class RecordingsPlaybackService {
  constructor(
    private readonly cameras: CameraRepository,
    private readonly scope: ScopeService,
    private readonly recordings: RecordingsRepository,
    private readonly tokens: PlaybackTokens,
    private readonly audit: AuditWriter,
  ) {}

  async timeline(principal: Principal, cameraId: string, from: string, to: string, profile?: StreamProfile): Promise<TimelineAnswer> {
    await this.accessOf(principal, cameraId);
    const range = recordingRangeOf(from, to);
    const { profile: chosen, rows } = await this.rowsOf(cameraId, range, profile);
    const { spans, gaps } = timelineOf(rows.map((r) => ({ startAt: r.startAt.getTime(), endAt: r.endAt.getTime() })), range);
    return { profile: chosen, spans: spans.map(iso), gaps: gaps.map(iso) };
  }

  /** `baseUrl`: where clients reach this gateway (public-base-url.ts), without a trailing slash. */
  async playback(principal: Principal, cameraId: string, from: string, to: string, profile: StreamProfile | undefined, baseUrl: string, ip?: string): Promise<PlaybackAnswer> {
    const access = await this.accessOf(principal, cameraId);
    const range = recordingRangeOf(from, to, MAX_PLAYBACK_RANGE_MS);
    const { profile: chosen, rows } = await this.rowsOf(cameraId, range, profile);
    if (rows.length === 0) throw notFound('recording in the range');
    const grantId = access.via === 'grant' ? access.grantId : undefined;
    const { token, expiresAt } = this.tokens.issue({ userId: principal.userId, cameraId, profile: chosen, from: range.from, to: range.to }, Date.now(), grantId);
    const { from: f, to: t } = iso(range);
    await this.audit.append({ userId: principal.userId, username: principal.username }, { action: 'camera.playback', targetType: 'camera', targetId: cameraId, ip, details: { profile: chosen, from: f, to: t } });
    const query = new URLSearchParams({ from: f, to: t, token }).toString();
    return { hlsUrl: `${baseUrl}${vodPathOf({ cameraId, profile: chosen })}?${query}`, expiresAt: expiresAt.toISOString() };
  }

  private async accessOf(principal: Principal, cameraId: string) {
    const camera = await this.cameras.findById(cameraId);
    const access = camera ? await this.scope.cameraAccess(principal, camera) : undefined;
    if (!camera || !access) throw notFound('camera');
    return access;
  }

  /** The asked profile's segments; without one, sub's when it has any in the range, else main's. */
  private async rowsOf(cameraId: string, range: TimeInterval, profile?: StreamProfile) {
    const from = new Date(range.from);
    const to = new Date(range.to);
    if (profile) return { profile, rows: await this.recordings.segmentsOf(cameraId, profile, from, to) };
    const sub = await this.recordings.segmentsOf(cameraId, 'sub', from, to);
    if (sub.length > 0) return { profile: 'sub' as const, rows: sub };
    const main = await this.recordings.segmentsOf(cameraId, 'main', from, to);
    return { profile: (main.length > 0 ? 'main' : 'sub') as StreamProfile, rows: main };
  }
}
