import { TiergateError } from '@tiergate/domain';
import { preRegisterOnvif, preRegisterRtsp } from './camera-first-contact';

describe('first contact with a camera being added', () => {
  const unreachable = new TiergateError('CAMERA_UNREACHABLE', 'camera at 192.0.2.10:80 is unreachable (ECONNREFUSED)');
  const refused = new TiergateError('CAMERA_UNAUTHORIZED', 'camera at 192.0.2.10:80 refused the username or password');

  it('pre-registers an ONVIF camera that is down as offline, saying why in plain words', () => {
    expect(preRegisterOnvif(unreachable, false)).toEqual({
      status: 'offline',
      reason:
        'camera at 192.0.2.10:80 is unreachable (nothing answers on that port: the camera is off, still starting, or the port is wrong); ' +
        'saved without its profiles: onboarding completes when it first answers',
    });
  });

  it('pre-registers an ONVIF camera that refuses the credentials as unauthorized', () => {
    const r = preRegisterOnvif(refused, false);
    expect(r.status).toBe('unauthorized');
    expect(r.reason).toMatch(/^camera at 192\.0\.2\.10:80 refused the username or password; saved without its profiles: correct the username or password/);
  });

  it('throws under verify, and always for an answer that is not ONVIF or an unexpected error', () => {
    expect(() => preRegisterOnvif(unreachable, true)).toThrow(unreachable);
    expect(() => preRegisterOnvif(refused, true)).toThrow(refused);
    const protocol = new TiergateError('CAMERA_PROTOCOL_ERROR', 'camera at h:80 answered something that is not valid ONVIF: x');
    expect(() => preRegisterOnvif(protocol, false)).toThrow(protocol);
    const bug = new TypeError('boom');
    expect(() => preRegisterOnvif(bug, false)).toThrow(bug);
  });

  it('saves an RTSP camera that answers as online, and one that does not as offline/unauthorized', () => {
    expect(preRegisterRtsp({ status: 'online' }, true)).toBeUndefined();
    expect(preRegisterRtsp({ status: 'offline', reason: 'RTSP server at 192.0.2.9:554 is unreachable (ETIMEDOUT)' }, false)).toEqual({
      status: 'offline',
      reason: 'RTSP server at 192.0.2.9:554 is unreachable (no answer in time: the camera is off or not reachable on this network); saved: it is checked again at every health round',
    });
    expect(preRegisterRtsp({ status: 'unauthorized', reason: 'RTSP 401: the server refused the credentials' }, false)?.status).toBe('unauthorized');
  });

  it('refuses an RTSP camera under verify with the matching code', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return [(e as TiergateError).code, (e as TiergateError).status];
      }
      return undefined;
    };
    expect(code(() => preRegisterRtsp({ status: 'offline', reason: 'RTSP DESCRIBE answered 404' }, true))).toEqual(['CAMERA_UNREACHABLE', 502]);
    expect(code(() => preRegisterRtsp({ status: 'unauthorized', reason: 'RTSP 401: the server refused the credentials' }, true))).toEqual(['CAMERA_UNAUTHORIZED', 502]);
  });
});
