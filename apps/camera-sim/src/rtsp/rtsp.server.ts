import { createSocket, Socket as DgramSocket } from 'node:dgram';
import { randomBytes, randomInt } from 'node:crypto';
import { createServer, Server, Socket } from 'node:net';
import { checkAuthorization, Credentials, newNonce, safeEqual } from '../auth/digest.auth';
import { formatResponse, parseNext, parseTransport, RtspRequest } from './rtsp.message';
import { TcpInterleavedSink, UdpSink } from './rtp.sinks';
import { buildSdp, TRACK_CONTROL } from './sdp.builder';
import type { FrameSink, StreamPacer } from './stream.pacer';

export interface RtspServerOptions {
  readonly host: string;
  readonly port: number;
  /** Stream paths without the leading slash (`main`, `sub`) and the shared pacer that feeds each. */
  readonly streams: ReadonlyMap<string, StreamPacer>;
  /** When set, every method but OPTIONS needs Digest (or Basic, if allowed) credentials. */
  readonly credentials?: Credentials;
  readonly allowBasic?: boolean;
  readonly realm?: string;
  readonly sessionName?: string;
  readonly sessionTimeoutSec?: number;
  /** Whether a new PLAY starts at the current GOP's keyframe (a camera with a GOP buffer) rather than the next one. */
  readonly startAtLastKeyframe?: () => boolean;
}

interface Track {
  readonly pacer: StreamPacer;
  readonly sink: FrameSink & { sequence: number; ssrc: number };
  readonly url: string;
}

interface Session {
  readonly id: string;
  readonly conn: Socket;
  readonly tracks: Map<string, Track>;
  playing: boolean;
  lastSeen: number;
}

const PUBLIC = 'OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER';
const hex8 = (n: number): string => n.toString(16).toUpperCase().padStart(8, '0');

/**
 * A small RTSP 1.0 server for pre-encoded H.264 streams: TCP-interleaved and UDP unicast transports,
 * optional Digest/Basic auth, all clients of a path fed by one shared pacer.
 */
export class RtspServer {
  private server: Server | undefined;
  private rtp: DgramSocket | undefined;
  private rtcp: DgramSocket | undefined;
  private rtpPort = 0;
  private readonly connections = new Set<Socket>();
  private readonly sessions = new Map<string, Session>();
  private reaper: NodeJS.Timeout | undefined;
  private readonly nonce = newNonce();
  private readonly realm: string;
  private readonly timeoutSec: number;

  constructor(private readonly opts: RtspServerOptions) {
    this.realm = opts.realm ?? 'tiergate-camera-sim';
    this.timeoutSec = opts.sessionTimeoutSec ?? 60;
  }

  get listening(): boolean {
    return this.server !== undefined;
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer((socket) => this.onConnection(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port, this.opts.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', () => undefined);
    this.server = server;
    try {
      await this.bindUdpPair();
    } catch (err) {
      await this.stop();
      throw err;
    }
    this.reaper = setInterval(() => this.reapIdleSessions(), 5000);
    this.reaper.unref();
  }

  /** Closes the listener, every connection and session, and the UDP sockets. */
  async stop(): Promise<void> {
    if (this.reaper) clearInterval(this.reaper);
    this.reaper = undefined;
    for (const session of [...this.sessions.values()]) this.destroySession(session);
    for (const socket of this.connections) socket.destroy();
    this.connections.clear();
    const server = this.server;
    this.server = undefined;
    const closing: Array<Promise<void>> = [];
    if (server) closing.push(new Promise((resolve) => server.close(() => resolve())));
    for (const s of [this.rtp, this.rtcp]) if (s) closing.push(new Promise((resolve) => s.close(() => resolve())));
    this.rtp = undefined;
    this.rtcp = undefined;
    await Promise.all(closing);
  }

  private async bindUdpPair(): Promise<void> {
    for (let attempt = 0; attempt < 30; attempt += 1) {
      const port = 2 * randomInt(15000, 30000);
      const rtp = createSocket('udp4');
      const rtcp = createSocket('udp4');
      const bind = (s: DgramSocket, p: number): Promise<boolean> =>
        new Promise((resolve) => {
          s.once('error', () => resolve(false));
          s.bind(p, this.opts.host, () => resolve(true));
        });
      if ((await bind(rtp, port)) && (await bind(rtcp, port + 1))) {
        for (const s of [rtp, rtcp]) {
          s.removeAllListeners('error');
          s.on('error', () => undefined);
          s.on('message', () => undefined); // receiver reports and NAT punches are ignored
        }
        this.rtp = rtp;
        this.rtcp = rtcp;
        this.rtpPort = port;
        return;
      }
      await Promise.all([rtp, rtcp].map((s) => new Promise<void>((r) => { try { s.close(() => r()); } catch { r(); } })));
    }
    throw new Error(`no free UDP port pair on ${this.opts.host}`);
  }

  private onConnection(socket: Socket): void {
    this.connections.add(socket);
    socket.setNoDelay(true);
    let buf: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
      for (;;) {
        const step = parseNext(buf);
        if (step.kind === 'need-more') break;
        if (step.kind === 'error') {
          socket.end(formatResponse(400, undefined));
          socket.destroySoon?.();
          buf = Buffer.alloc(0);
          return;
        }
        buf = buf.subarray(step.consumed);
        if (step.kind === 'request') this.handle(socket, step.request);
        // interleaved RTCP from the client: nothing to do
      }
      if (buf.length > 0) buf = Buffer.from(buf); // don't pin large chunks
    });
    const cleanup = (): void => {
      this.connections.delete(socket);
      for (const session of [...this.sessions.values()]) if (session.conn === socket) this.destroySession(session);
    };
    socket.on('close', cleanup);
    socket.on('error', () => socket.destroy());
    socket.setTimeout(this.timeoutSec * 2000, () => socket.destroy());
  }

