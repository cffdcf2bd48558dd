import type { CameraStatus } from '@tiergate/domain';

export interface CameraStatusMessage {
  status: CameraStatus;
  at: string;
  reason?: string;
}

export interface SweepProgressMessage {
  progress: number;
  found: number;
}

export type StreamState = 'starting' | 'ready' | 'stopped' | 'failed';
export interface StreamStateMessage {
  state: StreamState;
  workerId: string;
  at: string;
  reason?: string;
}

export interface WorkerHeartbeatMessage {
  workerId: string;
  /** Base URL at which this worker serves HLS, e.g. http://127.0.0.1:8090 */
  baseUrl: string;
  capacity: number;
  load: number;
  sessions: { cameraId: string; profile: string; state: string }[];
  /** The ffmpeg this worker runs, as probed at its start (`/api/health` reports it). */
  ffmpeg?: FfmpegInUse;
  at: string;
}

/** An ffmpeg build as a worker reports it: `{version: "5.1.9-0+deb12u1", libavformat: "59.27.100", family: "5.x", source: "path"}`. */
export interface FfmpegInUse {
  version: string;
  libavformat: string;
  family: string;
  /** Where the binary came from: FFMPEG_PATH (`env`), `PATH`, or the npm-shipped build (`npm`). */
  source: string;
}

export interface StreamEnsureRequest {
  cameraId: string;
  profile: 'main' | 'sub';
  /**
   * The source URL with its credentials, sealed (AES-256-GCM, `MqttBus.sealSecret`) with a key derived
   * from the shared secret key: only Tiergate's own processes can open it. No bus payload carries a camera
   * credential in clear (CONTRACT.md).
   */
  sourceSealed: string;
  transcode?: boolean;
  /**
   * Set by a gateway placing a session again after its worker was lost: the newest segment it served of the
   * session (media and discontinuity sequence numbers). The new worker continues that timeline (the next
   * segment one later, one more discontinuity), so players carry on instead of mistaking the new stream for
   * the old one. Of several requests the worker keeps the later position.
   */
  continueFrom?: { mediaSequence: number; discontinuitySequence: number };
}
export interface StreamEnsureReply {
  ok: boolean;
  workerId: string;
  playlistPath?: string;
  code?: string;
  message?: string;
}

export interface HotspotChangedMessage {
  jurisdictionId: string;
  kind: 'new' | 'grown';
  cell: { x: number; y: number; count: number; z: number };
  at: string;
}

/** Who asks the partitioner to change the tree (the verified caller of the gateway). */
export interface TreeActor {
  userId: string;
  username: string;
  role: string;
  /** Home node; null for the built-in admin (may change the whole tree). */
  jurisdictionId: string | null;
}

export interface JurisdictionsImportRequest {
  actor: TreeActor;
  /** The GeoJSON FeatureCollection as parsed JSON (validated by the partitioner). */
  featureCollection: unknown;
}
export interface JurisdictionsImportReply {
  created: number;
  updated: number;
  unchanged: number;
  reassignedCameras: number;
  reassignedIncidents: number;
}

export interface JurisdictionsDeleteRequest {
  actor: TreeActor;
  id: string;
}
export interface JurisdictionsDeleteReply {
  deleted: string;
}

export interface JurisdictionsChangedMessage {
  reason: 'import' | 'delete';
  at: string;
}

/**
 * Topics.userChanged: only a hint to re-read the row (never trusted for rights), so it is not signed: a
 * forged one costs one indexed read of that user.
 */
export interface UserChangedMessage {
  userId: string;
  at: string;
}

/** Topics.camerasChanged: cameras were added, changed or removed (ids capped at 1000 for big imports). */
export interface CamerasChangedMessage {
  change: 'created' | 'updated' | 'deleted' | 'imported';
  cameraIds: string[];
  count: number;
  at: string;
}

/** Commands.sweepStart: the gateway has stored the sweep row; the discovery app runs it. */
export interface SweepStartRequest {
  sweepId: string;
}
export interface SweepStartReply {
  accepted: boolean;
}
