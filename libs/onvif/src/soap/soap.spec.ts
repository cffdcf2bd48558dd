import { createHash } from 'node:crypto';
import { TiergateError } from '@tiergate/domain';
import { parseSoap, readFault, soapEnvelope, soapFault } from './soap.envelope';
import { passwordDigest, usernameTokenHeader, verifyUsernameToken } from './ws-security';
import { escapeXml, parseXml } from './xml';

describe('SOAP helpers', () => {
  it('round-trips an envelope and finds the operation, keeping values as strings', () => {
    const xml = soapEnvelope('<tds:GetDeviceInformationResponse><tds:SerialNumber>12345678901234567890</tds:SerialNumber></tds:GetDeviceInformationResponse>');
    const msg = parseSoap(xml);
    expect(msg.operation).toBe('GetDeviceInformationResponse');
    expect(msg.payload).toEqual({ SerialNumber: '12345678901234567890' });
  });

  it('builds and reads faults', () => {
    const f = readFault(parseSoap(soapFault('Sender', 'ter:NotAuthorized', 'Sender <not> Authorized')));
    expect(f).toEqual({ code: 'soap:Sender', subcode: 'ter:NotAuthorized', reason: 'Sender <not> Authorized' });
  });

  it('refuses DTDs, entities, oversize and garbage with TiergateError', () => {
    const bomb = '<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><Envelope><Body><x>&b;</x></Body></Envelope>';
    expect(() => parseXml(bomb)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(() => parseXml('<a>' + 'x'.repeat(70_000) + '</a>')).toThrow(expect.objectContaining({ code: 'PAYLOAD_TOO_LARGE' }));
    expect(() => parseSoap('<a><b></a>')).toThrow(TiergateError);
    expect(() => parseSoap('<Envelope><Header/></Envelope>')).toThrow(/not a SOAP envelope/);
  });

  it('decodes predefined entities only, escapes text', () => {
    expect(parseXml('<a>x &amp; y &lt;z&gt; &#65; &unknown;</a>')).toEqual({ a: 'x & y <z> A &unknown;' });
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
  });
});

describe('WS-Security UsernameToken', () => {
  const creds = { username: 'admin', password: 'sim-pass' };
  const now = new Date('2026-01-02T03:04:05Z');
  const header = (xml: string): unknown => parseSoap(soapEnvelope('<x/>', xml)).header;

  it('computes the ONVIF PasswordDigest', () => {
    // Base64(SHA1(nonce + created + password)) for a known input
    expect(passwordDigest(Buffer.from('0123456789abcdef'), '2026-01-02T03:04:05Z', 'sim-pass')).toBe(
      createHash('sha1').update('0123456789abcdef2026-01-02T03:04:05Zsim-pass').digest('base64'),
    );
  });

  it('accepts its own digest token, refuses a wrong password and a stale Created', () => {
    expect(verifyUsernameToken(header(usernameTokenHeader('admin', 'sim-pass', now)), creds, { now })).toBe('valid');
    expect(verifyUsernameToken(header(usernameTokenHeader('admin', 'bad', now)), creds, { now })).toBe('invalid');
    expect(verifyUsernameToken(header(usernameTokenHeader('root', 'sim-pass', now)), creds, { now })).toBe('invalid');
    const old = new Date(now.getTime() - 3600_000);
    expect(verifyUsernameToken(header(usernameTokenHeader('admin', 'sim-pass', old)), creds, { now })).toBe('expired');
    expect(verifyUsernameToken(header(''), creds, { now })).toBe('absent');
  });
});
