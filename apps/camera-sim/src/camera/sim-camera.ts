import { Credentials } from '../auth/digest.auth';
import type { MediaAsset } from '../fixtures/media.library';
import { RtspServer } from '../rtsp/rtsp.server';
import type { DeviceView, ProfileView } from '../onvif/onvif.responses';
import { SimEvents } from '../onvif/onvif.events';
import { SimPtz } from './sim-ptz';
import { serialFor } from './camera.identity';
import { NO_QUIRKS, Quirks } from './quirks';

export interface SimProfile {
  readonly token: string;
  readonly name: string;
  /** RTSP path without slash: `main` or `sub`. */
  readonly path: string;
  readonly media: MediaAsset;
}

export interface SimCameraInit {
  readonly index: number;
  readonly name: string;
  readonly host: string;
  readonly onvifPort: number;
  readonly rtspPort: number;
  readonly endpointReference: string;
  readonly credentials: Credentials;
  readonly rtspAuth: boolean;
  readonly profiles: readonly SimProfile[];
  readonly quirks?: Quirks;
  /** Default `SimCam 1000`. */
  readonly model?: string;
  /** The camera has a pan/tilt/zoom head and advertises an ONVIF PTZ service. */
  readonly ptz?: boolean;
}

/** A camera's moving parts (ONVIF HTTP, WS-Discovery responder) plug in through this interface. */
export interface CameraService {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** One simulated ONVIF camera: its own loopback address, RTSP server and ONVIF/discovery services. */
export class SimCamera {
  readonly index: number;
  readonly name: string;
  readonly host: string;
  readonly onvifPort: number;
  readonly rtspPort: number;
  readonly endpointReference: string;
  readonly profiles: readonly SimProfile[];
  readonly credentials: Credentials;
  readonly manufacturer = 'Tiergate';
  readonly model: string;
  readonly firmwareVersion = '1.0.0';
  readonly hardwareId = 'SIM-HW-1';
  private currentQuirks: Quirks = NO_QUIRKS;
  /** The ONVIF events service's subscriptions and alarm states (on the camera's clock). */
  readonly events = new SimEvents(() => new Date(Date.now() + (this.currentQuirks.clockOffsetSeconds ?? 0) * 1000));
  /** The pan/tilt/zoom head (ONVIF PTZ service), for cameras configured with `ptz`. */
  readonly ptz: SimPtz | undefined;
  private readonly rtsp: RtspServer;
  private readonly services: CameraService[] = [];
  private online = false;
  private transition: Promise<void> = Promise.resolve();

  constructor(init: SimCameraInit) {
    this.index = init.index;
    this.name = init.name;
    this.model = init.model ?? 'SimCam 1000';
    this.host = init.host;
    this.onvifPort = init.onvifPort;
    this.rtspPort = init.rtspPort;
    this.endpointReference = init.endpointReference;
    this.profiles = init.profiles;
    this.credentials = init.credentials;
    this.currentQuirks = { ...(init.quirks ?? {}) };
    this.ptz = init.ptz ? new SimPtz() : undefined;
    this.rtsp = new RtspServer({
      host: init.host,
      port: init.rtspPort,
      streams: new Map(init.profiles.map((p) => [p.path, p.media.pacer])),
      credentials: init.rtspAuth ? init.credentials : undefined,
      sessionName: init.name,
      startAtLastKeyframe: () => this.currentQuirks.gopCache === true,
    });
  }

  get quirks(): Quirks {
    return this.currentQuirks;
  }

  get isOnline(): boolean {
    return this.online;
  }

  get serial(): string {
    return serialFor(this.index, this.currentQuirks.serial20Digits === true);
  }

  /** WS-Discovery / GetScopes scopes. */
  get scopes(): readonly string[] {
    return [
      'onvif://www.onvif.org/type/video_encoder',
      'onvif://www.onvif.org/type/Network_Video_Transmitter',
      'onvif://www.onvif.org/Profile/Streaming',
      `onvif://www.onvif.org/name/${encodeURIComponent(this.name)}`,
      `onvif://www.onvif.org/hardware/${encodeURIComponent(this.model)}`,
      'onvif://www.onvif.org/location/city/tiergate-sim',
    ];
  }

