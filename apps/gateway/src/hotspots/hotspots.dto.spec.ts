import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { HotspotsQuery, HotspotSummaryQuery } from './hotspots.dto';

const problems = (cls: typeof HotspotsQuery | typeof HotspotSummaryQuery, query: Record<string, string>) =>
  validateSync(plainToInstance(cls, query)).flatMap((e) => Object.values(e.constraints ?? {}));

describe('hotspot queries: the date range', () => {
  it.each([HotspotsQuery, HotspotSummaryQuery])('%p refuses `to` before `from`, naming them', (cls) => {
    expect(problems(cls, { from: '2026-03-10', to: '2026-03-01' })).toEqual(['to must not be before from']);
    expect(problems(cls, { from: '2026-03-10T12:00:00Z', to: '2026-03-10T11:59:59Z' })).toEqual(['to must not be before from']);
  });

  it.each([HotspotsQuery, HotspotSummaryQuery])('%p takes an ordered, an empty or a half-open range', (cls) => {
    expect(problems(cls, { from: '2026-03-01', to: '2026-03-10' })).toEqual([]);
    expect(problems(cls, { from: '2026-03-01', to: '2026-03-01' })).toEqual([]);
    expect(problems(cls, { from: '2026-03-01' })).toEqual([]);
    expect(problems(cls, { to: '2026-03-01' })).toEqual([]);
    expect(problems(cls, {})).toEqual([]);
  });

  it('still refuses a date that is not one, without a range message', () => {
    expect(problems(HotspotsQuery, { from: 'soon', to: '2026-03-01' })).toEqual(['from must be YYYY-MM-DD or an ISO 8601 date-time with an offset']);
  });
});
