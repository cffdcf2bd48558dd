import { createSocket, RemoteInfo, Socket } from 'node:dgram';
import {
  buildProbeMatches,
  MAX_DISCOVERY_BYTES,
  NVT_TYPE,
  parseProbe,
  probeMatchesDevice,
  WS_DISCOVERY_MULTICAST,
} from '@tiergate/onvif';
import type { CameraService } from '../camera/sim-camera';

/** What a camera advertises in WS-Discovery. */
export interface DiscoverableDevice {
  readonly host: string;
  readonly endpointReference: string;
  readonly scopes: readonly string[];
  readonly onvifUrl: string;
}

export interface DiscoveryResponderOptions {
  readonly port: number;
  /** Join 239.255.255.250 on this interface address too (only inside a network namespace). */
  readonly multicastInterface?: string;
}

/** Pure: the ProbeMatches reply for a datagram, or undefined when it is not a matching Probe. */
export function answerProbe(datagram: Buffer, device: DiscoverableDevice): string | undefined {
  if (datagram.length === 0 || datagram.length > MAX_DISCOVERY_BYTES) return undefined;
  let probe;
  try {
    probe = parseProbe(datagram);
  } catch {
    return undefined; // not SOAP, hostile, or malformed: ignored
  }
  const types = [NVT_TYPE, 'tds:Device'];
  if (!probe || !probeMatchesDevice(probe, { types, scopes: device.scopes })) return undefined;
  return buildProbeMatches({
    relatesTo: probe.messageId,
    matches: [{ endpointReference: device.endpointReference, types, scopes: device.scopes, xaddrs: [device.onvifUrl], metadataVersion: 1 }],
  });
}

/**
 * Answers WS-Discovery probes sent to the camera's address (unicast, port 3702 by default) back to the
 * sender, from the camera's address; optionally also listens on the multicast group.
 */
export class DiscoveryResponder implements CameraService {
  private unicast: Socket | undefined;
  private multicast: Socket | undefined;

  constructor(private readonly device: DiscoverableDevice, private readonly options: DiscoveryResponderOptions) {}

  async start(): Promise<void> {
    if (this.unicast) return;
    const unicast = createSocket('udp4');
    unicast.on('error', () => undefined);
    await bind(unicast, this.options.port, this.device.host);
    unicast.on('message', (msg, rinfo) => this.onMessage(msg, rinfo));
    this.unicast = unicast;
    if (this.options.multicastInterface) {
      const multicast = createSocket({ type: 'udp4', reuseAddr: true });
      multicast.on('error', () => undefined);
      try {
        await bind(multicast, this.options.port, WS_DISCOVERY_MULTICAST);
        multicast.addMembership(WS_DISCOVERY_MULTICAST, this.options.multicastInterface);
      } catch (err) {
        multicast.close();
        await this.stop();
        throw err;
      }
      multicast.on('message', (msg, rinfo) => this.onMessage(msg, rinfo));
      this.multicast = multicast;
    }
  }

  async stop(): Promise<void> {
    const sockets = [this.unicast, this.multicast].filter((s): s is Socket => s !== undefined);
    this.unicast = undefined;
    this.multicast = undefined;
    await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }

  private onMessage(msg: Buffer, rinfo: RemoteInfo): void {
    const reply = answerProbe(msg, this.device);
    if (!reply || !this.unicast || rinfo.port === 0) return;
    this.unicast.send(reply, rinfo.port, rinfo.address, () => undefined);
  }
}

function bind(socket: Socket, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    socket.once('error', onError);
    socket.bind(port, address, () => {
      socket.off('error', onError);
      resolve();
    });
  });
}
