import { conflictMessage, HIDDEN_CONFLICT } from './camera-conflict';

describe('conflictMessage', () => {
  const dup = { onvifHost: '10.0.0.5', onvifPort: 80, endpointReference: 'urn:uuid:e1', rtspUrl: 'rtsp://10.0.0.6/x' };
  it('names the shared key of a camera the caller can see', () => {
    expect(conflictMessage(dup, { hostPorts: [{ host: '10.0.0.5', port: 80 }], endpoints: [], rtspUrls: [] }, true)).toBe('a camera with this ONVIF address 10.0.0.5:80 already exists');
    expect(conflictMessage(dup, { hostPorts: [], endpoints: ['urn:uuid:e1'], rtspUrls: [] }, true)).toBe('a camera with this endpoint urn:uuid:e1 already exists');
    expect(conflictMessage(dup, { hostPorts: [], endpoints: [], rtspUrls: ['rtsp://10.0.0.6/x'] }, true)).toBe('a camera with this RTSP URL already exists');
  });
  it('names nothing of a camera outside the caller\'s scope', () => {
    const msg = conflictMessage(dup, { hostPorts: [{ host: '10.0.0.5', port: 80 }], endpoints: [], rtspUrls: [] }, false);
    expect(msg).toBe(HIDDEN_CONFLICT);
    expect(msg).not.toMatch(/10\.0\.0\.5|exists|ONVIF/);
  });
});
