import { StderrRing } from './stderr-ring';
import { classifyFfmpegFailure } from './ffmpeg-exit.classifier';

describe('StderrRing', () => {
  it('keeps the last N lines, joins partial chunks and redacts credentials', () => {
    const ring = new StderrRing(3);
    ring.push('line1\nline2\n[rtsp @ 0x1] rtsp://admin:sim-pass@127.0.1.5/main: Connection ');
    ring.push('refused\nline4\r\nunterminated');
    const tail = ring.tail();
    expect(tail).toBe('[rtsp @ 0x1] rtsp://***@127.0.1.5/main: Connection refused\nline4\nunterminated');
    expect(tail).not.toContain('sim-pass');
  });
  it('bounds line length', () => {
    const ring = new StderrRing(2, 10);
    ring.push('x'.repeat(100) + '\n');
    expect(ring.tail()).toBe('x'.repeat(10));
  });
});

describe('classifyFfmpegFailure', () => {
  it.each([
    ['rtsp://***@127.0.1.9:554/main: Connection refused', 'CAMERA_UNREACHABLE'],
    ['rtsp://***@10.0.0.1/main: Connection timed out', 'CAMERA_UNREACHABLE'],
    ['method DESCRIBE failed: 401 Unauthorized', 'CAMERA_UNAUTHORIZED'],
    ['method DESCRIBE failed: 404 Not Found', 'CAMERA_PROTOCOL_ERROR'],
    ['', 'CAMERA_PROTOCOL_ERROR'],
  ])('%s -> %s', (stderr, code) => {
    expect(classifyFfmpegFailure(stderr)).toBe(code);
  });
});
