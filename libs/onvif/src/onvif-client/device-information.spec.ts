import { parseDeviceInformationXml } from './onvif-cam.adapter';

// Issue 11 item 14: a NUL in a device's device information answered 500 (Postgres refuses it in text).
describe('parseDeviceInformationXml with hostile text', () => {
  const answer = (manufacturer: string, model: string) =>
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><tds:GetDeviceInformationResponse xmlns:tds="http://www.onvif.org/ver10/device/wsdl">' +
    `<tds:Manufacturer>${manufacturer}</tds:Manufacturer><tds:Model>${model}</tds:Model><tds:FirmwareVersion>1.0</tds:FirmwareVersion>` +
    '<tds:SerialNumber>1</tds:SerialNumber><tds:HardwareId>7</tds:HardwareId></tds:GetDeviceInformationResponse></s:Body></s:Envelope>';
  it('drops NUL and other control characters, so what is stored is text Postgres accepts', () => {
    const info = parseDeviceInformationXml(answer('Ac\u0000me\u0007', 'X\u001b[31m1'));
    expect(info.manufacturer).toBe('Acme');
    expect(info.model).toBe('X[31m1');
    expect(JSON.stringify(info)).not.toMatch(/\\u000|\\u001/);
  });
  it('a value of control characters only is absent', () => {
    expect(parseDeviceInformationXml(answer('\u0000\u0000', 'M')).manufacturer).toBeUndefined();
  });
});
