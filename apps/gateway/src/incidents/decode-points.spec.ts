// decodePoints is libs/persistence's (incidents.repository.ts); kept here from the deleted import-content.spec.ts
// until that library, being edited meanwhile, takes it.
import { decodePoints } from '@tiergate/persistence';

describe('decodePoints', () => {
  it('reads "lon lat …" back to exactly the same doubles', () => {
    const values = [123.4550405, 41.7747261, -0.1, 1e-7];
    expect(decodePoints(values.map(String).join(' '))).toEqual([
      { lon: 123.4550405, lat: 41.7747261 },
      { lon: -0.1, lat: 1e-7 },
    ]);
    expect(decodePoints(null)).toEqual([]);
  });
});
