import { Agent, request as httpRequest } from 'node:http';
import { cleanDeviceText, TiergateError, type CameraDeviceInfo } from '@tiergate/domain';
import { parseSoap } from '../soap/soap.envelope';
import { CameraClock, parseSystemDateAndTime } from './system-clock.parser';
import { child, text } from '../soap/xml';
import { classifyOnvifFailure } from './onvif-error.classifier';
import { DEVICE_LIMITS, deviceAgent, DeviceIoError } from '../net/device-io';

// The npm `onvif` package (pinned 0.8.3) has no types; this file is the only one that touches it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Cam } = require('onvif') as { Cam: new (options: Record<string, unknown>) => RawCam };

type Cb<T> = (err: Error | null, value: T, xml?: string) => void;

interface RawProfile {
  $: { token: string };
  name?: string;
  videoEncoderConfiguration?: {
    encoding?: string;
    resolution?: { width?: number; height?: number };
    rateControl?: { frameRateLimit?: number; bitrateLimit?: number };
  };
}

interface RawCam {
  profiles?: RawProfile[];
  timeShift?: number;
  connect(cb: Cb<unknown>): void;
  getSystemDateAndTime(cb: Cb<Date>): void;
  getDeviceInformation(cb: Cb<Record<string, unknown>>): void;
  getStreamUri(options: Record<string, unknown>, cb: Cb<{ uri?: string }>): void;
  getSnapshotUri(options: Record<string, unknown>, cb: Cb<{ uri?: string }>): void;
  /** Called by connect() after GetProfiles and GetVideoSources; throws inside the package's own callback on a mismatch. */
  getActiveSources(): void;
}

export interface OnvifTarget {
  host: string;
  port: number;
  username: string;
  password: string;
  /** Upper bound for every step (connect, then each call). */
  timeoutMs: number;
}

export type RawDeviceInfo = CameraDeviceInfo;

export interface RawProfileInfo {
  token: string;
  name: string;
  encoding: string;
  width: number;
  height: number;
  fps: number;
  bitrate?: number;
}

/** Runs `work` with a hard deadline: the onvif package's connect() can hang on half-open devices. */
export function withDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), ms);
    work.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/**
 * One SOAP POST; resolves with status and body, rejects on socket errors. The answer is capped at
 * `DEVICE_LIMITS.soapAnswerBytes` and the whole exchange at `timeoutMs` (the socket is closed at either).
 */
