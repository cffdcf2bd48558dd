import { CAMERA_SORTS, cameraOrder } from './camera-sort';

describe('cameraOrder', () => {
  it('defaults to name ascending, id as the tie-breaker', () => {
    const o = cameraOrder();
    expect(o.key).toBe('name');
    expect(o.orderBy('sort_key')).toBe('sort_key ASC NULLS FIRST, id ASC');
  });

  it('descending mirrors ascending: missing values last, ties by id descending', () => {
    expect(cameraOrder('lastSeen', 'desc').orderBy('k')).toBe('k DESC NULLS LAST, id DESC');
    expect(cameraOrder('lastSeen', 'asc').orderBy('k')).toBe('k ASC NULLS FIRST, id ASC');
  });

  it('has a fixed SQL expression for every whitelisted key, none taken from the request', () => {
    const keys = CAMERA_SORTS.map((sort) => cameraOrder(sort).key);
    expect(new Set(keys).size).toBe(CAMERA_SORTS.length);
    for (const key of keys) expect(key).not.toMatch(/\$\d/); // no parameter: nothing of the request reaches the ORDER BY
    expect(cameraOrder('created').key).toBe('"createdAt"');
    expect(cameraOrder('status').key).toBe(`array_position(ARRAY['offline', 'unauthorized', 'unknown', 'online']::text[], status::text)`);
    expect(cameraOrder('jurisdiction').key).toContain('FROM jurisdictions j');
  });

  it('refuses anything else (defence behind the DTO whitelist)', () => {
    expect(() => cameraOrder('passwordSealed')).toThrow(/unknown camera sort/);
    expect(() => cameraOrder('name; DROP TABLE cameras')).toThrow(/unknown camera sort/);
    expect(() => cameraOrder('name', 'sideways')).toThrow(/unknown sort order/);
  });
});
