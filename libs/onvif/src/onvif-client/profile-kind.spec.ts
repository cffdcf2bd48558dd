import { assignProfileKinds, kindOfLabel, kindOfStreamUri, KindInput } from './profile-kind';

const p = (token: string, name: string, width = 0, height = 0, streamUri?: string): KindInput => ({ token, name, width, height, ...(streamUri ? { streamUri } : {}) });
const kinds = (list: KindInput[]) => assignProfileKinds(list).map((x) => x.kind);

describe('assignProfileKinds', () => {
  it('marks the largest profile main when nothing else speaks', () => {
    expect(kinds([p('a', 'a', 640, 360), p('b', 'b', 1920, 1080)])).toEqual(['sub', 'main']);
  });
  it('Dahua-firmware NVR (test/fixtures/onvif-real/dahua-nvr): main without encoder settings, subs without any', () => {
    const nvr = [
      p('MediaProfile00000', 'MediaProfile_Channel1_MainStream', 0, 0, 'rtsp://192.168.1.123:554/cam/realmonitor?channel=1&subtype=0&unicast=true&proto=Onvif'),
      p('MediaProfile00001', 'MediaProfile_Channel1_SubStream1', 0, 0, 'rtsp://192.168.1.123:554/cam/realmonitor?channel=1&subtype=1&unicast=true&proto=Onvif'),
      p('MediaProfile00002', 'MediaProfile_Channel1_SubStream2', 0, 0, 'rtsp://192.168.1.123:554/cam/realmonitor?channel=1&subtype=2&unicast=true&proto=Onvif'),
    ];
    expect(kinds(nvr)).toEqual(['main', 'sub', 'sub']);
    // Listed sub first: the names and URIs still decide.
    expect(kinds([nvr[1], nvr[0]])).toEqual(['sub', 'main']);
  });
  it('a 0×0 main named so beats a sub that reports a resolution (the Lorex case: resolution alone made it sub)', () => {
    expect(kinds([p('MediaProfile00000', 'MediaProfile_Channel1_MainStream'), p('MediaProfile00001', 'MediaProfile_Channel1_SubStream1', 704, 480)])).toEqual(['main', 'sub']);
    // And by stream URI alone, with names that say nothing.
    expect(kinds([p('Profile000', 'Profile000', 0, 0, 'rtsp://h/cam/realmonitor?channel=1&subtype=0'), p('Profile001', 'Profile001', 704, 480, 'rtsp://h/cam/realmonitor?channel=1&subtype=1')])).toEqual(['main', 'sub']);
  });
  it('never labels an unexplained 0×0 profile main when another profile has a resolution', () => {
    expect(kinds([p('t0', 'metadata'), p('t1', 'video', 640, 360)])).toEqual(['sub', 'main']);
    expect(kinds([p('t0', 'x'), p('t1', 'SubStream', 640, 360)])).toEqual(['sub', 'main']);
  });
  it('falls back on the device order when nothing is known', () => {
    expect(kinds([p('a', 'a'), p('b', 'b')])).toEqual(['main', 'sub']);
    expect(kinds([])).toEqual([]);
  });
  it('Hikvision: mainStream/subStream names, Profile_1/Profile_2 tokens, /Streaming/Channels/101 vs 102', () => {
    expect(kinds([p('Profile_2', 'subStream', 640, 480), p('Profile_1', 'mainStream', 640, 480)])).toEqual(['sub', 'main']);
    expect(kinds([p('Profile_2', 'P2'), p('Profile_1', 'P1')])).toEqual(['sub', 'main']);
    expect(kinds([p('a', 'a', 0, 0, 'rtsp://h:554/Streaming/Channels/102?transportmode=unicast'), p('b', 'b', 0, 0, 'rtsp://h:554/Streaming/Channels/101?transportmode=unicast')])).toEqual(['sub', 'main']);
  });
  it('the stream URI wins over a name that disagrees', () => {
    expect(kinds([p('a', 'main', 0, 0, 'rtsp://h/Streaming/Channels/102'), p('b', 'b', 0, 0, 'rtsp://h/Streaming/Channels/101')])).toEqual(['sub', 'main']);
  });
});

describe('kindOfStreamUri', () => {
  it.each([
    ['rtsp://192.168.1.123:554/cam/realmonitor?channel=1&subtype=1&unicast=true&proto=Onvif', 'sub'],
    ['rtsp://h/cam/realmonitor?channel=1&subtype=0', 'main'],
    ['rtsp://h:554/Streaming/Channels/201', 'main'],
    ['rtsp://h:554/Streaming/Channels/2', 'sub'],
    ['rtsp://h/?h26x=4&line=1&inst=2', 'sub'],
    ['rtsp://h:554/stream1', 'main'],
    ['rtsp://h:554/stream2', 'sub'],
    ['rtsp://h:554/h264Preview_01_main', 'main'],
    ['rtsp://h:554/h264Preview_01_sub', 'sub'],
    ['rtsp://h/media/video2', 'sub'],
    ['rtsp://h/live/ch00_1', 'sub'],
    ['rtsp://h/user=admin_password=_channel=1_stream=1.sdp?real_stream', undefined],
    ['rtsp://h/12', 'sub'],
    ['rtsp://h/axis-media/media.amp?videocodec=h264', undefined],
    ['not a url', undefined],
  ])('%s → %s', (uri, kind) => expect(kindOfStreamUri(uri)).toBe(kind));
});

describe('kindOfLabel', () => {
  it.each([
    ['主码流', 'main'],
    ['子码流', 'sub'],
    ['第三码流', 'sub'],
    ['MainStream', 'main'],
    ['Sub_Stream', 'sub'],
    ['main', 'main'],
    ['profile_sub', 'sub'],
    ['Domain camera', undefined],
    ['Profile000', undefined],
  ])('%s → %s', (label, kind) => expect(kindOfLabel(label)).toBe(kind));
});