  private handle(socket: Socket, req: RtspRequest): void {
    const cseq = req.headers.cseq;
    const reply = (status: number, headers: Array<[string, string]> = [], body = ''): void => {
      if (!socket.destroyed) socket.write(formatResponse(status, cseq, headers, body));
    };
    if (req.method === 'OPTIONS') return reply(200, [['Public', PUBLIC]]);
    if (!PUBLIC.split(', ').includes(req.method)) return reply(req.method.length > 0 ? 501 : 400);
    if (!this.authorized(req)) {
      const challenges: Array<[string, string]> = [['WWW-Authenticate', `Digest realm="${this.realm}", nonce="${this.nonce}"`]];
      if (this.opts.allowBasic !== false) challenges.push(['WWW-Authenticate', `Basic realm="${this.realm}"`]);
      return reply(401, challenges);
    }
    const url = parseUrl(req.url);
    if (!url) return reply(400);
    switch (req.method) {
      case 'DESCRIBE': {
        const pacer = this.opts.streams.get(url.stream);
        if (!pacer || url.track) return reply(404);
        const base = `rtsp://${this.opts.host}:${this.opts.port}/${url.stream}/`;
        const sdp = buildSdp(pacer.source, this.opts.host, this.opts.sessionName ?? url.stream, String(Date.now()));
        return reply(200, [['Content-Base', base]], sdp);
      }
      case 'SETUP':
        return this.setup(socket, req, url, reply);
      case 'PLAY': {
        const session = this.sessionOf(req, socket);
        if (!session) return reply(454);
        if (session.tracks.size === 0) return reply(455);
        const tracks = [...session.tracks.values()];
        const fromLastKeyframe = this.opts.startAtLastKeyframe?.() === true;
        const infos = tracks.map((t) => `url=${t.url};seq=${t.sink.sequence};rtptime=${t.pacer.startTimestamp(fromLastKeyframe)}`);
        // The answer must go out before the first RTP packet: a client skips media read while awaiting it.
        reply(200, [['Session', session.id], ['Range', 'npt=0.000-'], ['RTP-Info', infos.join(',')]]);
        if (!session.playing) for (const t of tracks) t.pacer.subscribe(t.sink, { fromLastKeyframe });
        session.playing = true;
        return;
      }
      case 'PAUSE': {
        const session = this.sessionOf(req, socket);
        if (!session) return reply(454);
        for (const track of session.tracks.values()) track.pacer.unsubscribe(track.sink);
        session.playing = false;
        return reply(200, [['Session', session.id]]);
      }
      case 'TEARDOWN': {
        const session = this.sessionOf(req, socket);
        if (!session) return reply(454);
        this.destroySession(session);
        return reply(200, [['Session', session.id]]);
      }
      case 'GET_PARAMETER': {
        const session = req.headers.session ? this.sessionOf(req, socket) : undefined;
        if (req.headers.session && !session) return reply(454);
        return reply(200, session ? [['Session', session.id]] : []);
      }
      default:
        return reply(501);
    }
  }

