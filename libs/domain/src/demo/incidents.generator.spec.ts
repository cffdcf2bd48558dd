import { hourWeekdayProfile } from '../hotspots';
import { generateDistrict } from './district.generator';
import { generateIncidents, incidentsToCsv } from './incidents.generator';

describe('generateIncidents', () => {
  const district = generateDistrict({ stations: 4, postsPerStation: 4, sizeKm: 6, seed: 3 });
  const garage = { lon: 123.45, lat: 41.79 };

  it('is deterministic for a seed and differs between seeds', () => {
    const a = generateIncidents({ district, count: 500, seed: 5, plantedHotspots: [garage] });
    const b = generateIncidents({ district, count: 500, seed: 5, plantedHotspots: [garage] });
    const c = generateIncidents({ district, count: 500, seed: 6, plantedHotspots: [garage] });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('keeps every incident inside the district and the period, with unique ids', () => {
    const root = district.features[0].bbox;
    const end = new Date('2026-01-01T00:00:00Z');
    const out = generateIncidents({ district, count: 3000, seed: 1, years: 2, end, plantedHotspots: [garage] });
    expect(out).toHaveLength(3000);
    expect(new Set(out.map((i) => i.id)).size).toBe(3000);
    for (const i of out) {
      expect(i.lon).toBeGreaterThanOrEqual(root[0]);
      expect(i.lon).toBeLessThanOrEqual(root[2]);
      expect(i.lat).toBeGreaterThanOrEqual(root[1]);
      expect(i.lat).toBeLessThanOrEqual(root[3]);
      const t = Date.parse(i.occurredAt);
      expect(t).toBeLessThan(end.getTime());
      expect(t).toBeGreaterThanOrEqual(end.getTime() - 731 * 86_400_000);
    }
  });

  it('plants a tight bike-theft cluster near the garage, mostly on weekday evenings', () => {
    const out = generateIncidents({ district, count: 10_000, seed: 2, plantedHotspots: [{ ...garage, share: 0.05 }] });
    const cluster = out.filter((i) => i.cluster === 0);
    expect(cluster).toHaveLength(500);
    expect(cluster.every((i) => i.type === 'bike_theft')).toBe(true);
    const near = cluster.filter((i) => Math.abs(i.lat - garage.lat) * 111_320 < 250 && Math.abs(i.lon - garage.lon) * 83_000 < 250);
    expect(near.length / cluster.length).toBeGreaterThan(0.95);
    const profile = hourWeekdayProfile(cluster.map((i) => ({ occurredAt: i.occurredAt })), 480);
    const evenings = profile.slice(0, 5).reduce((sum, day) => sum + day.slice(17, 23).reduce((a, b) => a + b, 0), 0);
    expect(evenings / cluster.length).toBeGreaterThan(0.5);
    const background = out.filter((i) => i.cluster === -1);
    const types = new Set(background.map((i) => i.type));
    expect(types.size).toBe(5);
  });

  it('works on a plain box and writes the import CSV', () => {
    const out = generateIncidents({ bbox: [120, 30, 120.01, 30.01], count: 2, seed: 1 });
    const csv = incidentsToCsv(out);
    expect(csv.split('\n')[0]).toBe('id,type,occurred_at,lat,lon');
    expect(csv.trim().split('\n')).toHaveLength(3);
    expect(() => generateIncidents({ count: 1 })).toThrow(RangeError);
  });
});
