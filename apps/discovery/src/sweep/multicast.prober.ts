import { createSocket, Socket } from 'node:dgram';
import { buildProbe, MAX_DISCOVERY_BYTES, parseProbeMatches, WS_DISCOVERY_MULTICAST, WS_DISCOVERY_PORT } from '@tiergate/onvif';
import type { UnicastAnswer } from './unicast.prober';

export interface MulticastProbeOptions {
  /** IPv4 address of the interface the probe leaves from (config discovery.multicastInterface). */
  interfaceAddress: string;
  /** How long to collect answers after each probe. */
  timeoutMs: number;
  /** Extra probes (WS-Discovery over UDP is lossy); answers are collected across all. */
  retries: number;
  port?: number;
}

/**
 * One WS-Discovery Probe to 239.255.255.250:3702 from the configured interface, collecting every
 * ProbeMatches that relates to it. Only used when multicast is configured (and, in tests, only inside a
 * network namespace).
 */
export async function multicastProbe(options: MulticastProbeOptions, onAnswer: (a: UnicastAnswer) => void): Promise<void> {
  const socket: Socket = createSocket({ type: 'udp4', reuseAddr: true });
  socket.on('error', () => undefined);
  const ids = new Set<string>();
  socket.on('message', (msg, rinfo) => {
    if (msg.length === 0 || msg.length > MAX_DISCOVERY_BYTES) return;
    try {
      const parsed = parseProbeMatches(msg);
      if (parsed && ids.has(parsed.relatesTo) && parsed.matches.length > 0) onAnswer({ host: rinfo.address, matches: parsed.matches });
    } catch {
      // not SOAP, hostile or malformed: ignored
    }
  });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, options.interfaceAddress, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    socket.setMulticastInterface(options.interfaceAddress);
    socket.setMulticastTTL(1);
    for (let attempt = 0; attempt <= options.retries; attempt++) {
      const { messageId, xml } = buildProbe();
      ids.add(messageId);
      await new Promise<void>((resolve) => socket.send(xml, options.port ?? WS_DISCOVERY_PORT, WS_DISCOVERY_MULTICAST, () => resolve()));
      await new Promise((r) => setTimeout(r, options.timeoutMs));
    }
  } finally {
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}
