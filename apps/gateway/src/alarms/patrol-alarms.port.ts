/**
 * The one way another module raises an alarm (docs/alarms.md "Patrol alarms"): the patrol module hands over an
 * abnormal mark whose officer asked for an alarm, and the alarms module (AlarmsService, the only writer of
 * camera_alarms through CameraAlarmsRepository) records and publishes it. A port rather than a bus subscription: the
 * alarm is written in the mark's own request (a broker outage cannot lose it, and two gateways cannot both write it).
 */
export abstract class PatrolAlarms {
  /** Records a `patrol` alarm for the camera and publishes it; its id, or undefined when the camera is gone. */
  abstract raisePatrol(mark: PatrolAlarmInput): Promise<string | undefined>;
}

export interface PatrolAlarmInput {
  cameraId: string;
  roundId: string;
  stopIndex: number;
  note: string | null;
  /** The officer's username. */
  markedBy: string;
  at: Date;
}
