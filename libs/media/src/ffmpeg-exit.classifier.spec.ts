import { classifyFfmpegFailure, decisiveLine } from './ffmpeg-exit.classifier';

describe('classifyFfmpegFailure', () => {
  it.each([
    // ffmpeg 5.x+ given 4.x's option: Tiergate's fault, never the camera's (the failure that reached main)
    ["Unrecognized option 'stimeout'.\nError splitting the argument list: Option not found\n", 'TRANSCODER_MISCONFIGURED'],
    ['[hls @ 0x55] Failed to open file \'/dev/shm/tiergate-hls/w1/c-main/seg_0.ts\'\n', 'TRANSCODER_MISCONFIGURED'],
    ['Unknown encoder \'libx264\'\n', 'TRANSCODER_MISCONFIGURED'],
    ['spawn failed: spawn /opt/ffmpeg ENOENT\n', 'TRANSCODER_MISCONFIGURED'],
    ['[rtsp @ 0x1] method DESCRIBE failed: 401 Unauthorized\nrtsp://***@127.0.0.1/main: Server returned 401 Unauthorized (authorization failed)\n', 'CAMERA_UNAUTHORIZED'],
    ['[tcp @ 0x1] Connection to tcp://127.0.4.99:38554?timeout=0 failed: Connection refused\nrtsp://***@127.0.4.99:38554/main: Connection refused\n', 'CAMERA_UNREACHABLE'],
    ['rtsp://***@10.0.0.9/main: Connection timed out\n', 'CAMERA_UNREACHABLE'],
    ['[rtsp @ 0x1] method SETUP failed: 461 Unsupported Transport\n', 'CAMERA_PROTOCOL_ERROR'],
    ['rtsp://***@127.0.0.1/main: Invalid data found when processing input\n', 'CAMERA_PROTOCOL_ERROR'],
    ['', 'CAMERA_PROTOCOL_ERROR'],
  ])('%j -> %s', (stderr, code) => {
    expect(classifyFfmpegFailure(stderr)).toBe(code);
  });
});

describe('decisiveLine', () => {
  it('keeps the line that names the problem, not the last one', () => {
    expect(decisiveLine("Unrecognized option 'stimeout'.\nError splitting the argument list: Option not found\n\n")).toBe('Error splitting the argument list: Option not found');
    expect(decisiveLine('[tcp] Connection refused\nExiting normally, received signal 2.\n')).toBe('[tcp] Connection refused');
    expect(decisiveLine('something odd\nlast words\n')).toBe('last words');
  });
});
