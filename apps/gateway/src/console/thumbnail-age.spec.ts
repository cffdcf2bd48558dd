import { loadPureConsoleModule } from './console-pure-modules';

/** apps/gateway/console/thumbnail-age.js: a garage thumbnail's age and staleness (docs/operators.md). */
const { ageParts, isStale, staleAfterMs, STALE_FACTOR } = loadPureConsoleModule('thumbnail-age.js', ['ageParts', 'isStale', 'staleAfterMs', 'STALE_FACTOR']);

describe('garage thumbnail age', () => {
  const t0 = 1_800_000_000_000;
  it('reads in whole seconds, then minutes, then hours, never negative', () => {
    expect(ageParts(t0 + 12_400, t0)).toEqual({ unit: 's', value: 12 });
    expect(ageParts(t0 + 59_999, t0)).toEqual({ unit: 's', value: 59 });
    expect(ageParts(t0 + 60_000, t0)).toEqual({ unit: 'min', value: 1 });
    expect(ageParts(t0 + 3_599_000, t0)).toEqual({ unit: 'min', value: 59 });
    expect(ageParts(t0 + 7_300_000, t0)).toEqual({ unit: 'h', value: 2 });
    expect(ageParts(t0 - 2000, t0)).toEqual({ unit: 's', value: 0 });
  });

  it(`is stale past ${3} refresh periods without a new picture, and without any picture`, () => {
    expect(STALE_FACTOR).toBe(3);
    expect(staleAfterMs(5000)).toBe(15_000);
    expect(isStale(t0 + 15_000, t0, 5000)).toBe(false);
    expect(isStale(t0 + 15_001, t0, 5000)).toBe(true);
    expect(isStale(t0, null, 5000)).toBe(true);
  });
});
