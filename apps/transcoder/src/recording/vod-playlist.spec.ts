import { buildVodPlaylist, type VodSegment } from './vod-playlist';
import { initHashOfPath, parseVodFile } from '@tiergate/domain';

const T0 = Date.UTC(2026, 0, 5, 10);
const INIT_A = 'cam/sub/init/00112233445566aa.mp4';
const INIT_B = 'cam/sub/init/00112233445566bb.mp4';
const seg = (id: string, fromS: number, toS: number, initPath = INIT_A): VodSegment => ({ id, initPath, startAt: new Date(T0 + fromS * 1000), endAt: new Date(T0 + toS * 1000) });

describe('buildVodPlaylist', () => {
  it('lists a VOD playlist: map, date-time and duration per segment, token on every URI, end list', () => {
    const text = buildVodPlaylist([seg('12', 4, 8), seg('11', 0, 4.04)], { query: 'token=t.k-n' })!;
    expect(text.split('\n')).toEqual([
      '#EXTM3U',
      '#EXT-X-VERSION:7',
      '#EXT-X-PLAYLIST-TYPE:VOD',
      '#EXT-X-TARGETDURATION:5',
      '#EXT-X-MEDIA-SEQUENCE:0',
      '#EXT-X-INDEPENDENT-SEGMENTS',
      '#EXT-X-MAP:URI="init_00112233445566aa.mp4?token=t.k-n"',
      '#EXT-X-PROGRAM-DATE-TIME:2026-01-05T10:00:00.000Z',
      '#EXTINF:4.040,',
      '11.m4s?token=t.k-n',
      '#EXT-X-PROGRAM-DATE-TIME:2026-01-05T10:00:04.000Z',
      '#EXTINF:4.000,',
      '12.m4s?token=t.k-n',
      '#EXT-X-ENDLIST',
      '',
    ]);
  });
  it('marks a discontinuity at a gap over the tolerance (not at one within it)', () => {
    const text = buildVodPlaylist([seg('1', 0, 4), seg('2', 5.5, 9.5), seg('3', 20, 24)], { query: 'token=x' })!;
    const lines = text.split('\n');
    expect(lines.filter((l) => l === '#EXT-X-DISCONTINUITY')).toHaveLength(1);
    expect(lines[lines.indexOf('#EXT-X-DISCONTINUITY') + 1]).toBe('#EXT-X-PROGRAM-DATE-TIME:2026-01-05T10:00:20.000Z');
    expect(lines.filter((l) => l.startsWith('#EXT-X-MAP'))).toHaveLength(1);
  });
  it('marks a discontinuity and a new map where the init changes', () => {
    const lines = buildVodPlaylist([seg('1', 0, 4), seg('2', 4, 8, INIT_B)], { query: 'token=x' })!.split('\n');
    const d = lines.indexOf('#EXT-X-DISCONTINUITY');
    expect(lines.slice(d, d + 2)).toEqual(['#EXT-X-DISCONTINUITY', '#EXT-X-MAP:URI="init_00112233445566bb.mp4?token=x"']);
  });
  it('starts playback at the asked time inside the first segment', () => {
    expect(buildVodPlaylist([seg('1', 0, 4)], { query: '', startAt: T0 + 2500 })).toContain('#EXT-X-START:TIME-OFFSET=2.500,PRECISE=YES');
    expect(buildVodPlaylist([seg('1', 0, 4)], { query: '', startAt: T0 - 2500 })).not.toContain('EXT-X-START');
  });
  it('is undefined without a playable segment', () => {
    expect(buildVodPlaylist([], { query: '' })).toBeUndefined();
    expect(buildVodPlaylist([seg('1', 0, 4, 'elsewhere/x.mp4')], { query: '' })).toBeUndefined();
  });
});

describe('VOD file names', () => {
  it('parses the playlist, an init by hash and a segment by row id; nothing else', () => {
    expect(parseVodFile('index.m3u8')).toEqual({ kind: 'playlist' });
    expect(parseVodFile('init_00112233445566aa.mp4')).toEqual({ kind: 'init', hash: '00112233445566aa' });
    expect(parseVodFile('42.m4s')).toEqual({ kind: 'segment', segmentId: '42' });
    for (const bad of ['0.m4s', '-1.m4s', 'init_xyz.mp4', '../1.m4s', '1700000000000-00112233445566aa.m4s', 'll.m3u8']) expect(parseVodFile(bad)).toBeUndefined();
    expect(initHashOfPath(INIT_A)).toBe('00112233445566aa');
  });
});
