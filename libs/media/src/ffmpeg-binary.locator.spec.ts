import { locateFfmpeg } from './ffmpeg-binary.locator';

describe('locateFfmpeg', () => {
  const none = () => undefined;
  it('prefers FFMPEG_PATH / FFPROBE_PATH', () => {
    const found = locateFfmpeg({ FFMPEG_PATH: '/opt/ff/ffmpeg', FFPROBE_PATH: '/opt/ff/ffprobe', PATH: '/usr/bin' }, { isExecutable: () => true, requireInstaller: none });
    expect(found).toEqual({ ffmpegPath: '/opt/ff/ffmpeg', ffprobePath: '/opt/ff/ffprobe', source: { ffmpeg: 'env', ffprobe: 'env' } });
  });
  it.each(['ffmpeg', '/nope/ffmpeg'])('rejects FFMPEG_PATH=%s when it is not an absolute executable', (path) => {
    expect(() => locateFfmpeg({ FFMPEG_PATH: path }, { isExecutable: (f) => f === '/usr/bin/ffmpeg', requireInstaller: none })).toThrow(/FFMPEG_PATH must be/);
  });
  it('falls back to PATH, skipping relative and missing entries', () => {
    const exe = new Set(['/usr/local/bin/ffmpeg', '/usr/bin/ffprobe']);
    const found = locateFfmpeg({ PATH: 'bin:/nope:/usr/local/bin:/usr/bin' }, { isExecutable: (f) => exe.has(f), requireInstaller: none });
    expect(found.ffmpegPath).toBe('/usr/local/bin/ffmpeg');
    expect(found.ffprobePath).toBe('/usr/bin/ffprobe');
    expect(found.source).toEqual({ ffmpeg: 'path', ffprobe: 'path' });
  });
  it('falls back to the installer packages', () => {
    const found = locateFfmpeg({ PATH: '/usr/bin' }, { isExecutable: () => false, requireInstaller: (p) => `/nm/${p}/bin` });
    expect(found.ffmpegPath).toBe('/nm/@ffmpeg-installer/ffmpeg/bin');
    expect(found.ffprobePath).toBe('/nm/@ffprobe-installer/ffprobe/bin');
  });
  it('throws a clear error when nothing is found', () => {
    expect(() => locateFfmpeg({}, { isExecutable: () => false, requireInstaller: none })).toThrow(/FFMPEG_PATH/);
  });
  it('finds the bundled static ffmpeg on this machine with the real deps', () => {
    const found = locateFfmpeg({ PATH: '/nonexistent' });
    expect(found.source.ffmpeg).toBe('npm');
    expect(found.ffmpegPath).toMatch(/ffmpeg$/);
  });
});
