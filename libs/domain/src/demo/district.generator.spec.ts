import { JurisdictionTree } from '../jurisdiction-tree';
import { planJurisdictionImport } from '../jurisdiction-tree';
import { generateCameraPoints, generateDistrict } from './district.generator';

describe('generateDistrict', () => {
  const district = generateDistrict({ seed: 7 });

  it('builds a sub-bureau, 14 stations and 8 posts each with 20-digit codes', () => {
    const tiers = district.features.map((f) => f.properties.tier);
    expect(tiers.filter((t) => t === 'sub-bureau')).toHaveLength(1);
    expect(tiers.filter((t) => t === 'station')).toHaveLength(14);
    expect(tiers.filter((t) => t === 'post')).toHaveLength(112);
    for (const f of district.features) expect(f.properties.code).toMatch(/^\d{20}$/);
    expect(new Set(district.features.map((f) => f.properties.code)).size).toBe(district.features.length);
  });

  it('is deterministic per seed and differs between seeds', () => {
    expect(generateDistrict({ seed: 7 })).toEqual(district);
    expect(generateDistrict({ seed: 8 })).not.toEqual(district);
  });

  it('is about 12 km square around Shenyang', () => {
    const [w, s, e, n] = district.features[0].bbox;
    expect((n - s) * 111.32).toBeCloseTo(12, 1);
    expect((w + e) / 2).toBeCloseTo(123.45, 5);
    expect((s + n) / 2).toBeCloseTo(41.79, 5);
  });

  it('passes the import planner and tiles: post areas sum to their station area', () => {
    const plan = planJurisdictionImport([], district.features);
    expect(plan.creates).toHaveLength(127);
    const area = (b: number[]) => (b[2] - b[0]) * (b[3] - b[1]);
    for (const st of district.features.filter((f) => f.properties.tier === 'station')) {
      const posts = district.features.filter((f) => f.properties.parentCode === st.properties.code);
      expect(posts.reduce((a, p) => a + area(p.bbox), 0)).toBeCloseTo(area(st.bbox), 12);
    }
  });

  it('places camera points whose expected post agrees with the tree, borders included', () => {
    const points = generateCameraPoints(district, 400, 3);
    expect(generateCameraPoints(district, 400, 3)).toEqual(points);
    expect(points.some((p) => p.onBorder)).toBe(true);
    expect(points.some((p) => p.tags.includes('garage'))).toBe(true);
    const ids = new Map(district.features.map((f, i) => [f.properties.code, `n${i}`]));
    const tree = new JurisdictionTree(
      district.features.map((f) => ({
        id: ids.get(f.properties.code)!,
        code: f.properties.code,
        name: f.properties.name,
        tier: f.properties.tier,
        parentId: f.properties.parentCode ? ids.get(f.properties.parentCode)! : null,
        boundary: f.geometry,
      })),
    );
    for (const p of points) expect(tree.locate(p.lon, p.lat)?.code).toBe(p.expectedCode);
  });
});
