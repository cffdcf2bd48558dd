import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { CameraService } from '../camera/sim-camera';
import { HttpResponseLike, MAX_SOAP_BYTES, OnvifHandler } from './onvif.handler';

const INTERNAL_ERROR: HttpResponseLike = { status: 500, headers: { 'Content-Type': 'text/plain' }, body: 'Internal Server Error' };

/** HTTP adapter of one camera's ONVIF handler: body size cap, optional slow answers, clean close. */
export class OnvifHttpServer implements CameraService {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly handler: OnvifHandler,
    private readonly delayMs: () => number,
  ) {}

  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer({ maxHeaderSize: 16 * 1024 }, (req, res) => this.onRequest(req, res));
    server.headersTimeout = 10_000;
    server.requestTimeout = 30_000;
    server.keepAliveTimeout = 5_000;
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    server.on('clientError', (_err, socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (Number.isFinite(declared) && declared > MAX_SOAP_BYTES) {
      res.writeHead(413, { Connection: 'close', 'Content-Type': 'text/plain' }).end('Payload Too Large');
      req.resume(); // the socket closes after this answer; the body is discarded unread
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let aborted = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_SOAP_BYTES) {
        aborted = true;
        res.writeHead(413, { Connection: 'close', 'Content-Type': 'text/plain' }).end('Payload Too Large', () => req.destroy());
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => undefined);
    req.on('end', () => {
      if (aborted) return;
      const path = (req.url ?? '/').split('?')[0];
      let answer: Promise<HttpResponseLike>;
      try {
        answer = Promise.resolve(
          this.handler.handle({
            method: req.method ?? 'GET',
            path,
            authorization: req.headers.authorization,
            body: Buffer.concat(chunks),
          }),
        );
      } catch {
        answer = Promise.resolve(INTERNAL_ERROR);
      }
      const send = (a: HttpResponseLike): void => {
        if (!res.destroyed) res.writeHead(a.status, { Server: 'tiergate-camera-sim', ...a.headers }).end(a.body);
      };
      const delay = this.delayMs();
      void answer
        .catch(() => INTERNAL_ERROR)
        .then((a) => {
          if (this.server === undefined) return; // stopped meanwhile (a long poll)
          if (delay <= 0) return send(a);
          const t = setTimeout(() => {
            this.timers.delete(t);
            send(a);
          }, delay);
          this.timers.add(t);
        });
    });
  }
}
