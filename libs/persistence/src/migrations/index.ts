import { Initial1795916002226 } from './1795916002226-initial.migration';
import { CameraUniqueDevice1795919727829 } from './1795919727829-camera-unique-device.migration';
import { SweepHeartbeat1796163084736 } from './1796163084736-sweep-heartbeat.migration';
import { UserTokenVersion1796163181367 } from './1796163181367-user-token-version.migration';
import { Leases1796250000000 } from './1796250000000-leases.migration';
import { Recordings1796400000000 } from './1796400000000-recordings.migration';
import { Patrol1796500000000 } from './1796500000000-patrol.migration';
import { Rates1796600000000 } from './1796600000000-rates.migration';
import { Alarms1796710000000 } from './1796710000000-alarms.migration';
import { PatrolAlarms1796720000000 } from './1796720000000-patrol-alarms.migration';
import { WallDevices1796730000000 } from './1796730000000-wall-devices.migration';

/** Every migration, oldest first. `synchronize` is never on: the schema changes only through these. */
export const MIGRATIONS: Function[] = [Initial1795916002226, CameraUniqueDevice1795919727829, SweepHeartbeat1796163084736, UserTokenVersion1796163181367, Leases1796250000000, Recordings1796400000000, Patrol1796500000000, Rates1796600000000, Alarms1796710000000, PatrolAlarms1796720000000, WallDevices1796730000000];
