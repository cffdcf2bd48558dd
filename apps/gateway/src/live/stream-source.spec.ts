import { streamSourceOf } from './stream-source';

const profiles = [
  { token: 'p0', name: 'main', kind: 'main' as const, encoding: 'H264', width: 1280, height: 720, fps: 25, streamUri: 'rtsp://10.0.0.5:554/main' },
  { token: 'p1', name: 'sub', kind: 'sub' as const, encoding: 'H264', width: 640, height: 360, fps: 25, streamUri: 'rtsp://10.0.0.5:554/sub' },
];

describe('streamSourceOf', () => {
  it('puts URL-encoded credentials into the profile URI and copies H.264', () => {
    expect(streamSourceOf({ profiles, rtspUrl: null, username: 'ad min' }, 'sub', 'p@ss:/')).toEqual({
      url: 'rtsp://ad%20min:p%40ss%3A%2F@10.0.0.5:554/sub',
      transcode: false,
    });
  });
  it('scales the main stream for a sub tile when the camera has no sub profile', () => {
    expect(streamSourceOf({ profiles: [profiles[0]], rtspUrl: null, username: null }, 'sub', null)).toEqual({ url: 'rtsp://10.0.0.5:554/main', transcode: true });
  });
  it('transcodes H.265', () => {
    expect(streamSourceOf({ profiles: [{ ...profiles[0], encoding: 'H265' }], rtspUrl: null, username: null }, 'main', null).transcode).toBe(true);
  });
  it('uses the plain RTSP URL of an RTSP-only camera', () => {
    expect(streamSourceOf({ profiles: [], rtspUrl: 'rtsp://127.0.0.9:8554/cam', username: 'u' }, 'main', 'p')).toEqual({ url: 'rtsp://u:p@127.0.0.9:8554/cam', transcode: false });
  });
  it('refuses a camera with no stream and a non-RTSP URI', () => {
    expect(() => streamSourceOf({ profiles: [], rtspUrl: null, username: null }, 'main', null)).toThrow(/no known stream/);
    expect(() => streamSourceOf({ profiles: [], rtspUrl: 'file:///etc/passwd', username: null }, 'main', null)).toThrow(/only rtsp/);
  });
});
