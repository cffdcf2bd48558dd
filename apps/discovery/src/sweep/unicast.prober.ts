import { createSocket, RemoteInfo, Socket } from 'node:dgram';
import { buildProbe, MAX_DISCOVERY_BYTES, parseProbeMatches, ProbeMatch, WS_DISCOVERY_PORT } from '@tiergate/onvif';

export interface UnicastProbeOptions {
  timeoutMs: number;
  /** Extra attempts after the first for a host that stays silent. */
  retries: number;
  port?: number;
}

export interface UnicastAnswer {
  /** Address the answer came from. */
  host: string;
  matches: readonly ProbeMatch[];
}

const RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

/**
 * WS-Discovery Probe sent to one address at a time over one UDP socket; answers are matched to the
 * probes of this prober by RelatesTo. Every answer goes to `onAnswer`, also one that arrives after its
 * probe timed out (a busy device is slow, not absent). Anything that is not a ProbeMatches for one of
 * our probes (non-SOAP, hostile, oversized, unrelated) is ignored.
 */
export class UnicastProber {
  private socket: Socket | undefined;
  private readonly sent = new Set<string>();
  private readonly pending = new Map<string, () => void>();

  constructor(private readonly onAnswer: (answer: UnicastAnswer) => void) {}

  async open(bindAddress = '0.0.0.0'): Promise<void> {
    const socket = createSocket('udp4');
    socket.on('error', () => undefined);
    socket.on('message', (msg, rinfo) => this.onMessage(msg, rinfo));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, bindAddress, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    try {
      socket.setRecvBufferSize(RECEIVE_BUFFER_BYTES); // a burst of answers must not be dropped by the kernel
    } catch {
      // capped by net.core.rmem_max: keep the default
    }
    this.socket = socket;
  }

  /** Probes `host` until it answers or every attempt timed out; false when silent. */
  async probe(host: string, options: UnicastProbeOptions): Promise<boolean> {
    for (let attempt = 0; attempt <= options.retries; attempt++) {
      if (await this.once(host, options.port ?? WS_DISCOVERY_PORT, options.timeoutMs)) return true;
    }
    return false;
  }

  /** Waits a little for answers still on their way, then closes the socket. */
  async close(graceMs = 0): Promise<void> {
    if (graceMs > 0) await new Promise((r) => setTimeout(r, graceMs));
    const s = this.socket;
    this.socket = undefined;
    for (const resolve of this.pending.values()) resolve();
    this.pending.clear();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private once(host: string, port: number, timeoutMs: number): Promise<boolean> {
    const socket = this.socket;
    if (!socket) return Promise.resolve(false);
    const { messageId, xml } = buildProbe();
    this.sent.add(messageId);
    return new Promise((resolve) => {
      const finish = (answered: boolean) => {
        clearTimeout(timer);
        this.pending.delete(messageId);
        resolve(answered);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      this.pending.set(messageId, () => finish(true));
      socket.send(xml, port, host, (err) => {
        if (err) finish(false);
      });
    });
  }

  private onMessage(msg: Buffer, rinfo: RemoteInfo): void {
    if (msg.length === 0 || msg.length > MAX_DISCOVERY_BYTES) return;
    let parsed;
    try {
      parsed = parseProbeMatches(msg);
    } catch {
      return;
    }
    if (!parsed || !this.sent.has(parsed.relatesTo) || parsed.matches.length === 0) return;
    this.onAnswer({ host: rinfo.address, matches: parsed.matches });
    this.pending.get(parsed.relatesTo)?.();
  }
}
