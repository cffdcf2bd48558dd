import { liveUrlsOf } from './live.service';

const CAM = '6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b';

describe('liveUrlsOf', () => {
  it('builds the three URLs of one stream on the public base, ws from http and wss from https', () => {
    expect(liveUrlsOf('http://127.0.0.1:8080', { cameraId: CAM, profile: 'sub' }, 'a.b.c')).toEqual({
      hlsUrl: `http://127.0.0.1:8080/hls/${CAM}/sub/index.m3u8?token=a.b.c`,
      mseUrl: `ws://127.0.0.1:8080/live/${CAM}/sub/mse?token=a.b.c`,
      llHlsUrl: `http://127.0.0.1:8080/hls/${CAM}/sub/ll.m3u8?token=a.b.c`,
    });
    expect(liveUrlsOf('https://video.example.org/tg', { cameraId: CAM, profile: 'main' }, 't').mseUrl).toBe(`wss://video.example.org/tg/live/${CAM}/main/mse?token=t`);
  });
});
