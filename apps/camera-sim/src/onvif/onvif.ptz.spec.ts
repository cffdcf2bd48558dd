import { parseSoap, readFault, usernameTokenHeader, xmlPath, attr, text, children } from '@tiergate/onvif';
import { SimPtz } from '../camera/sim-ptz';
import { OnvifDevice, OnvifHandler } from './onvif.handler';
import { SimEvents } from './onvif.events';

const TPTZ = 'http://www.onvif.org/ver20/ptz/wsdl';

function device(ptz?: SimPtz): OnvifDevice {
  const view = { token: 'profile_main', name: 'MainStream', path: 'main', width: 640, height: 360, fps: 25, bitrateKbps: 800, h264Profile: 'Baseline' as const, jpeg: Buffer.alloc(0) };
  return {
    index: 0,
    host: '127.0.132.250',
    onvifPort: 8080,
    rtspPort: 8554,
    credentials: { username: 'admin', password: 'sim-pass' },
    quirks: {},
    device: { name: 'PTZ cam', manufacturer: 'Tiergate', model: 'SimCam PTZ', firmwareVersion: '1', serial: 'S1', hardwareId: 'H1', baseUrl: 'http://127.0.132.250:8080', scopes: [] },
    profileViews: [view],
    events: new SimEvents(() => new Date()),
    ptz,
  };
}