  /** What the ONVIF service reports about the device. */
  get device(): DeviceView {
    return {
      name: this.name,
      manufacturer: this.manufacturer,
      model: this.model,
      firmwareVersion: this.firmwareVersion,
      serial: this.serial,
      hardwareId: this.hardwareId,
      baseUrl: `http://${this.host}:${this.onvifPort}`,
      scopes: this.scopes,
    };
  }

  get profileViews(): readonly (ProfileView & { path: string; jpeg: Buffer })[] {
    return this.profiles.map((p) => ({
      token: p.token,
      name: p.name,
      path: p.path,
      width: p.media.spec.width,
      height: p.media.spec.height,
      fps: p.media.spec.fps,
      bitrateKbps: p.media.spec.bitrateKbps,
      h264Profile: h264ProfileName(p.media.pacer.source.profileLevelId),
      jpeg: p.media.jpeg,
    }));
  }

  get mainRtspUrl(): string {
    return this.rtspUrl('main');
  }

  get subRtspUrl(): string {
    return this.rtspUrl('sub');
  }

  /** RTSP URL without credentials; with `natStreamUri` on, the host is what ONVIF would report, not this. */
  rtspUrl(path: string): string {
    return `rtsp://${this.host}:${this.rtspPort}/${path}`;
  }

  get onvifUrl(): string {
    return `http://${this.host}:${this.onvifPort}/onvif/device_service`;
  }

  /** Motion detected (true, default) or over (false): a `tns1:VideoSource/MotionAlarm` event to every PullPoint subscriber. */
  triggerMotion(active = true): void {
    this.events.trigger('motion', active);
  }

  /** Tamper (scene change: covered, moved, defocused) on or off: a `tns1:VideoSource/GlobalSceneChange/ImagingService` event. */
  triggerTamper(active = true): void {
    this.events.trigger('tamper', active);
  }

  /** PullPoint subscriptions in force (a client is listening when this is > 0). */
  get eventSubscriptions(): number {
    return this.events.activeSubscriptions;
  }

  addService(service: CameraService): void {
    this.services.push(service);
  }

  /** Applies a change of quirks (merged into the current ones); `offline` takes the camera down or up. */
  async setQuirks(patch: Quirks): Promise<void> {
    this.currentQuirks = { ...this.currentQuirks, ...patch };
    if (patch.offline === true) await this.goOffline(true);
    else if (patch.offline === false) await this.goOnline(true);
  }

  start(): Promise<void> {
    return this.currentQuirks.offline ? Promise.resolve() : this.goOnline(true);
  }

  goOnline(keepQuirk = false): Promise<void> {
    if (!keepQuirk) this.currentQuirks = { ...this.currentQuirks, offline: false };
    return this.serialize(async () => {
      if (this.online) return;
      await this.rtsp.start();
      try {
        for (const s of this.services) await s.start();
      } catch (err) {
        await this.stopAll();
        throw err;
      }
      this.online = true;
    });
  }

  goOffline(keepQuirk = false): Promise<void> {
    if (!keepQuirk) this.currentQuirks = { ...this.currentQuirks, offline: true };
    return this.serialize(async () => {
      if (!this.online) return;
      await this.stopAll();
    });
  }

  stop(): Promise<void> {
    return this.serialize(() => this.stopAll());
  }

  private async stopAll(): Promise<void> {
    this.online = false;
    this.events.close(); // a camera that goes down forgets its subscriptions, as a reboot does
    await Promise.allSettled([this.rtsp.stop(), ...this.services.map((s) => s.stop())]);
  }

  /** Start/stop calls run one after another. */
  private serialize(fn: () => Promise<void>): Promise<void> {
    const next = this.transition.then(fn, fn);
    this.transition = next.catch(() => undefined);
    return next;
  }
}

/** ONVIF H264Profile from the stream's real profile_idc (x264 ultrafast yields Baseline even when asked for Main). */
function h264ProfileName(profileLevelId: string): 'Baseline' | 'Main' | 'High' {
  const idc = parseInt(profileLevelId.slice(0, 2), 16);
  return idc === 77 ? 'Main' : idc === 100 ? 'High' : 'Baseline';
}
