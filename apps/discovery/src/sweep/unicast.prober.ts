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

/**
 * WS-Discovery Probe sent to one address at a time over one UDP socket; answers are matched to probes by
 * RelatesTo. Anything that is not a ProbeMatches for a pending probe (non-SOAP, hostile, oversized,
 * unrelated) is ignored.
 */
export class UnicastProber {
  private socket: Socket | undefined;
  private readonly pending = new Map<string, (answer: UnicastAnswer) => void>();

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
    this.socket = socket;
  }

  /** Probes `host` until it answers or every attempt timed out; undefined when silent. */
  async probe(host: string, options: UnicastProbeOptions): Promise<UnicastAnswer | undefined> {
    for (let attempt = 0; attempt <= options.retries; attempt++) {
      const answer = await this.once(host, options.port ?? WS_DISCOVERY_PORT, options.timeoutMs);
      if (answer) return answer;
    }
    return undefined;
  }

  async close(): Promise<void> {
    const s = this.socket;
    this.socket = undefined;
    for (const resolve of this.pending.values()) resolve({ host: '', matches: [] });
    this.pending.clear();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private once(host: string, port: number, timeoutMs: number): Promise<UnicastAnswer | undefined> {
    const socket = this.socket;
    if (!socket) return Promise.resolve(undefined);
    const { messageId, xml } = buildProbe();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(messageId);
        resolve(undefined);
      }, timeoutMs);
      this.pending.set(messageId, (answer) => {
        clearTimeout(timer);
        this.pending.delete(messageId);
        resolve(answer.matches.length > 0 ? answer : undefined);
      });
      socket.send(xml, port, host, (err) => {
        if (err) this.pending.get(messageId)?.({ host, matches: [] });
      });
    });
  }

  private onMessage(msg: Buffer, rinfo: RemoteInfo): void {
    if (msg.length === 0 || msg.length > MAX_DISCOVERY_BYTES || this.pending.size === 0) return;
    let parsed;
    try {
      parsed = parseProbeMatches(msg);
    } catch {
      return;
    }
    if (!parsed) return;
    this.pending.get(parsed.relatesTo)?.({ host: rinfo.address, matches: parsed.matches });
  }
}
