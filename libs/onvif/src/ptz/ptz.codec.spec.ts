import { parsePtzPresets, parsePtzProfileToken, parsePtzStatus, parsePtzXAddr, parseSetPreset, ptzRequests, saysNotSupported, xsMillis } from './ptz.codec';

// Answers as a Hikvision-style PTZ dome sends them (trimmed), and hostile variants.
const env = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:tt="http://www.onvif.org/ver10/schema" ` +
  `xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:trt="http://www.onvif.org/ver10/media/wsdl" xmlns:tptz="http://www.onvif.org/ver20/ptz/wsdl"><env:Body>${body}</env:Body></env:Envelope>`;

describe('ONVIF PTZ codec', () => {
  it('finds the PTZ XAddr, or none', () => {
    const caps = env(`<tds:GetCapabilitiesResponse><tds:Capabilities><tt:Media><tt:XAddr>http://10.0.0.5/onvif/Media</tt:XAddr></tt:Media><tt:PTZ><tt:XAddr>http://10.0.0.5/onvif/PTZ</tt:XAddr></tt:PTZ></tds:Capabilities></tds:GetCapabilitiesResponse>`);
    expect(parsePtzXAddr(caps)?.toString()).toBe('http://10.0.0.5/onvif/PTZ');
    expect(parsePtzXAddr(env(`<tds:GetCapabilitiesResponse><tds:Capabilities><tt:Media><tt:XAddr>http://x/</tt:XAddr></tt:Media></tds:Capabilities></tds:GetCapabilitiesResponse>`))).toBeUndefined();
    expect(parsePtzXAddr(env(`<tds:GetCapabilitiesResponse><tds:Capabilities><tt:PTZ><tt:XAddr>file:///etc/passwd</tt:XAddr></tt:PTZ></tds:Capabilities></tds:GetCapabilitiesResponse>`))).toBeUndefined();
    expect(saysNotSupported(400, env(`<env:Fault><env:Code><env:Value>env:Sender</env:Value><env:Subcode><env:Value>ter:ActionNotSupported</env:Value></env:Subcode></env:Code></env:Fault>`))).toBe(true);
  });

  it('picks the first profile with a PTZ configuration', () => {
    const profiles = env(
      `<trt:GetProfilesResponse><trt:Profiles token="Profile_1" fixed="true"><tt:Name>mainStream</tt:Name></trt:Profiles>` +
        `<trt:Profiles token="Profile_2" fixed="true"><tt:Name>subStream</tt:Name><tt:PTZConfiguration token="PTZToken"><tt:Name>PTZ</tt:Name></tt:PTZConfiguration></trt:Profiles></trt:GetProfilesResponse>`,
    );
    expect(parsePtzProfileToken(profiles)).toBe('Profile_2');
    expect(parsePtzProfileToken(env(`<trt:GetProfilesResponse><trt:Profiles token="P"><tt:Name>x</tt:Name></trt:Profiles></trt:GetProfilesResponse>`))).toBeUndefined();
  });

  it('reads the status, clamping positions to their spaces', () => {
    const status = (x: string, y: string, z: string, move: string) =>
      env(
        `<tptz:GetStatusResponse><tptz:PTZStatus><tt:Position><tt:PanTilt x="${x}" y="${y}" space="http://www.onvif.org/ver10/tptz/PanTiltSpaces/PositionGenericSpace"/>` +
          `<tt:Zoom x="${z}"/></tt:Position><tt:MoveStatus><tt:PanTilt>${move}</tt:PanTilt><tt:Zoom>IDLE</tt:Zoom></tt:MoveStatus><tt:UtcTime>2026-12-03T07:00:00Z</tt:UtcTime></tptz:PTZStatus></tptz:GetStatusResponse>`,
      );
    expect(parsePtzStatus(status('0.25', '-0.5', '0.1', 'MOVING'))).toEqual({ position: { pan: 0.25, tilt: -0.5, zoom: 0.1 }, moving: true });
    expect(parsePtzStatus(status('7', '-9', '3', 'IDLE'))).toEqual({ position: { pan: 1, tilt: -1, zoom: 1 }, moving: false });
    expect(parsePtzStatus(status('NaN', '0', '0', 'IDLE')).position).toBeNull();
  });

  it('reads presets (capped names, tokens required) and the token of a saved one', () => {
    const list = env(
      `<tptz:GetPresetsResponse><tptz:Preset token="1"><tt:Name>南门</tt:Name></tptz:Preset><tptz:Preset token="2"/>` +
        `<tptz:Preset token=""><tt:Name>no token</tt:Name></tptz:Preset><tptz:Preset token="3"><tt:Name>${'x'.repeat(300)}</tt:Name></tptz:Preset></tptz:GetPresetsResponse>`,
    );
    expect(parsePtzPresets(list)).toEqual([
      { token: '1', name: '南门' },
      { token: '2', name: '2' },
      { token: '3', name: 'x'.repeat(64) },
    ]);
    expect(parseSetPreset(env(`<tptz:SetPresetResponse><tptz:PresetToken>4</tptz:PresetToken></tptz:SetPresetResponse>`))).toBe('4');
    expect(() => parseSetPreset(env(`<tptz:SetPresetResponse/>`))).toThrow(/preset token/);
  });

  it('names a fault, and refuses an answer that is not the one asked for or not SOAP', () => {
    const fault = env(`<env:Fault><env:Code><env:Value>env:Sender</env:Value><env:Subcode><env:Value>ter:NoToken</env:Value></env:Subcode></env:Code><env:Reason><env:Text>no such preset</env:Text></env:Reason></env:Fault>`);
    expect(() => parsePtzPresets(fault)).toThrow(/refused GetPresets: ter:NoToken \(no such preset\)/);
    expect(() => parsePtzStatus(env('<tptz:GetPresetsResponse/>'))).toThrow(/answered GetStatus with GetPresetsResponse/);
    expect(() => parsePtzStatus('<html>')).toThrow(/not SOAP/);
  });

  it('builds requests with clamped numbers, escaped names and a Timeout in milliseconds', () => {
    const move = ptzRequests.continuousMove('Profile_1', { pan: 2, tilt: -0.33333, zoom: 0 }, 1500);
    expect(move).toContain('x="1" y="-0.3333"');
    expect(move).toContain('<Timeout>PT1.5S</Timeout>');
    expect(ptzRequests.setPreset('P<1>', 'Gate & "door"')).toContain('<PresetName>Gate &amp; &quot;door&quot;</PresetName>');
    expect(xsMillis(250)).toBe('PT0.25S');
  });
});
