import { connect, isIP, Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { authorizationHeader, pickChallenge } from '../http-auth/challenge-auth';
import { BoundedBuffer, DEVICE_LIMITS, DeviceIoError, deviceFaultOf, guardSocket } from '../net/device-io';
import { deviceTlsOptions } from '../net/device-tls';
import type { CameraCheck } from '../onvif-client/camera.probe';

interface RtspResponse {
  status: number;
  headers: Map<string, string[]>;
}

const MAX_HEADER_BYTES = 16 * 1024;
/** An SDP is a few KiB; a body announced larger than this is not read (a hostile server cannot make us buffer it). */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * Checks an RTSP-only camera: DESCRIBE (answered with Digest/Basic auth when challenged) on one
 * connection. 200 online; 401/403 with our credentials unauthorized; anything else offline with a reason.
 * The whole exchange has one deadline of `2 × timeoutMs` (a server that drips bytes cannot hold it open) and
 * reads at most `DEVICE_LIMITS.rtspExchangeBytes` (libs/onvif device-io); the socket is closed on every
 * outcome. A server that sends too much or too slowly is offline with `deviceFault` set. Never throws.
 */
export async function checkRtspCamera(url: string, username: string | undefined, password: string | undefined, timeoutMs: number): Promise<CameraCheck> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { status: 'offline', reason: 'the RTSP URL is not valid' };
  }
  const secure = u.protocol === 'rtsps:';
  const port = Number(u.port || (secure ? 322 : 554));
  const conn = new RtspConnection(u.hostname, port, secure, timeoutMs);
  try {
    await conn.open();
    let res = await conn.request('DESCRIBE', url, { Accept: 'application/sdp' });
    if (res.status === 401 && username !== undefined) {
      const challenge = pickChallenge(res.headers.get('www-authenticate') ?? []);
      if (!challenge) return { status: 'unauthorized', reason: 'RTSP server asks for an unsupported authentication scheme' };
      res = await conn.request('DESCRIBE', url, { Accept: 'application/sdp', Authorization: authorizationHeader(challenge, 'DESCRIBE', url, username, password ?? '') });
    }
    if (res.status === 200) return { status: 'online' };
    if (res.status === 401 || res.status === 403) return { status: 'unauthorized', reason: `RTSP ${res.status}: the server refused the credentials` };
    return { status: 'offline', reason: `RTSP DESCRIBE answered ${res.status}` };
  } catch (e) {
    const fault = deviceFaultOf(e);
    if (fault) return { status: 'offline', reason: `RTSP server at ${u.hostname}:${port} sent an ${fault.message}`, deviceFault: fault.fault };
    const code = (e as { code?: string }).code;
    return { status: 'offline', reason: `RTSP server at ${u.hostname}:${port} is unreachable (${code ?? (e as Error).message})` };
  } finally {
    conn.close();
  }
}

/** A minimal RTSP/1.0 client connection: sequential requests, header-only responses (bodies skipped by Content-Length). */
class RtspConnection {
  private socket: Socket | undefined;
  private readonly buffer = new BoundedBuffer(MAX_HEADER_BYTES + MAX_BODY_BYTES);
  private cseq = 0;
  private waiter: ((r: RtspResponse | Error) => void) | undefined;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly secure: boolean,
    private readonly timeoutMs: number,
  ) {}

  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = this.secure
        ? tlsConnect({ host: this.host, port: this.port, servername: isIP(this.host) ? undefined : this.host, ...deviceTlsOptions() }, () => resolve())
        : connect({ host: this.host, port: this.port }, () => resolve());
      // One deadline for the whole exchange (connect, DESCRIBE, the answer to the challenge) and one byte budget.
      guardSocket(socket, { maxBytes: DEVICE_LIMITS.rtspExchangeBytes, deadlineMs: 2 * this.timeoutMs });
      socket.on('error', (e) => {
        reject(e);
        this.waiter?.(e);
      });
      socket.on('close', () => this.waiter?.(Object.assign(new Error('connection closed'), { code: 'ECONNRESET' })));
      socket.on('data', (d: Buffer) => this.onData(d));
      this.socket = socket;
    });
  }

  request(method: string, url: string, headers: Record<string, string>): Promise<RtspResponse> {
    const lines = [`${method} ${url} RTSP/1.0`, `CSeq: ${++this.cseq}`, 'User-Agent: Tiergate health', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
    return new Promise((resolve, reject) => {
      this.waiter = (r) => {
        this.waiter = undefined;
        if (r instanceof Error) reject(r);
        else resolve(r);
      };
      this.socket!.write(`${lines.join('\r\n')}\r\n\r\n`);
    });
  }

  close(): void {
    this.socket?.destroy();
  }

  /** Ends the exchange now: a pending open or request rejects with the error, and the socket is closed. */
  fail(error: Error): void {
    this.socket?.destroy(error);
  }

  private onData(d: Buffer): void {
    if (!this.buffer.append(d)) {
      this.fail(new DeviceIoError('too-large', `answer too large (> ${(MAX_HEADER_BYTES + MAX_BODY_BYTES) / 1024} KiB unread)`));
      return;
    }
    const data = this.buffer.view();
    const end = data.indexOf('\r\n\r\n');
    if (end < 0) {
      if (data.length > MAX_HEADER_BYTES) this.fail(new DeviceIoError('too-large', `answer with headers too large (> ${MAX_HEADER_BYTES / 1024} KiB)`));
      return;
    }
    const lines = data.subarray(0, end).toString('latin1').split('\r\n');
    const m = /^RTSP\/1\.\d (\d{3})/.exec(lines[0]);
    if (!m) {
      this.fail(new Error('not an RTSP server'));
      return;
    }
    const headers = new Map<string, string[]>();
    for (const l of lines.slice(1)) {
      const i = l.indexOf(':');
      if (i <= 0) continue;
      const k = l.slice(0, i).trim().toLowerCase();
      headers.set(k, [...(headers.get(k) ?? []), l.slice(i + 1).trim()]);
    }
    const length = Number(headers.get('content-length')?.[0] ?? 0) || 0;
    if (length > MAX_BODY_BYTES) {
      this.fail(new DeviceIoError('too-large', `answer too large (a ${length}-byte body, more than ${MAX_BODY_BYTES / 1024} KiB)`));
      return;
    }
    if (data.length < end + 4 + length) return;
    this.buffer.consume(end + 4 + length);
    this.waiter?.({ status: Number(m[1]), headers });
  }
}
