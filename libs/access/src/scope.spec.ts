import { cameraScopeCondition, EMPTY_SCOPE, Scope, scopeAllowsCamera, snapshotAllowsCamera } from './scope';

const scope = (jur: string[], cams: string[] = [], all = false): Scope => ({ all, jurisdictionIds: new Set(jur), cameraIds: new Set(cams) });

describe('scope checks', () => {
  it('allow a camera by node, by grant, or for everything; deny by default', () => {
    expect(scopeAllowsCamera(scope(['j1']), { id: 'c1', jurisdictionId: 'j1' })).toBe(true);
    expect(scopeAllowsCamera(scope(['j1']), { id: 'c1', jurisdictionId: 'j2' })).toBe(false);
    expect(scopeAllowsCamera(scope([], ['c1']), { id: 'c1', jurisdictionId: 'j2' })).toBe(true);
    expect(scopeAllowsCamera(scope(['j1']), { id: 'c1', jurisdictionId: null })).toBe(false);
    expect(scopeAllowsCamera(EMPTY_SCOPE, { id: 'c1', jurisdictionId: 'j1' })).toBe(false);
    expect(scopeAllowsCamera(scope([], [], true), { id: 'c1', jurisdictionId: null })).toBe(true);
  });

  it('build a SQL condition that is FALSE for an empty scope and names both rules otherwise', () => {
    expect(cameraScopeCondition(EMPTY_SCOPE, 'c')).toEqual({ sql: 'FALSE', params: {} });
    expect(cameraScopeCondition(scope([], [], true), 'c')).toEqual({ sql: 'TRUE', params: {} });
    expect(cameraScopeCondition(scope(['j1', 'j2'], ['c9']), 'cam')).toEqual({
      sql: '(cam."jurisdictionId" = ANY(:scopeJurisdictionIds) OR cam."id" = ANY(:scopeCameraIds))',
      params: { scopeJurisdictionIds: ['j1', 'j2'], scopeCameraIds: ['c9'] },
    });
  });

  it('snapshot checks stop at expiry', () => {
    const snap = { scope: scope(['j1']), expiresAt: 1000 };
    expect(snapshotAllowsCamera(snap, { id: 'c', jurisdictionId: 'j1' }, 999)).toBe(true);
    expect(snapshotAllowsCamera(snap, { id: 'c', jurisdictionId: 'j1' }, 1000)).toBe(false);
  });
});