describe('the simulated ONVIF PTZ service (SOAP through the camera handler)', () => {
  let now = 5_000_000;
  const clock = () => now;
  const ptz = new SimPtz(clock);
  const handler = new OnvifHandler(device(ptz));
  const plain = new OnvifHandler(device());

  async function call(body: string, on = handler, password = 'sim-pass') {
    const security = usernameTokenHeader('admin', password, new Date());
    const xml = `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Header>${security.replace('soap:mustUnderstand', 's:mustUnderstand')}</s:Header><s:Body>${body}</s:Body></s:Envelope>`;
    const res = await on.handle({ method: 'POST', path: '/onvif/ptz_service', body: Buffer.from(xml) });
    const msg = parseSoap(String(res.body));
    return { status: res.status, msg, fault: readFault(msg) };
  }
  const op = (name: string, inner = '<ProfileToken>profile_main</ProfileToken>') => `<${name} xmlns="${TPTZ}">${inner}</${name}>`;
  const status = async () => {
    const { msg } = await call(op('GetStatus'));
    const pos = xmlPath(msg.payload, 'PTZStatus', 'Position');
    return {
      x: Number(attr(xmlPath(pos, 'PanTilt'), 'x')),
      y: Number(attr(xmlPath(pos, 'PanTilt'), 'y')),
      zoom: Number(attr(xmlPath(pos, 'Zoom'), 'x')),
      moving: text(xmlPath(msg.payload, 'PTZStatus', 'MoveStatus', 'PanTilt')),
    };
  };

  it('advertises the PTZ service and the profile PTZ configuration only on a PTZ camera', async () => {
    const caps = await call('<GetCapabilities xmlns="http://www.onvif.org/ver10/device/wsdl"><Category>All</Category></GetCapabilities>');
    expect(text(xmlPath(caps.msg.payload, 'Capabilities', 'PTZ', 'XAddr'))).toBe('http://127.0.132.250:8080/onvif/ptz_service');
    const services = await call('<GetServices xmlns="http://www.onvif.org/ver10/device/wsdl"><IncludeCapability>false</IncludeCapability></GetServices>');
    expect(children(services.msg.payload, 'Service').map((s) => text(xmlPath(s, 'Namespace')))).toContain(TPTZ);
    const profiles = await call('<GetProfiles xmlns="http://www.onvif.org/ver10/media/wsdl"/>');
    expect(attr(xmlPath(profiles.msg.payload, 'Profiles', 'PTZConfiguration'), 'token')).toBe('ptz_config_1');
    const none = await call('<GetCapabilities xmlns="http://www.onvif.org/ver10/device/wsdl"/>', plain);
    expect(xmlPath(none.msg.payload, 'Capabilities', 'PTZ')).toBeUndefined();
    const refused = await call(op('GetStatus'), plain);
    expect(refused.fault?.subcode).toBe('ter:ActionNotSupported');
  });

  it('ContinuousMove with a Timeout moves the head with time; Stop holds it; GetStatus says MOVING, then IDLE', async () => {
    const moved = await call(op('ContinuousMove', `<ProfileToken>profile_main</ProfileToken><Velocity><PanTilt xmlns="http://www.onvif.org/ver10/schema" x="1" y="0.5"/></Velocity><Timeout>PT2S</Timeout>`));
    expect(moved.status).toBe(200);
    expect(moved.msg.operation).toBe('ContinuousMoveResponse');
    now += 1000;
    expect(await status()).toEqual({ x: 0.5, y: 0.25, zoom: 0, moving: 'MOVING' });
    await call(op('Stop', '<ProfileToken>profile_main</ProfileToken><PanTilt>true</PanTilt><Zoom>true</Zoom>'));
    now += 1000;
    expect(await status()).toEqual({ x: 0.5, y: 0.25, zoom: 0, moving: 'IDLE' });
  });

  it('AbsoluteMove, RelativeMove and presets: set, list, go to, remove', async () => {
    await call(op('AbsoluteMove', '<ProfileToken>profile_main</ProfileToken><Position><PanTilt x="-0.5" y="0.2"/><Zoom x="0.6"/></Position>'));
    expect(await status()).toMatchObject({ x: -0.5, y: 0.2, zoom: 0.6 });
    const set = await call(op('SetPreset', '<ProfileToken>profile_main</ProfileToken><PresetName>South gate</PresetName>'));
    const token = text(xmlPath(set.msg.payload, 'PresetToken'))!;
    expect(token).toBe('preset_1');
    await call(op('RelativeMove', '<ProfileToken>profile_main</ProfileToken><Translation><PanTilt x="0.25" y="0"/></Translation>'));
    expect(await status()).toMatchObject({ x: -0.25 });
    const list = await call(op('GetPresets'));
    const presets = children(list.msg.payload, 'Preset');
    expect(presets.map((p) => [attr(p, 'token'), text(xmlPath(p, 'Name'))])).toEqual([['preset_1', 'South gate']]);
    await call(op('GotoPreset', `<ProfileToken>profile_main</ProfileToken><PresetToken>${token}</PresetToken>`));
    expect(await status()).toMatchObject({ x: -0.5, y: 0.2, zoom: 0.6 });
    expect((await call(op('RemovePreset', `<ProfileToken>profile_main</ProfileToken><PresetToken>${token}</PresetToken>`))).status).toBe(200);
    expect(children((await call(op('GetPresets'))).msg.payload, 'Preset')).toEqual([]);
  });

  it('answers bad input with SOAP faults, and needs the credentials', async () => {
    const fault = async (body: string) => (await call(body)).fault?.subcode;
    expect(await fault(op('GetStatus', '<ProfileToken>nope</ProfileToken>'))).toBe('ter:NoProfile');
    expect(await fault(op('ContinuousMove', '<ProfileToken>profile_main</ProfileToken><Velocity><PanTilt x="3" y="0"/></Velocity>'))).toBe('ter:InvalidArgVal');
    expect(await fault(op('ContinuousMove', '<ProfileToken>profile_main</ProfileToken><Velocity><PanTilt x="left" y="0"/></Velocity>'))).toBe('ter:InvalidArgVal');
    expect(await fault(op('ContinuousMove', '<ProfileToken>profile_main</ProfileToken><Velocity><PanTilt x="1" y="0"/></Velocity><Timeout>soon</Timeout>'))).toBe('ter:InvalidArgVal');
    expect(await fault(op('GotoPreset', '<ProfileToken>profile_main</ProfileToken><PresetToken>preset_99</PresetToken>'))).toBe('ter:NoToken');
    expect(await fault(op('AbsoluteMove', '<ProfileToken>profile_main</ProfileToken><Position><Zoom x="2"/></Position>'))).toBe('ter:InvalidArgVal');
    const wrong = await call(op('GetStatus'), handler, 'wrong');
    expect(wrong.status).toBe(400);
    expect(wrong.fault?.subcode).toBe('ter:NotAuthorized');
  });
});
