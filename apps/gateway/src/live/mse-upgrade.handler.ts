import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { Counter, Gauge, register } from 'prom-client';
import { StreamTokens } from '@tiergate/access';
import { LOCAL_HLS_SERVER, type LocalHlsServer } from '@tiergate/contracts';
import { proxyUpgradeBytes } from './mse-byte-proxy';
import { clientAddressOf, decideMseUpgrade, PerAddressLimit, plainAnswer, upgradeRequestHead, upgradeTargetOf } from './mse-upgrade.decision';
import { StreamPlacement } from './stream-placement.service';
import { isWorkerDown, NO_ANSWER } from './worker-liveness';

const upgrades = new Counter({
  name: 'tiergate_mse_upgrades_total',
  help: 'MSE WebSocket upgrades at the gateway by outcome (local: the worker in this process; proxied: bytes carried to another worker)',
  labelNames: ['outcome'],
  registers: [register],
});
const openSockets = new Gauge({ name: 'tiergate_mse_sockets', help: 'MSE WebSockets open through this gateway', labelNames: ['path'], registers: [register] });

/** From the connect call to the worker's first byte: a worker that does not answer a handshake in 2 s is down or hung. */
export const MSE_CONNECT_DEADLINE_MS = 2000;
/** Open MSE sockets per client address (PerAddressLimit explains the figure). */
export const MSE_SOCKETS_PER_ADDRESS = 64;

const NOT_FOUND = plainAnswer(404, JSON.stringify({ code: 'NOT_FOUND', message: 'stream not found' }));
const LIMITED = plainAnswer(429, JSON.stringify({ code: 'TOO_MANY_REQUESTS', message: 'too many live sockets from this address' }), { 'Retry-After': '5' });
const UNREACHABLE = plainAnswer(502, JSON.stringify({ code: 'CAMERA_UNREACHABLE', message: 'stream unavailable, retry' }));

/**
 * The gateway's MSE WebSocket route, `GET /live/<cameraId>/<profile>/mse?token=…` with `Upgrade: websocket`, on
 * the process's HTTP server (the gateway alone, `npm start` and the test harness alike: it hooks the server Nest
 * created, before it listens). One HMAC check of the stream token; then the worker holding the session takes the
 * socket: in process when it runs here (LocalHlsServer.upgrade), else over a byte-level proxy to its base URL.
 * The worker checks the token again and re-checks it on renewal; the gateway never parses a WebSocket frame.
 * A refused, malformed, foreign or unknown request and any other upgrade path get the same `HTTP/1.1 404`.
 */
@Injectable()
export class MseUpgradeHandler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('MseUpgrade');
  private readonly limit = new PerAddressLimit(MSE_SOCKETS_PER_ADDRESS);
  private readonly sockets = new Set<Duplex>();
  private server?: Server;
  private trust: (addr: string, i: number) => boolean = () => false;
  private readonly listener = (req: IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(req, socket, head);

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly tokens: StreamTokens,
    private readonly placement: StreamPlacement,
    @Optional() @Inject(LOCAL_HLS_SERVER) private readonly local?: LocalHlsServer,
  ) {}

  onApplicationBootstrap(): void {
    const adapter = this.adapterHost.httpAdapter;
    const server = adapter?.getHttpServer() as Server | undefined;
    if (!server) return;
    // The client's address as Express sees it (X-Forwarded-For only from the configured proxies).
    const trust = (adapter.getInstance() as { get?(name: string): unknown }).get?.('trust proxy fn');
    if (typeof trust === 'function') this.trust = trust as (addr: string, i: number) => boolean;
    this.server = server;
    server.on('upgrade', this.listener);
  }

  /** Upgraded sockets are not the HTTP server's to close: without this a stop would wait for every tile. */
  beforeApplicationShutdown(): void {
    this.server?.off('upgrade', this.listener);
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  /** Handles one upgrade request (public for tests that drive it without a server). */
  onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const decision = decideMseUpgrade(req, {
      allows: (token, cameraId, profile) => this.tokens.allows(token, cameraId, profile),
      holdsLocally: this.local ? (cameraId, profile) => this.local!.holds(cameraId, profile) : undefined,
      holderOf: (key) => this.placement.holderFor(key.cameraId, key.profile),
    });
    if (decision.kind === 'refuse') return this.answer(socket, NOT_FOUND, 'refused');
    const address = clientAddressOf(req.socket.remoteAddress, req.headers['x-forwarded-for'], this.trust) ?? 'unknown';
    if (!this.limit.take(address)) return this.answer(socket, LIMITED, 'limited');
    const path = decision.kind === 'local' ? 'local' : 'proxied';
    this.sockets.add(socket);
    openSockets.inc({ path });
    socket.once('close', () => {
      this.sockets.delete(socket);
      this.limit.release(address);
      openSockets.dec({ path });
    });
    if (decision.kind === 'local') {
      upgrades.inc({ outcome: 'local' });
      return this.local!.upgrade(req, socket, head);
    }
    const { worker } = decision;
    const target = upgradeTargetOf(worker.baseUrl);
    if (!target) return this.answer(socket, UNREACHABLE, 'unreachable');
    const requestHead = upgradeRequestHead({ method: req.method ?? 'GET', url: req.url ?? '/', rawHeaders: req.rawHeaders }, target, address);
    void proxyUpgradeBytes(socket, head, requestHead, target, { deadlineMs: MSE_CONNECT_DEADLINE_MS }).then(({ outcome, error }) => {
      if (outcome === 'piped') return void upgrades.inc({ outcome: 'proxied' });
      if (outcome === 'client-left') return void upgrades.inc({ outcome: 'client-left' });
      // A worker that refuses or does not answer a handshake is down, as for a segment request.
      if (outcome === 'timeout' || (error && isWorkerDown(error))) {
        const code = outcome === 'timeout' ? NO_ANSWER : (error as NodeJS.ErrnoException).code;
        this.placement.workerFailed(worker.workerId, `${error ? code : 'no answer'} on an MSE upgrade`, code);
      }
      this.logger.warn(`MSE upgrade for ${decision.key.cameraId}/${decision.key.profile} to ${worker.workerId}: ${outcome}${error ? ` (${error.message})` : ''}`);
      this.answer(socket, UNREACHABLE, 'unreachable');
    });
  }

  private answer(socket: Duplex, bytes: Buffer, outcome: string): void {
    upgrades.inc({ outcome });
    if (socket.destroyed || !socket.writable) return void socket.destroy();
    socket.end(bytes, () => socket.destroy());
  }
}
