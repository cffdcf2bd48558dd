import { Agent as HttpAgent, ClientRequestArgs } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { deviceTlsOptions } from './device-tls';

/**
 * Limits on what a device (camera, NVR, anything on the camera network) may send us. Every byte that comes
 * from a device goes through `guardSocket` (directly, or through a `deviceAgent` for HTTP): it is counted,
 * the socket is destroyed past the cap, and the whole exchange has one deadline that also closes the socket,
 * so a device that answers 600 MB or drips one byte a second costs at most the cap and the deadline.
 */
export const DEVICE_LIMITS = {
  /** One SOAP answer (GetProfiles of a 16-channel NVR is ~100 KiB). */
  soapAnswerBytes: 1024 * 1024,
  /** One JPEG snapshot (a 4K JPEG is 1–3 MB). */
  snapshotBytes: 5 * 1024 * 1024,
  /** Everything an RTSP server sends on one health-check connection (headers + SDP are a few KiB). */
  rtspExchangeBytes: 128 * 1024,
} as const;

export type DeviceFault = 'too-large' | 'too-slow';

/** What a device did wrong on one exchange: the socket was closed by us because of it. */
export class DeviceIoError extends Error {
  readonly code: 'EDEVICE_TOO_LARGE' | 'EDEVICE_TOO_SLOW';

  constructor(
    readonly fault: DeviceFault,
    message: string,
  ) {
    super(message);
    this.name = 'DeviceIoError';
    this.code = fault === 'too-large' ? 'EDEVICE_TOO_LARGE' : 'EDEVICE_TOO_SLOW';
  }
}

/** Pure: a byte count in the words of a status reason: 1048576 → "1 MiB", 65536 → "64 KiB", 900 → "900 bytes". */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

export const tooLarge = (limit: number): DeviceIoError => new DeviceIoError('too-large', `answer too large (> ${formatBytes(limit)})`);

/**
 * Pure: the error at the deadline. A device that sent something but did not finish is too slow (it drips);
 * one that sent nothing at all is just not answering (ETIMEDOUT, as a hung or unplugged device).
 */
export function deadlineError(bytesReceived: number, deadlineMs: number): Error {
  const within = `${Math.round(deadlineMs / 100) / 10} s`;
  if (bytesReceived > 0) return new DeviceIoError('too-slow', `answer too slow (${formatBytes(bytesReceived)} in ${within}, not complete)`);
  return Object.assign(new Error(`no answer within ${within}`), { code: 'ETIMEDOUT' });
}

/** Pure: counts the bytes of one exchange against its cap. */
export class ByteBudget {
  private used = 0;

  constructor(readonly limit: number) {}

  /** Adds a chunk; false once the total is over the limit. */
  take(bytes: number): boolean {
    this.used += bytes;
    return this.used <= this.limit;
  }

  get received(): number {
    return this.used;
  }
}

/**
 * Pure: bytes received so far on a stream protocol (RTSP), kept in one buffer that grows by doubling (a
 * device sending one byte per packet costs linear time, not a copy of everything per packet) and never
 * beyond `limit`.
 */
export class BoundedBuffer {
  private buf: Buffer;
  private start = 0;
  private end = 0;

  constructor(readonly limit: number) {
    this.buf = Buffer.alloc(Math.min(limit, 4096));
  }

  /** Appends a chunk; false (and nothing kept) when the unread bytes would exceed the limit. */
  append(chunk: Buffer): boolean {
    const unread = this.end - this.start;
    if (unread + chunk.length > this.limit) return false;
    if (this.end + chunk.length > this.buf.length) {
      const size = Math.min(this.limit, Math.max(this.buf.length * 2, unread + chunk.length));
      const next = size === this.buf.length ? this.buf : Buffer.alloc(size);
      this.buf.copy(next, 0, this.start, this.end);
      this.buf = next;
      this.start = 0;
      this.end = unread;
    }
    chunk.copy(this.buf, this.end);
    this.end += chunk.length;
    return true;
  }

  /** The unread bytes (a view: valid until the next append or consume). */
  view(): Buffer {
    return this.buf.subarray(this.start, this.end);
  }

  /** Drops the first `n` unread bytes. */
  consume(n: number): void {
    this.start = Math.min(this.end, this.start + n);
  }
}

/** Pure: the device fault behind an error, looking through `cause` (TiergateError wraps it). */
export function deviceFaultOf(error: unknown): DeviceIoError | undefined {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof DeviceIoError) return e;
  }
  return undefined;
}

export interface ExchangeLimits {
  /** Bytes the device may send on this socket, in all. */
  maxBytes: number;
  /** From the moment the socket is created until it must be closed, whatever the device does. */
  deadlineMs: number;
  /** Told of every device fault that closed a socket (a client library may swallow the error itself). */
  onFault?: (fault: DeviceIoError) => void;
}

/**
 * Guards one socket to a device: counts every byte received and destroys the socket with a DeviceIoError
 * past `maxBytes`; destroys it at `deadlineMs` after this call (too slow, or ETIMEDOUT when nothing came).
 * The error reaches whoever listens to the socket's 'error' (an http.ClientRequest rejects with it).
 */
export function guardSocket(socket: Socket | Duplex, limits: ExchangeLimits): void {
  const budget = new ByteBudget(limits.maxBytes);
  const fail = (e: Error) => {
    if (e instanceof DeviceIoError) limits.onFault?.(e);
    socket.destroy(e);
  };
  const timer = setTimeout(() => fail(deadlineError(budget.received, limits.deadlineMs)), limits.deadlineMs);
  timer.unref();
  const onData = (chunk: Buffer | string) => {
    if (!budget.take(chunk.length)) {
      socket.off('data', onData);
      fail(tooLarge(limits.maxBytes));
    }
  };
  socket.on('data', onData);
  socket.once('close', () => clearTimeout(timer));
}

/**
 * An HTTP(S) agent for talking to devices: no keep-alive (one socket per request, so the deadline is per
 * request), every socket guarded by `guardSocket`. `destroy()` closes every socket still open (a session
 * that gave up). TLS certificates are verified as devices.tlsVerify says (device-tls.ts).
 */
export function deviceAgent(limits: ExchangeLimits, secure = false): HttpAgent {
  // certificates checked per devices.tlsVerify (device-tls.ts); most cameras' are self-signed
  const agent: HttpAgent = secure ? new HttpsAgent({ keepAlive: false, ...deviceTlsOptions() }) : new HttpAgent({ keepAlive: false });
  const create = agent.createConnection.bind(agent) as (o: ClientRequestArgs, cb?: (err: Error | null, s: Duplex) => void) => Duplex | null | undefined;
  const guarded = new WeakSet<Duplex>();
  const guard = (s: Duplex) => {
    if (guarded.has(s)) return;
    guarded.add(s);
    guardSocket(s, limits);
  };
  agent.createConnection = (options: ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void) => {
    // net.createConnection takes the callback as its 'connect' listener (no arguments); an agent that creates
    // sockets asynchronously hands the socket to it instead. Either way each socket is guarded once.
    const socket = create(options, (err, s) => {
      if (!err && s) guard(s);
      callback?.(err, s);
    });
    if (socket) guard(socket);
    return socket;
  };
  return agent;
}
