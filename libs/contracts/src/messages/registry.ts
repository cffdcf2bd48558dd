import { topicMatches } from '../topic-match';
import type { CommandContract, EventContract } from './message';
import { CamerasChangedEvent } from './cameras-changed/cameras-changed';
import { CameraStatusEvent } from './camera-status/camera-status';
import { HotspotChangedEvent } from './hotspot-changed/hotspot-changed';
import { JurisdictionsChangedEvent } from './jurisdictions-changed/jurisdictions-changed';
import { JurisdictionsDelete } from './jurisdictions-delete/jurisdictions-delete';
import { JurisdictionsImport } from './jurisdictions-import/jurisdictions-import';
import { RecordingExport, RecordingExportDelete, RecordingExportProgressEvent } from './recording-export/recording-export';
import { RecordingRulesChangedEvent } from './recording-rules-changed/recording-rules-changed';
import { StreamEnsure } from './stream-ensure/stream-ensure';
import { StreamStateEvent } from './stream-state/stream-state';
import { SweepProgressEvent } from './sweep-progress/sweep-progress';
import { SweepStart } from './sweep-start/sweep-start';
import { UserChangedEvent } from './user-changed/user-changed';
import { WorkerHeartbeatEvent } from './worker-heartbeat/worker-heartbeat';
import { AlertLevelEvent } from './alert-level/alert-level';
import { PatrolRoundEvent } from './patrol-round/patrol-round';
import { CameraEventEvent } from './camera-event/camera-event';
import { CameraAlarmEvent } from './camera-alarm/camera-alarm';

/**
 * Every request/reply command between processes. The bus validates a request against its class before a
 * handler runs (`serve`) and a reply before the caller sees it (`request`). Add a new command here.
 */
export const COMMANDS: readonly CommandContract[] = [SweepStart, StreamEnsure, JurisdictionsImport, JurisdictionsDelete, RecordingExport, RecordingExportDelete] as CommandContract[];

/** Every event with a payload class: the bus drops a message on these topics that does not validate. */
export const EVENTS: readonly EventContract[] = [
  CameraStatusEvent,
  SweepProgressEvent,
  StreamStateEvent,
  WorkerHeartbeatEvent,
  HotspotChangedEvent,
  JurisdictionsChangedEvent,
  CamerasChangedEvent,
  UserChangedEvent,
  RecordingExportProgressEvent,
  RecordingRulesChangedEvent,
  PatrolRoundEvent,
  AlertLevelEvent,
  CameraEventEvent,
  CameraAlarmEvent,
] as EventContract[];

/** The command served on `topic`, if it is one. */
export const commandOfTopic = (topic: string): CommandContract | undefined => COMMANDS.find((c) => topicMatches(c.filter, topic));

/** The event contract of `topic`, if it has one. */
export const eventOfTopic = (topic: string): EventContract | undefined => EVENTS.find((e) => topicMatches(e.filter, topic));
