import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseProbeMatches } from './ws-discovery.codec';
import { identityOfScopes, splitVendor } from './scope-identity';

const fixture = (p: string) => readFileSync(join(__dirname, '../../../../test/fixtures/onvif-real', p), 'utf8');
const words = (s: string) => s.split(/\s+/).filter(Boolean);

describe('identityOfScopes on captured answers', () => {
  it('reads vendor and model from an Axis ProbeMatch (name/AXIS%20M2036-LE, hardware/M2036-LE)', () => {
    const [match] = parseProbeMatches(fixture('axis/m2036-le.probe-matches.xml'))!.matches;
    expect(identityOfScopes(match.scopes)).toEqual({ manufacturer: 'AXIS', model: 'M2036-LE', name: 'AXIS M2036-LE' });
  });
  it('takes a manufacturer/ scope as given (FLIR), with hardware/ as the model', () => {
    expect(identityOfScopes(words(fixture('flir/cm-6204-11-i.scopes.txt')))).toEqual({ manufacturer: 'FLIR Systems', model: 'CM-6204-11-I', name: 'FLIR CM-6204-11-I K816600858' });
  });
  it('names no manufacturer when name/ starts with no known vendor', () => {
    expect(identityOfScopes(words(fixture('generic/mstar-ipnc.scopes.txt')))).toEqual({ model: 'MSTAR_IPNC', name: 'ONVIF_ICAMERA' });
  });
});

describe('identityOfScopes on the forms the issue lists', () => {
  const s = (...v: string[]) => v.map((x) => `onvif://www.onvif.org/${x}`);
  it.each([
    [s('name/AXIS%20M2025-LE'), { manufacturer: 'AXIS', model: 'M2025-LE' }],
    [s('name/HIKVISION%20DS-2CD2142FWD-I', 'hardware/DS-2CD2142FWD-I'), { manufacturer: 'HIKVISION', model: 'DS-2CD2142FWD-I' }],
    [s('name/Bosch'), { manufacturer: 'Bosch' }],
    [s('name/Amcrest', 'hardware/IP2M-841B'), { manufacturer: 'Amcrest', model: 'IP2M-841B' }],
    [s('name/Dahua', 'hardware/Dahua'), { manufacturer: 'Dahua' }],
    [s('mfr/Acme', 'hardware/DS%202CD'), { manufacturer: 'Acme', model: 'DS 2CD' }],
    [s('name/Front%20door', 'hardware/RLC-410'), { model: 'RLC-410' }],
    [s('NAME/hikvision_DS-2CD2032-I'), { manufacturer: 'hikvision', model: 'DS-2CD2032-I' }],
    [s('name/bad%E0%A4%A'), {}],
  ])('%j', (scopes, expected) => {
    const { name: _n, ...identity } = identityOfScopes(scopes);
    expect(identity).toEqual(expected);
  });
  it('drops control characters and caps the length', () => {
    expect(identityOfScopes(s(`name/AXIS%00%20${'X'.repeat(300)}`)).model).toHaveLength(123);
  });
  it('splits two-word vendors and nothing that merely starts like one', () => {
    expect(splitVendor('Hanwha Vision XNO-6080R')).toEqual({ vendor: 'Hanwha Vision', rest: 'XNO-6080R' });
    expect(splitVendor('Axiscam 1')).toBeUndefined();
  });
});
