import { TiergateError } from '@tiergate/domain';
import { endpointReferenceFor, defaultNameFor, hostFor } from './camera/camera.identity';
import type { Quirks } from './camera/quirks';
import { SimCamera, SimProfile } from './camera/sim-camera';
import { FixtureSpec, MAIN_FIXTURE, SUB_FIXTURE } from './fixtures/fixture.args';
import { defaultFixturesDir, FixtureStore } from './fixtures/fixture.store';
import { MediaLibrary } from './fixtures/media.library';
import { DiscoveryResponder } from './discovery/discovery.responder';
import { OnvifHandler } from './onvif/onvif.handler';
import { OnvifHttpServer } from './onvif/onvif.http-server';

export interface FleetOptions {
  readonly count: number;
  /** First camera address; the others follow (127.0.1.1, 127.0.1.2, ... 127.0.1.254, 127.0.2.1, ...). */
  readonly firstAddress?: string;
  /** ONVIF HTTP port on every camera address. */
  readonly onvifPort?: number;
  /** RTSP port on every camera address. */
  readonly rtspPort?: number;
  readonly username?: string;
  readonly password?: string;
  /** RTSP needs the camera credentials (Digest or Basic). Default true. */
  readonly rtspAuth?: boolean;
  readonly names?: readonly string[];
  /** Model per camera index (device information and the WS-Discovery hardware scope); default `SimCam 1000`. */
  readonly models?: readonly string[];
  /** Quirks per camera index (0-based). */
  readonly quirks?: Readonly<Record<number, Quirks>>;
  readonly fixturesDir?: string;
  /**
   * Draw each camera's own name in its video (one encode per camera, cached). Default: only when
   * count <= 8; larger fleets share two encodes labelled "TIERGATE SIM main/sub".
   */
  readonly labelPerCamera?: boolean;
  /** Answer WS-Discovery on 239.255.255.250:3702 joined on this interface address (use only inside a netns). */
  readonly multicastInterface?: string;
  /** Port of the WS-Discovery responder on each camera address. Default 3702. */
  readonly discoveryPort?: number;
  /** Cameras with a pan/tilt/zoom head (ONVIF PTZ service): every camera (true) or these indexes (0-based). Default none. */
  readonly ptz?: boolean | readonly number[];
}

export interface Fleet {
  readonly cameras: readonly SimCamera[];
  stop(): Promise<void>;
}

export type ResolvedFleetOptions = Required<Omit<FleetOptions, 'names' | 'models' | 'quirks' | 'multicastInterface' | 'ptz'>> &
  Pick<FleetOptions, 'names' | 'models' | 'quirks' | 'multicastInterface' | 'ptz'>;

export function resolveFleetOptions(o: FleetOptions): ResolvedFleetOptions {
  if (!Number.isInteger(o.count) || o.count < 1 || o.count > 5000) throw new TiergateError('VALIDATION_FAILED', 'count must be an integer 1..5000');
  const port = (v: number | undefined, d: number, key: string): number => {
    const p = v ?? d;
    if (!Number.isInteger(p) || p < 1 || p > 65535) throw new TiergateError('VALIDATION_FAILED', `${key} must be a port number`);
    return p;
  };
  const resolved: ResolvedFleetOptions = {
    count: o.count,
    firstAddress: o.firstAddress ?? '127.0.1.1',
    onvifPort: port(o.onvifPort, 8080, 'onvifPort'),
    rtspPort: port(o.rtspPort, 8554, 'rtspPort'),
    discoveryPort: port(o.discoveryPort, 3702, 'discoveryPort'),
    username: o.username ?? 'admin',
    password: o.password ?? 'sim-pass',
    rtspAuth: o.rtspAuth ?? true,
    fixturesDir: o.fixturesDir ?? defaultFixturesDir(),
    labelPerCamera: o.labelPerCamera ?? o.count <= 8,
    names: o.names,
    models: o.models,
    quirks: o.quirks,
    multicastInterface: o.multicastInterface,
    ptz: o.ptz,
  };
  if (resolved.onvifPort === resolved.rtspPort) throw new TiergateError('VALIDATION_FAILED', 'onvifPort and rtspPort must differ');
  hostFor(resolved.firstAddress, resolved.count - 1); // throws if the fleet does not fit
  return resolved;
}

/** Gives a camera its ONVIF HTTP service and WS-Discovery responder. */
function attachServices(camera: SimCamera, o: ResolvedFleetOptions): void {
  const handler = new OnvifHandler(camera);
  camera.addService(new OnvifHttpServer(camera.host, camera.onvifPort, handler, () => camera.quirks.slowResponsesMs ?? 0));
  camera.addService(new DiscoveryResponder(camera, { port: o.discoveryPort, multicastInterface: o.multicastInterface }));
}

/** Starts `count` simulated ONVIF cameras on consecutive loopback addresses. */
export async function startCameraFleet(options: FleetOptions): Promise<Fleet> {
  const o = resolveFleetOptions(options);
  const library = new MediaLibrary(new FixtureStore(o.fixturesDir));
  const cameras: SimCamera[] = [];
  const fixture = (base: Omit<FixtureSpec, 'label'>, kind: string, name: string): FixtureSpec => ({
    ...base,
    label: o.labelPerCamera ? `${name} ${kind}` : `TIERGATE SIM ${kind}`,
  });
  try {
    for (let i = 0; i < o.count; i += 1) {
      const name = o.names?.[i] ?? defaultNameFor(i);
      const host = hostFor(o.firstAddress, i);
      const [main, sub] = await Promise.all([
        library.get(fixture(MAIN_FIXTURE, 'main', name)),
        library.get(fixture(SUB_FIXTURE, 'sub', name)),
      ]);
      const profiles: SimProfile[] = [
        { token: 'profile_main', name: 'MainStream', path: 'main', media: main },
        { token: 'profile_sub', name: 'SubStream', path: 'sub', media: sub },
      ];
      const camera = new SimCamera({
        index: i,
        name,
        host,
        onvifPort: o.onvifPort,
        rtspPort: o.rtspPort,
        endpointReference: endpointReferenceFor(host, o.onvifPort),
        credentials: { username: o.username, password: o.password },
        rtspAuth: o.rtspAuth,
        profiles,
        quirks: o.quirks?.[i],
        model: o.models?.[i],
        ptz: o.ptz === true || (Array.isArray(o.ptz) && o.ptz.includes(i)),
      });
      attachServices(camera, o);
      cameras.push(camera);
    }
    await Promise.all(cameras.map((c) => c.start()));
  } catch (err) {
    await Promise.allSettled(cameras.map((c) => c.stop()));
    await library.close();
    throw err;
  }
  let stopped: Promise<void> | undefined;
  return {
    cameras,
    stop: () =>
      (stopped ??= (async () => {
        await Promise.allSettled(cameras.map((c) => c.stop()));
        await library.close();
      })()),
  };
}
