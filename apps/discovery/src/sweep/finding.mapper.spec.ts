import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseProbeMatches } from '@tiergate/onvif';
import { candidatePorts, FindingSet, findingOfHttp, findingOfMatch, portNeedsCheck } from './finding.mapper';
import { resolveFindingPort } from './finding-port.resolver';
import { looksLikeOnvif } from './onvif-http.prober';

const match = (xaddrs: string[], scopes: string[] = []) => ({ endpointReference: 'urn:uuid:1', types: ['dn:NetworkVideoTransmitter'], scopes, xaddrs, metadataVersion: 1 });

describe('findingOfMatch', () => {
  it('prefers the XAddr on the answering address and reads maker and model from scopes', () => {
    const f = findingOfMatch(match(['http://10.0.0.5/onvif/device_service', 'http://192.0.2.7:8080/onvif/device_service'], ['onvif://www.onvif.org/hardware/DS%202CD', 'onvif://www.onvif.org/mfr/Acme']), '192.0.2.7');
    expect(f).toEqual({
      endpoint: 'urn:uuid:1',
      host: '192.0.2.7',
      port: 8080,
      xaddr: 'http://192.0.2.7:8080/onvif/device_service',
      scopes: ['onvif://www.onvif.org/hardware/DS%202CD', 'onvif://www.onvif.org/mfr/Acme'],
      manufacturer: 'Acme',
      model: 'DS 2CD',
    });
  });
  it('falls back to the first http XAddr (port 80) and refuses non-http ones', () => {
    expect(findingOfMatch(match(['http://10.0.0.5/onvif/device_service']), '192.0.2.7')).toMatchObject({ host: '192.0.2.7', port: 80 });
    expect(findingOfMatch(match(['file:///etc/passwd', 'not a url']), '192.0.2.7')).toBeUndefined();
  });
});

describe('findingOfMatch on a captured Axis answer (test/fixtures/onvif-real/axis)', () => {
  const [axis] = parseProbeMatches(readFileSync(join(__dirname, '../../../../test/fixtures/onvif-real/axis/m2036-le.probe-matches.xml')))!.matches;
  it('takes maker and model from name/ and hardware/, the host from the answer, and marks the private XAddr port for a check', () => {
    const f = findingOfMatch(axis, '203.0.113.9')!;
    expect(f).toMatchObject({ endpoint: 'urn:uuid:e83a0086-3fdc-4d87-b8c4-83c0a16ad9f4', host: '203.0.113.9', port: 80, xaddr: 'http://192.168.0.90/onvif/device_service', manufacturer: 'AXIS', model: 'M2036-LE' });
    expect(portNeedsCheck(f)).toBe(true);
    expect(candidatePorts(f, [8080, 80, 0])).toEqual([80, 8080]);
  });
  it('trusts the port of an XAddr on the answering address', () => {
    expect(portNeedsCheck(findingOfMatch(axis, '192.168.0.90')!)).toBe(false);
  });
});

describe('resolveFindingPort (NAT)', () => {
  const natted = findingOfMatch(match(['http://192.168.1.64/onvif/device_service']), '198.51.100.4')!;
  it('keeps the XAddr port when it answers on the answering host, else takes the first sweep port that does', async () => {
    const tried: unknown[] = [];
    const probe = (answering: number[]) => async (host: string, ports: readonly number[]) => {
      tried.push([host, ...ports]);
      return ports.find((p) => answering.includes(p));
    };
    expect((await resolveFindingPort(natted, [8080, 8000], 100, probe([80, 8080]))).port).toBe(80);
    expect((await resolveFindingPort(natted, [8080, 8000], 100, probe([8000]))).port).toBe(8000);
    expect(tried[1]).toEqual(['198.51.100.4', 80, 8080, 8000]);
    // Nothing answers: the XAddr's port stays (the only lead); a finding on its own XAddr host is never probed.
    expect((await resolveFindingPort(natted, [8080], 100, probe([]))).port).toBe(80);
    const direct = findingOfMatch(match(['http://198.51.100.4:8899/onvif/device_service']), '198.51.100.4')!;
    expect(await resolveFindingPort(direct, [8080], 100, () => Promise.reject(new Error('must not probe')))).toBe(direct);
  });
});

describe('FindingSet', () => {
  it('dedupes by endpoint and by host:port', () => {
    const s = new FindingSet();
    expect(s.add(findingOfMatch(match(['http://h/x']), '1.1.1.1')!)).toBe(true);
    expect(s.add(findingOfMatch(match(['http://h/x']), '1.1.1.2')!)).toBe(false);
    expect(s.add(findingOfHttp('1.1.1.1', 80))).toBe(false);
    expect(s.add(findingOfHttp('1.1.1.3', 80))).toBe(true);
    expect(s.size).toBe(2);
    // A late WS-Discovery answer replaces the HTTP-fallback finding of the same host:port.
    expect(s.add({ ...findingOfMatch(match(['http://1.1.1.3/onvif/device_service']), '1.1.1.3')!, endpoint: 'urn:uuid:3' })).toBe(true);
    expect(s.list().map((f) => f.endpoint)).toEqual(['urn:uuid:1', 'urn:uuid:3']);
  });
});

describe('looksLikeOnvif', () => {
  const env = (b: string) => `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>${b}</s:Body></s:Envelope>`;
  it('accepts a date answer or a NotAuthorized fault, nothing else', () => {
    expect(looksLikeOnvif(200, env('<GetSystemDateAndTimeResponse/>'))).toBe(true);
    expect(looksLikeOnvif(401, env('<s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value>ter:NotAuthorized</s:Value></s:Subcode></s:Code></s:Fault>'))).toBe(true);
    expect(looksLikeOnvif(200, '<html>router login</html>')).toBe(false);
    expect(looksLikeOnvif(200, env('<Other/>'))).toBe(false);
    expect(looksLikeOnvif(401, '')).toBe(false);
  });
});
