import type { SweepFinding } from '@tiergate/persistence';
import { candidatePorts, portNeedsCheck } from './finding.mapper';
import { probeOnvifHttp } from './onvif-http.prober';

/** Finds the first of `ports` on `host` that answers like an ONVIF device (probeOnvifHttp by default). */
export type PortProbe = (host: string, ports: readonly number[], timeoutMs: number) => Promise<number | undefined>;

/**
 * The port a WS-Discovery finding should carry.
 *
 * A device behind a port-forwarding NAT answers WS-Discovery from the NAT's address but lists its private
 * XAddr (`http://192.168.1.64/onvif/device_service`, so port 80) while the NAT forwards, say, 8080. The
 * host is already the answering address; the port is checked on that host, anonymously
 * (GetSystemDateAndTime): the XAddr's port first, kept only when it answers there, then the sweep's ONVIF
 * ports (the same list the HTTP fallback tries). When none answers, the XAddr's port stays: it is the only
 * lead there is, and onboarding will say plainly that it is unreachable. An XAddr on the answering host is
 * the device's own word about the address we reached, and is not checked.
 */
export async function resolveFindingPort(f: SweepFinding, sweepPorts: readonly number[], timeoutMs: number, probe: PortProbe = probeOnvifHttp): Promise<SweepFinding> {
  if (!portNeedsCheck(f)) return f;
  const port = await probe(f.host, candidatePorts(f, sweepPorts), timeoutMs);
  return port === undefined || port === f.port ? f : { ...f, port };
}
