import { hlsContentTypeOf, hlsPathOf, isHlsFileName, parseHlsPath, parseStreamKey, PLAYLIST_NAME, STREAM_PROFILES, streamKeyId } from './stream-key';

describe('the stream contract', () => {
  it('lists the profiles and parses a key from untrusted parts', () => {
    expect(STREAM_PROFILES).toEqual(['main', 'sub']);
    expect(parseStreamKey('cam-1_x', 'sub')).toEqual({ cameraId: 'cam-1_x', profile: 'sub' });
    for (const [c, p] of [['cam1', 'hd'], ['cam 1', 'main'], ['', 'main'], [1, 'main'], ['a'.repeat(65), 'main'], ['../x', 'main']]) expect(parseStreamKey(c, p)).toBeUndefined();
  });

  it('builds the paths every side uses', () => {
    expect(PLAYLIST_NAME).toBe('index.m3u8');
    expect(hlsPathOf({ cameraId: 'cam1', profile: 'main' })).toBe('/hls/cam1/main/index.m3u8');
    expect(hlsPathOf({ cameraId: 'cam1', profile: 'sub' }, 'seg_3.ts')).toBe('/hls/cam1/sub/seg_3.ts');
    expect(streamKeyId({ cameraId: 'cam1', profile: 'sub' })).toBe('cam1/sub');
  });

  it('accepts HLS file names only', () => {
    for (const f of ['index.m3u8', 'seg_12.ts', 'init.mp4', 'part_1.m4s']) expect(isHlsFileName(f)).toBe(true);
    for (const f of ['seg_1.ts.tmp', '.hidden.ts', 'a..ts', 'a/b.ts', 'x', '', '%2e%2e', undefined]) expect(isHlsFileName(f)).toBe(false);
    expect(hlsContentTypeOf('seg_1.ts')).toBe('video/mp2t');
  });

  it('parses a request path, ignoring the query', () => {
    expect(parseHlsPath('/hls/cam1/main/seg_2.ts?token=a.b')).toEqual({ cameraId: 'cam1', profile: 'main', file: 'seg_2.ts' });
    for (const u of ['/hls/cam1/main/', '/hls/cam1/main/a/b.ts', '/other/cam1/main/index.m3u8', '/hls/../main/index.m3u8', undefined]) expect(parseHlsPath(u)).toBeUndefined();
  });
});
