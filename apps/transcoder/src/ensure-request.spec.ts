import { BusEnvelopes } from '@tiergate/messaging';
import { openEnsureRequest } from './ensure-request';

describe('openEnsureRequest', () => {
  const envelopes = new BusEnvelopes('ensure-request-spec-key');
  const open = (s: string) => envelopes.unseal(s);
  const URL_ = 'rtsp://admin:s3cret@10.0.0.5:554/main';

  it('opens the sealed source URL in the worker', () => {
    expect(openEnsureRequest({ cameraId: 'cam1', profile: 'main', sourceSealed: envelopes.seal(URL_), transcode: true }, open)).toEqual({
      cameraId: 'cam1',
      profile: 'main',
      sourceUrl: URL_,
      transcode: true,
    });
  });

  it('passes on where a moved session continues its timeline', () => {
    const continueFrom = { mediaSequence: 1767225600123, discontinuitySequence: 4 };
    expect(openEnsureRequest({ cameraId: 'cam1', profile: 'sub', sourceSealed: envelopes.seal(URL_), continueFrom: { ...continueFrom, extra: 1 } }, open).continueFrom).toEqual(continueFrom);
  });

  it('passes on when the gateway wants its answer (readyAt), absent when not asked', () => {
    const base = { cameraId: 'cam1', profile: 'sub', sourceSealed: envelopes.seal(URL_) };
    expect(openEnsureRequest({ ...base, readyAt: 'fragment' }, open).readyAt).toBe('fragment');
    expect(openEnsureRequest({ ...base, readyAt: 'segment' }, open).readyAt).toBe('segment');
    expect(openEnsureRequest(base, open)).not.toHaveProperty('readyAt');
  });

  it.each([
    ['an unknown readyAt', { cameraId: 'cam1', profile: 'main', sourceSealed: envelopes.seal(URL_), readyAt: 'keyframe' }, /readyAt must be/],
    ['a negative continueFrom', { cameraId: 'cam1', profile: 'main', sourceSealed: envelopes.seal(URL_), continueFrom: { mediaSequence: -1, discontinuitySequence: 0 } }, /continueFrom must be/],
    ['a continueFrom without its discontinuity sequence', { cameraId: 'cam1', profile: 'main', sourceSealed: envelopes.seal(URL_), continueFrom: { mediaSequence: 7 } }, /continueFrom must be/],
    ['a clear source URL (the old payload)', { cameraId: 'cam1', profile: 'main', sourceUrl: URL_ }, /sourceSealed is required/],
    ['no payload', null, /sourceSealed is required/],
    ['a value sealed with another key', { cameraId: 'cam1', profile: 'main', sourceSealed: new BusEnvelopes('another-secret-key-x').seal(URL_) }, /cannot be opened/],
    ['a clear URL in the sealed field', { cameraId: 'cam1', profile: 'main', sourceSealed: URL_ }, /cannot be opened/],
  ])('refuses %s with VALIDATION_FAILED', (_name, request, message) => {
    expect(() => openEnsureRequest(request, open)).toThrow(message);
    try {
      openEnsureRequest(request, open);
    } catch (e) {
      expect((e as { code?: string }).code).toBe('VALIDATION_FAILED');
      expect((e as Error).message).not.toContain('s3cret');
    }
  });
});
