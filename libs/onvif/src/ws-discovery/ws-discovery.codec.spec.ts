import { buildProbe, buildProbeMatches, localName, parseProbe, parseProbeMatches, probeMatchesDevice } from './ws-discovery.codec';

describe('WS-Discovery codec', () => {
  it('round-trips a Probe', () => {
    const { messageId, xml } = buildProbe({ scopes: ['onvif://www.onvif.org/Profile/Streaming'] });
    expect(messageId).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(parseProbe(xml)).toEqual({ messageId, types: ['dn:NetworkVideoTransmitter'], scopes: ['onvif://www.onvif.org/Profile/Streaming'] });
    expect(parseProbeMatches(xml)).toBeUndefined();
  });

  it('round-trips ProbeMatches with RelatesTo, XAddrs and scopes', () => {
    const match = {
      endpointReference: 'urn:uuid:11111111-2222-5333-8444-555555555555',
      types: ['dn:NetworkVideoTransmitter', 'tds:Device'],
      scopes: ['onvif://www.onvif.org/name/cam%201', 'onvif://www.onvif.org/type/video_encoder'],
      xaddrs: ['http://127.0.1.1:8080/onvif/device_service'],
      metadataVersion: 1,
    };
    const xml = buildProbeMatches({ relatesTo: 'urn:uuid:abc', messageId: 'urn:uuid:def', matches: [match] });
    expect(parseProbeMatches(xml)).toEqual({ messageId: 'urn:uuid:def', relatesTo: 'urn:uuid:abc', matches: [match] });
    expect(parseProbe(xml)).toBeUndefined();
  });

  it('parses a ProbeMatch from a real-camera style message with other prefixes', () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope" ' +
      'xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" ' +
      'xmlns:dn="http://www.onvif.org/ver10/network/wsdl"><SOAP-ENV:Header><wsa:MessageID>uuid:1</wsa:MessageID>' +
      '<wsa:RelatesTo>uuid:2</wsa:RelatesTo></SOAP-ENV:Header><SOAP-ENV:Body><d:ProbeMatches><d:ProbeMatch>' +
      '<wsa:EndpointReference><wsa:Address>urn:uuid:x</wsa:Address></wsa:EndpointReference><d:Types>dn:NetworkVideoTransmitter</d:Types>' +
      '<d:Scopes> onvif://www.onvif.org/a  onvif://www.onvif.org/b </d:Scopes><d:XAddrs>http://10.0.0.5/onvif/device_service http://[fe80::1]/onvif/device_service</d:XAddrs>' +
      '<d:MetadataVersion>10</d:MetadataVersion></d:ProbeMatch></d:ProbeMatches></SOAP-ENV:Body></SOAP-ENV:Envelope>';
    const pm = parseProbeMatches(xml)!;
    expect(pm.relatesTo).toBe('uuid:2');
    expect(pm.matches[0]).toMatchObject({
      endpointReference: 'urn:uuid:x',
      scopes: ['onvif://www.onvif.org/a', 'onvif://www.onvif.org/b'],
      xaddrs: ['http://10.0.0.5/onvif/device_service', 'http://[fe80::1]/onvif/device_service'],
      metadataVersion: 10,
    });
  });

  it('matches types by local name and scopes by segment prefix', () => {
    const device = { types: ['dn:NetworkVideoTransmitter'], scopes: ['onvif://www.onvif.org/location/city/tiergate-sim'] };
    const probe = (types: string[], scopes: string[]) => ({ messageId: 'm', types, scopes });
    expect(probeMatchesDevice(probe(['ns9:NetworkVideoTransmitter'], []), device)).toBe(true);
    expect(probeMatchesDevice(probe([], ['onvif://www.onvif.org/location']), device)).toBe(true);
    expect(probeMatchesDevice(probe([], ['onvif://www.onvif.org/loc']), device)).toBe(false);
    expect(probeMatchesDevice(probe(['dn:Printer'], []), device)).toBe(false);
    expect(localName('a:b:C')).toBe('C');
  });

  it('throws TiergateError on hostile or malformed packets', () => {
    expect(() => parseProbe('<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(() => parseProbe('x'.repeat(40_000))).toThrow(expect.objectContaining({ code: 'PAYLOAD_TOO_LARGE' }));
    expect(() => parseProbe('hello')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    const noId = '<Envelope><Header/><Body><Probe/></Body></Envelope>';
    expect(() => parseProbe(noId)).toThrow(/MessageID/);
  });
});