export function postSoap(target: Pick<OnvifTarget, 'host' | 'port' | 'timeoutMs'>, path: string, body: string): Promise<{ status: number; body: string }> {
  const agent = deviceAgent({ maxBytes: DEVICE_LIMITS.soapAnswerBytes, deadlineMs: target.timeoutMs });
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest(
      { host: target.host, port: target.port, path, method: 'POST', agent, timeout: target.timeoutMs, headers: { 'Content-Type': 'application/soap+xml; charset=utf-8', 'Content-Length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(body);
  }).finally(() => agent.destroy());
}

/** Longest text kept from a device answer (a hostile device must not fill the database). */
const MAX_FIELD = 128;

/** Pure: device information from the raw GetDeviceInformation answer, every value kept as a string. */
export function parseDeviceInformationXml(xml: string): RawDeviceInfo {
  const msg = parseSoap(xml);
  const r = msg.payload;
  const s = (name: string): string | undefined => {
    // control characters (NUL: Postgres refuses it, 500 before) dropped: the one place device information enters
    const v = text(child(r, name));
    const clean = v === undefined ? '' : cleanDeviceText(v, MAX_FIELD);
    return clean === '' ? undefined : clean;
  };
  return { manufacturer: s('Manufacturer'), model: s('Model'), firmwareVersion: s('FirmwareVersion'), serialNumber: s('SerialNumber'), hardwareId: s('HardwareId') };
}

/**
 * A typed, promise-based session with one ONVIF device, over the `onvif` package (its discovery is not
 * used). Every failure is a TiergateError from `classifyOnvifFailure`, without the password.
 */
export class OnvifSession {
  /** Set when the package's getActiveSources threw during connect() (see `create`). */
  private activeSourcesError: Error | undefined;
  /** The first answer our limits cut off (too large, too slow): the package swallows some of these (GetProfiles in connect()). */
  private deviceFault: DeviceIoError | undefined;

  private constructor(
    private readonly cam: RawCam,
    private readonly target: OnvifTarget,
    private readonly agent: Agent,
  ) {}

  /** Closes every socket of this session still open (the session is done, or gave up). */
  close(): void {
    this.agent.destroy();
  }

  get where(): string {
    return `${this.target.host}:${this.target.port}`;
  }

  /** Connects (GetSystemDateAndTime for the clock shift, GetServices/GetCapabilities, GetProfiles). */
  static async connect(target: OnvifTarget): Promise<OnvifSession> {
    const session = OnvifSession.create(target);
    try {
      await session.readClock();
      await session.call<unknown>((cb) => session.cam.connect(cb));
      if (session.activeSourcesError) {
        throw new TiergateError(
          'CAMERA_PROTOCOL_ERROR',
          `camera at ${session.where} answered something that is not valid ONVIF: none of its profiles uses a video source it lists (GetVideoSources tokens do not match the profiles' SourceToken)`,
          undefined,
          { cause: session.activeSourcesError },
        );
      }
    } catch (e) {
      session.close();
      throw e;
    }
    return session;
  }

  /**
   * Reads the camera clock with an anonymous GetSystemDateAndTime and gives the client the shift to use in
   * WS-Security tokens. The package itself takes LocalDateTime as UTC when UTCDateTime is missing, which
   * breaks authentication on such cameras; we convert with the POSIX TZ. A camera that refuses the
   * anonymous call is left to the package (it retries authenticated).
   */
  async readClock(): Promise<CameraClock | undefined> {
    const body =
      '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>' +
      '<GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/></s:Body></s:Envelope>';
    let answer: { status: number; body: string };
    try {
      answer = await withDeadline(postSoap(this.target, '/onvif/device_service', body), this.target.timeoutMs + 200, () =>
        Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' }),
      );
    } catch (e) {
      throw classifyOnvifFailure(e, this.where, [this.target.password]);
    }
    if (answer.status !== 200) return undefined;
    let clock: CameraClock | undefined;
    try {
      clock = parseSystemDateAndTime(answer.body);
    } catch (e) {
      throw classifyOnvifFailure(e, this.where, [this.target.password]);
    }
    if (clock) this.cam.timeShift = clock.utcMs - process.uptime() * 1000 || 1;
    return clock;
  }

  /** A session without the full connect: for cheap checks (clock shift still read first). */
  static create(target: OnvifTarget): OnvifSession {
    // Every request of the package goes through this agent: each answer capped, each socket closed at the step deadline.
    let session: OnvifSession | undefined;
    const agent = deviceAgent({ maxBytes: DEVICE_LIMITS.soapAnswerBytes, deadlineMs: target.timeoutMs, onFault: (f) => session && (session.deviceFault ??= f) });
    const cam = new Cam({
      agent,
      hostname: target.host,
      port: target.port,
      username: target.username,
      password: target.password,
      timeout: target.timeoutMs,
      autoconnect: false,
      // Use the address we reached for every service, whatever (private) address the device reports.
      preserveAddress: true,
    });
    session = new OnvifSession(cam, target, agent);
    const self = session;
    // The package's connect() ends with getActiveSources(), which throws when no profile uses a listed video
    // source; thrown inside its own callback, that error is swallowed and connect() never calls back. Keep it
    // and let connect() finish, so the mismatch is reported at once as what it is.
    const getActiveSources = cam.getActiveSources;
    cam.getActiveSources = function (this: RawCam) {
      try {
        getActiveSources.call(this);
      } catch (e) {
        self.activeSourcesError = e as Error;
      }
    };
    return self;
  }

  /** Camera clock minus ours, in ms, as the client computed it (0 when not read yet). */
  get clockShiftMs(): number {
    return this.cam.timeShift === undefined ? 0 : this.cam.timeShift + process.uptime() * 1000 - Date.now();
  }

  get profiles(): RawProfileInfo[] {
    return (this.cam.profiles ?? []).map((p) => {
      const vec = p.videoEncoderConfiguration ?? {};
      return {
        token: String(p.$?.token ?? '').slice(0, MAX_FIELD),
        name: String(p.name ?? p.$?.token ?? '').slice(0, MAX_FIELD),
        encoding: String(vec.encoding ?? 'unknown').slice(0, 32),
        width: Number(vec.resolution?.width ?? 0),
        height: Number(vec.resolution?.height ?? 0),
        fps: Number(vec.rateControl?.frameRateLimit ?? 0),
        bitrate: vec.rateControl?.bitrateLimit === undefined ? undefined : Number(vec.rateControl.bitrateLimit),
      };
    });
  }

  async systemDateAndTime(): Promise<Date> {
    return this.call<Date>((cb) => this.cam.getSystemDateAndTime(cb));
  }

  async deviceInformation(): Promise<RawDeviceInfo> {
    // The package turns a 20-digit serial into a lossy number: read the raw XML instead.
    const xml = await this.callXml((cb) => this.cam.getDeviceInformation(cb));
    try {
      return parseDeviceInformationXml(xml);
    } catch (e) {
      throw classifyOnvifFailure(e, this.where, [this.target.password]);
    }
  }

  /** Stream URI of a profile for RTSP over TCP (RTP-Unicast over RTSP). */
  async streamUri(profileToken: string): Promise<string | undefined> {
    const r = await this.call<{ uri?: string }>((cb) => this.cam.getStreamUri({ protocol: 'RTSP', stream: 'RTP-Unicast', profileToken }, cb));
    return typeof r?.uri === 'string' ? r.uri : undefined;
  }

  async snapshotUri(profileToken: string): Promise<string | undefined> {
    const r = await this.call<{ uri?: string }>((cb) => this.cam.getSnapshotUri({ profileToken }, cb));
    return typeof r?.uri === 'string' ? r.uri : undefined;
  }

  private call<T>(fn: (cb: Cb<T>) => void): Promise<T> {
    return this.run<T>((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));
  }

  private callXml(fn: (cb: Cb<unknown>) => void): Promise<string> {
    return this.run<string>((resolve, reject) => fn((err, _v, xml) => (err ? reject(err) : resolve(String(xml ?? '')))));
  }

  private async run<T>(executor: (resolve: (v: T) => void, reject: (e: unknown) => void) => void): Promise<T> {
    const work = new Promise<T>((resolve, reject) => {
      try {
        executor(resolve, reject);
      } catch (e) {
        reject(e);
      }
    });
    // Every step gets the whole budget plus a margin: connect() is several requests in a row.
    try {
      const value = await withDeadline(work, this.target.timeoutMs * 3 + 500, () => Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' }));
      // A step the package reported as done may have swallowed a cut-off answer: a misbehaving device fails the step.
      if (this.deviceFault) throw this.deviceFault;
      return value;
    } catch (e) {
      this.close();
      throw classifyOnvifFailure(this.deviceFault ?? e, this.where, [this.target.password]);
    }
  }
}
