import { snapshotUrlOf } from './snapshot-url';

describe('snapshotUrlOf', () => {
  it('keeps a snapshot URI on the camera host', () => {
    expect(snapshotUrlOf('http://127.0.2.1:8000/onvif/snapshot/main.jpg', '127.0.2.1').toString()).toBe('http://127.0.2.1:8000/onvif/snapshot/main.jpg');
  });
  it('rewrites another host to the camera address and drops credentials', () => {
    expect(snapshotUrlOf('http://u:p@10.1.2.3:80/snap.jpg?x=1', '127.0.2.9').toString()).toBe('http://127.0.2.9/snap.jpg?x=1');
    expect(snapshotUrlOf('http://169.254.169.254/latest/meta-data', '127.0.2.9').hostname).toBe('127.0.2.9');
  });
  it('refuses non-HTTP schemes and missing URIs', () => {
    expect(() => snapshotUrlOf('file:///etc/passwd', '127.0.2.9')).toThrow(/non-HTTP/);
    expect(() => snapshotUrlOf('not a url', '127.0.2.9')).toThrow(/unusable/);
    expect(() => snapshotUrlOf(null, '127.0.2.9')).toThrow(/no snapshot/);
  });
});
