import { cleanCameraUri, isPrivateOrUnroutable, splitUrlCredentials } from './stream-uri.rewriter';
import { classifyOnvifFailure } from './onvif-error.classifier';
import { assignProfileKinds } from './profile-kind';
import { parseDeviceInformationXml } from './onvif-cam.adapter';

describe('cleanCameraUri', () => {
  it('strips credentials and keeps a reachable host', () => {
    expect(cleanCameraUri('rtsp://admin:secret@127.0.1.5:8554/main', '127.0.1.5')).toEqual({ uri: 'rtsp://127.0.1.5:8554/main', rewritten: false });
  });
  it('rewrites a private NAT address to the reached one, keeping port and path', () => {
    expect(cleanCameraUri('rtsp://10.0.0.9:554/Streaming/101?x=1', '203.0.113.7')).toEqual({ uri: 'rtsp://203.0.113.7:554/Streaming/101?x=1', rewritten: true });
  });
  it('leaves a public host alone and refuses garbage', () => {
    expect(cleanCameraUri('rtsp://198.51.100.2/a', '127.0.0.1')?.rewritten).toBe(false);
    expect(cleanCameraUri('not a url', '1.2.3.4')).toBeUndefined();
  });
  it('knows private ranges', () => {
    expect(['10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.1.1', '0.0.0.0', 'localhost'].every(isPrivateOrUnroutable)).toBe(true);
    expect(['8.8.8.8', '172.32.0.1', 'cam.example'].some(isPrivateOrUnroutable)).toBe(false);
  });
  it('splits URL credentials', () => {
    expect(splitUrlCredentials('rtsp://u%40x:p%3Aw@h:554/s')).toEqual({ url: 'rtsp://h:554/s', username: 'u@x', password: 'p:w' });
  });
});

describe('classifyOnvifFailure', () => {
  it.each([
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:80'), { code: 'ECONNREFUSED' }), 'CAMERA_UNREACHABLE'],
    [new Error('Network timeout'), 'CAMERA_UNREACHABLE'],
    [new Error('Sender not Authorized'), 'CAMERA_UNAUTHORIZED'],
    [new Error('Non-whitespace before first tag.\nLine: 0'), 'CAMERA_PROTOCOL_ERROR'],
  ])('maps %p', (err, code) => {
    expect(classifyOnvifFailure(err, 'h:1').code).toBe(code);
  });
  it('never repeats a password', () => {
    expect(classifyOnvifFailure(new Error('bad thing hunter2 rtsp://a:b@h/'), 'h:1', ['hunter2']).message).not.toMatch(/hunter2|a:b@/);
  });
});

describe('profiles and device information', () => {
  it('marks the largest profile main', () => {
    expect(assignProfileKinds([{ token: 'a', name: 'a', width: 640, height: 360 }, { token: 'b', name: 'b', width: 1920, height: 1080 }]).map((p) => p.kind)).toEqual(['sub', 'main']);
  });
  it('keeps a 20-digit serial as a string', () => {
    const xml =
      '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><tds:GetDeviceInformationResponse xmlns:tds="http://www.onvif.org/ver10/device/wsdl">' +
      '<tds:Manufacturer>Acme</tds:Manufacturer><tds:Model>X</tds:Model><tds:FirmwareVersion>1.0</tds:FirmwareVersion>' +
      '<tds:SerialNumber>12345678901234567890</tds:SerialNumber><tds:HardwareId>7</tds:HardwareId></tds:GetDeviceInformationResponse></s:Body></s:Envelope>';
    expect(parseDeviceInformationXml(xml)).toEqual({ manufacturer: 'Acme', model: 'X', firmwareVersion: '1.0', serialNumber: '12345678901234567890', hardwareId: '7' });
  });
});
