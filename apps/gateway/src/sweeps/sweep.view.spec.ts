import type { SweepRecord } from '@tiergate/persistence';
import { toSweepView } from './sweep.view';

const row = (found: SweepRecord['found']) =>
  ({ id: 's1', state: 'done', progress: 1, params: { multicast: false, ports: [80] }, found, error: null, createdAt: new Date(0), finishedAt: null }) as unknown as SweepRecord;

describe('toSweepView', () => {
  const scoped = { endpoint: 'urn:uuid:1', host: '10.0.0.1', port: 80, xaddr: 'http://10.0.0.1/onvif/device_service', scopes: [], manufacturer: 'HIKVISION', model: 'renamed by owner' };
  it('keeps the scopes identity until onboarding, then shows the device information', () => {
    expect(toSweepView(row([scoped]), () => undefined).found[0]).toEqual(scoped);
    const onboarded = toSweepView(row([scoped]), () => ({ id: 'c1', device: { manufacturer: 'HIKVISION', model: 'DS-2CD2142FWD-I' } })).found[0];
    expect(onboarded).toEqual({ ...scoped, model: 'DS-2CD2142FWD-I', cameraId: 'c1' });
  });
  it('fills maker and model of an HTTP-fallback finding from the device information, and keeps scopes values the device did not give', () => {
    const http = { endpoint: 'http://10.0.0.2:80/onvif/device_service', host: '10.0.0.2', port: 80, xaddr: 'http://10.0.0.2:80/onvif/device_service', scopes: [] };
    expect(toSweepView(row([http]), () => ({ id: 'c2', device: { manufacturer: 'Dahua' } })).found[0]).toEqual({ ...http, manufacturer: 'Dahua', cameraId: 'c2' });
    expect(toSweepView(row([scoped]), () => ({ id: 'c1', device: null })).found[0]).toEqual({ ...scoped, cameraId: 'c1' });
  });
  it('names the camera a finding already is (the console links to it), and drops a stale stored name', () => {
    expect(toSweepView(row([scoped]), () => ({ id: 'c1', name: 'Elm gate', device: null })).found[0]).toEqual({ ...scoped, cameraId: 'c1', cameraName: 'Elm gate' });
    expect(toSweepView(row([{ ...scoped, cameraId: 'old', cameraName: 'Old name' }]), () => undefined).found[0]).toEqual(scoped);
  });
});
