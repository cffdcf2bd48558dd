import { FindingSet, findingOfHttp } from './finding.mapper';

describe('FindingSet quotas', () => {
  const finding = (host: string, n: number) => ({ endpoint: `urn:uuid:${host}-${n}`, host, port: 1000 + n, xaddr: `http://${host}:${1000 + n}/onvif/device_service`, scopes: ['x'] });
  it('keeps at most perHost findings of one host and counts the rest as dropped', () => {
    const s = new FindingSet({ perHost: 3, perSweep: 100 });
    for (let n = 0; n < 10; n++) s.add(finding('10.0.0.1', n));
    expect(s.add(finding('10.0.0.2', 0))).toBe(true);
    expect(s.size).toBe(4);
    expect(s.dropped).toBe(7);
    expect(s.hasRoomFor('10.0.0.1')).toBe(false);
    expect(s.hasRoomFor('10.0.0.3')).toBe(true);
  });
  it('keeps at most perSweep in all', () => {
    const s = new FindingSet({ perHost: 10, perSweep: 5 });
    for (let h = 0; h < 10; h++) s.add(findingOfHttp(`10.0.1.${h}`, 80));
    expect(s.size).toBe(5);
    expect(s.dropped).toBe(5);
  });
  it('a WS-Discovery answer replacing an HTTP-fallback finding of the same host:port takes no extra quota', () => {
    const s = new FindingSet({ perHost: 1, perSweep: 10 });
    expect(s.add(findingOfHttp('10.0.2.1', 80))).toBe(true);
    expect(s.add({ endpoint: 'urn:uuid:real', host: '10.0.2.1', port: 80, xaddr: 'http://10.0.2.1/onvif/device_service', scopes: ['s'] })).toBe(true);
    expect(s.list().map((f) => f.endpoint)).toEqual(['urn:uuid:real']);
  });
});
