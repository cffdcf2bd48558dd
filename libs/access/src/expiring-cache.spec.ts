import { ExpiringCache } from './expiring-cache';

describe('ExpiringCache', () => {
  it('loads once within the age, again after it', async () => {
    const cache = new ExpiringCache<string, number>(1000, 10);
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.get('a', load, 0)).toBe(1);
    expect(await cache.get('a', load, 999)).toBe(1);
    expect(await cache.get('a', load, 1000)).toBe(2);
  });
  it('loads again after an invalidation, even one during a load', async () => {
    const cache = new ExpiringCache<string, string>(60_000, 10);
    let release!: (v: string) => void;
    const first = cache.get('u', () => new Promise((r) => (release = r)), 0);
    cache.invalidate('u');
    release('stale');
    expect(await first).toBe('stale');
    expect(await cache.get('u', async () => 'fresh', 1)).toBe('fresh');
  });
  it('keeps no failed load', async () => {
    const cache = new ExpiringCache<string, string>(60_000, 10);
    await expect(cache.get('u', async () => Promise.reject(new Error('db down')), 0)).rejects.toThrow('db down');
    expect(await cache.get('u', async () => 'ok', 1)).toBe('ok');
  });
  it('drops the oldest entry when full', async () => {
    const cache = new ExpiringCache<number, number>(60_000, 2);
    let loads = 0;
    for (const k of [1, 2, 3]) await cache.get(k, async () => ++loads, 0);
    expect(cache.size).toBe(2);
    expect(await cache.get(1, async () => ++loads, 0)).toBe(4);
    expect(await cache.get(3, async () => ++loads, 0)).toBe(3);
  });
});