  private setup(
    socket: Socket,
    req: RtspRequest,
    url: ParsedUrl,
    reply: (status: number, headers?: Array<[string, string]>) => void,
  ): void {
    const pacer = this.opts.streams.get(url.stream);
    if (!pacer || (url.track && url.track !== TRACK_CONTROL)) return reply(404);
    const transport = parseTransport(req.headers.transport);
    if (!transport) return reply(461);
    let session: Session | undefined;
    if (req.headers.session) {
      session = this.sessionOf(req, socket);
      if (!session) return reply(454);
      if (session.playing) return reply(455);
    } else {
      session = { id: randomBytes(8).toString('hex').toUpperCase(), conn: socket, tracks: new Map(), playing: false, lastSeen: Date.now() };
      this.sessions.set(session.id, session);
    }
    const trackUrl = `rtsp://${this.opts.host}:${this.opts.port}/${url.stream}/${TRACK_CONTROL}`;
    let transportReply: string;
    let sink: Track['sink'];
    if (transport.mode === 'tcp') {
      const [a, b] = transport.interleaved!;
      sink = new TcpInterleavedSink(pacer, socket, a);
      transportReply = `RTP/AVP/TCP;unicast;interleaved=${a}-${b};ssrc=${hex8(sink.ssrc)}`;
    } else {
      const address = socket.remoteAddress?.replace(/^::ffff:/, '');
      if (!this.rtp || !address) return reply(461);
      const [a, b] = transport.clientPorts!;
      sink = new UdpSink(pacer, this.rtp, address, a);
      transportReply =
        `RTP/AVP;unicast;client_port=${a}-${b};server_port=${this.rtpPort}-${this.rtpPort + 1};ssrc=${hex8(sink.ssrc)}`;
    }
    const previous = session.tracks.get(url.stream);
    if (previous) previous.pacer.unsubscribe(previous.sink);
    session.tracks.set(url.stream, { pacer, sink, url: trackUrl });
    reply(200, [['Transport', transportReply], ['Session', `${session.id};timeout=${this.timeoutSec}`]]);
  }

  /** The session named in the request, only if it belongs to this connection. */
  private sessionOf(req: RtspRequest, socket: Socket): Session | undefined {
    const id = (req.headers.session ?? '').split(';')[0].trim();
    const session = this.sessions.get(id);
    if (!session || session.conn !== socket) return undefined;
    session.lastSeen = Date.now();
    return session;
  }

  private destroySession(session: Session): void {
    for (const track of session.tracks.values()) track.pacer.unsubscribe(track.sink);
    session.tracks.clear();
    session.playing = false;
    this.sessions.delete(session.id);
  }

  private reapIdleSessions(): void {
    const limit = Date.now() - this.timeoutSec * 1000 - 5000;
    for (const session of [...this.sessions.values()]) {
      const udp = [...session.tracks.values()].some((t) => t.sink instanceof UdpSink);
      if ((udp || !session.playing) && session.lastSeen < limit) this.destroySession(session);
    }
  }

  private authorized(req: RtspRequest): boolean {
    const creds = this.opts.credentials;
    if (!creds) return true;
    return checkAuthorization(
      req.headers.authorization,
      req.method,
      creds,
      this.realm,
      (n) => safeEqual(n, this.nonce),
      this.opts.allowBasic !== false,
    );
  }
}

interface ParsedUrl {
  readonly stream: string;
  readonly track?: string;
}

/** `rtsp://host:port/main/trackID=0?x` -> {stream: 'main', track: 'trackID=0'}; also accepts `*`-less paths. */
function parseUrl(raw: string): ParsedUrl | undefined {
  let pathname: string;
  try {
    pathname = raw.startsWith('/') ? raw.split('?')[0] : new URL(raw).pathname;
  } catch {
    return undefined;
  }
  const parts = pathname.split('/').filter((p) => p.length > 0).map((p) => decodeURIComponentSafe(p));
  if (parts.length === 0 || parts.length > 2 || parts.some((p) => p === undefined)) return undefined;
  return { stream: parts[0]!, track: parts[1] };
}

function decodeURIComponentSafe(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}
