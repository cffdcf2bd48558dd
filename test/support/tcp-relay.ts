import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';

/**
 * A TCP relay a test puts between a process and what it talks to (a worker's HTTP server, the broker),
 * so it can cut the link the way a killed process or a broker outage does: every open connection reset,
 * new ones refused; and restore it on the same address.
 */
export class TcpRelay {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private frozen = false;
  /** Bytes that arrived while frozen, in order, delivered on thaw(). */
  private held: (() => void)[] = [];

  private constructor(
    readonly host: string,
    private readonly target: { host: string; port: number },
    private listenPort: number,
  ) {}

  static async start(target: { host: string; port: number }, host = '127.0.0.1', port = 0): Promise<TcpRelay> {
    const relay = new TcpRelay(host, target, port);
    await relay.listen();
    return relay;
  }

  /** The relay in front of an `scheme://[user:pass@]host:port` URL: the same URL, pointing here. */
  static async inFrontOf(url: string, host: string): Promise<{ relay: TcpRelay; url: string }> {
    const u = new URL(url);
    const relay = await TcpRelay.start({ host: u.hostname, port: Number(u.port) }, host);
    u.hostname = host;
    u.port = String(relay.port);
    return { relay, url: u.toString().replace(/\/$/, '') };
  }

  get port(): number {
    return this.listenPort;
  }

  get isCut(): boolean {
    return this.server === undefined;
  }

  /** Resets every open connection and refuses new ones. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) {
      try {
        s.resetAndDestroy();
      } catch {
        s.destroy();
      }
    }
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /**
   * A hung process (SIGSTOP): connections are still accepted (the kernel does that), but no byte goes
   * through either way until thaw(), which delivers what was held, in order.
   */
  freeze(): void {
    this.frozen = true;
  }

  thaw(): void {
    this.frozen = false;
    const held = this.held;
    this.held = [];
    for (const deliver of held) deliver();
  }

  /** Listens again on the same address. */
  async restore(): Promise<void> {
    if (!this.server) await this.listen();
  }

  close(): Promise<void> {
    return this.cut();
  }

  private listen(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      const both = [client, upstream];
      for (const s of both) {
        this.sockets.add(s);
        s.on('error', () => both.forEach((x) => x.destroy()));
        s.on('close', () => {
          this.sockets.delete(s);
          both.forEach((x) => x.destroy());
        });
      }
      const forward = (from: Socket, to: Socket) =>
        from.on('data', (chunk: Buffer) => {
          const deliver = () => to.destroyed || to.write(chunk);
          if (this.frozen) this.held.push(deliver);
          else deliver();
        }).on('end', () => {
          const deliver = () => to.end();
          if (this.frozen) this.held.push(deliver);
          else deliver();
        });
      forward(client, upstream);
      forward(upstream, client);
    });
    return new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.listenPort, this.host, () => {
        this.listenPort = (server.address() as AddressInfo).port;
        this.server = server;
        resolve();
      });
    });
  }
}

/** A port nothing listens on right now, on that address. */
export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
