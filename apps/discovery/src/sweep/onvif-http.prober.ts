import { parseSoap, postSoap, readFault, withDeadline } from '@tiergate/onvif';

const BODY =
  '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>' +
  '<GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/></s:Body></s:Envelope>';

/** Pure: whether an HTTP answer to an anonymous GetSystemDateAndTime comes from an ONVIF device. */
export function looksLikeOnvif(status: number, body: string): boolean {
  if (!body || body.length > 64 * 1024) return false;
  try {
    const msg = parseSoap(body);
    if (status === 200 && msg.operation === 'GetSystemDateAndTimeResponse') return true;
    const fault = readFault(msg);
    return fault !== undefined && /NotAuthorized|Sender/i.test(`${fault.subcode ?? ''} ${fault.code ?? ''}`);
  } catch {
    return false;
  }
}

/**
 * The fallback for hosts silent on WS-Discovery: an anonymous GetSystemDateAndTime POST on each port.
 * Returns the first port that answered like an ONVIF device.
 */
export async function probeOnvifHttp(host: string, ports: readonly number[], timeoutMs: number): Promise<number | undefined> {
  for (const port of ports) {
    try {
      const answer = await withDeadline(postSoap({ host, port, timeoutMs }, '/onvif/device_service', BODY), timeoutMs + 100, () => new Error('timed out'));
      if (looksLikeOnvif(answer.status, answer.body)) return port;
    } catch {
      // refused, reset or timed out: not here
    }
  }
  return undefined;
}
