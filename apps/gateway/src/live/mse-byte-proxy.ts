import { connect as connectTcp, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as connectTls } from 'node:tls';
import type { UpgradeTarget } from './mse-upgrade.decision';

/** How a proxied upgrade ended before it carried any of the worker's bytes, or that it did. */
export type ByteProxyOutcome = 'piped' | 'unreachable' | 'timeout' | 'client-left';

export interface ByteProxyOptions {
  /** From the connect call to the worker's first byte (its 101 or its refusal): a hung worker is given up. */
  deadlineMs: number;
}

/**
 * Carries one upgraded connection to a worker byte for byte: connects to the worker, writes the re-serialised
 * request head and whatever the client sent after it (`head`), then pipes both ways. Nothing is parsed: the
 * worker answers the handshake (101, or its own 404) and speaks WebSocket with the client directly.
 * - No connection, or no first byte within the deadline: resolves 'unreachable'/'timeout' with the worker socket
 *   destroyed and the client untouched (the caller answers it).
 * - From the worker's first byte on ('piped'), either side closing or failing destroys the other at once (no
 *   half-open tile, no leaked worker socket).
 */
export function proxyUpgradeBytes(client: Duplex, head: Buffer, requestHead: Buffer, target: UpgradeTarget, options: ByteProxyOptions): Promise<{ outcome: ByteProxyOutcome; error?: Error }> {
  return new Promise((resolve) => {
    let piped = false;
    let settled = false;
    const upstream: Socket = target.tls
      ? connectTls({ host: target.host, port: target.port, servername: isIpLiteral(target.host) ? undefined : target.host })
      : connectTcp({ host: target.host, port: target.port });
    const settle = (outcome: ByteProxyOutcome, error?: Error) => {
      clearTimeout(timer);
      if (settled) return;
      settled = true;
      if (outcome !== 'piped') upstream.destroy();
      resolve({ outcome, error });
    };
    const timer = setTimeout(() => settle('timeout'), options.deadlineMs);
    upstream.setNoDelay(true);
    (client as Partial<Socket>).setNoDelay?.(true);
    upstream.once(target.tls ? 'secureConnect' : 'connect', () => {
      upstream.write(requestHead);
      if (head.length) upstream.write(head);
    });
    upstream.once('data', (first: Buffer) => {
      if (settled) return;
      piped = true;
      settle('piped');
      client.write(first);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', (e) => {
      if (piped) client.destroy();
      else settle('unreachable', e);
    });
    upstream.on('close', () => {
      if (piped) client.destroy();
      else settle('unreachable');
    });
    client.on('error', () => upstream.destroy());
    client.on('close', () => {
      upstream.destroy();
      settle('client-left');
    });
  });
}

function isIpLiteral(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}
