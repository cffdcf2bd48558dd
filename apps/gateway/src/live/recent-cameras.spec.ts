import type { CameraRecord } from '@tiergate/persistence';
import { RecentCameras } from './recent-cameras';

function setup() {
  let t = 0;
  const reads: string[] = [];
  const rows = new Map<string, CameraRecord>([['a', { id: 'a', jurisdictionId: 'n1' } as CameraRecord]]);
  let release: (() => void) | undefined;
  let hold = false;
  const cameras = new RecentCameras(async (id) => {
    reads.push(id);
    if (hold) await new Promise<void>((r) => (release = r));
    const row = rows.get(id);
    return row && { ...row };
  }, 1000, () => t);
  return { cameras, reads, rows, advance: (ms: number) => (t += ms), holdReads: () => (hold = true), release: () => release?.() };
}

describe('RecentCameras', () => {
  it('reads a camera once while it is recent, again after maxAge', async () => {
    const s = setup();
    expect((await s.cameras.get('a'))?.jurisdictionId).toBe('n1');
    s.advance(999);
    await s.cameras.get('a');
    expect(s.reads).toEqual(['a']);
    s.advance(1);
    await s.cameras.get('a');
    expect(s.reads).toEqual(['a', 'a']);
  });

  it('a change notice makes the next answer read the row as it is now (a moved camera is scope-checked on its new node)', async () => {
    const s = setup();
    await s.cameras.get('a');
    s.rows.set('a', { id: 'a', jurisdictionId: 'n2' } as CameraRecord);
    s.cameras.forget(['a']);
    expect((await s.cameras.get('a'))?.jurisdictionId).toBe('n2');
    s.rows.set('a', { id: 'a', jurisdictionId: 'n3' } as CameraRecord);
    s.cameras.forget();
    expect((await s.cameras.get('a'))?.jurisdictionId).toBe('n3');
  });

  it('does not keep a missing camera, and a read that started before a notice does not fill the cache', async () => {
    const s = setup();
    expect(await s.cameras.get('b')).toBeUndefined();
    s.rows.set('b', { id: 'b', jurisdictionId: 'n1' } as CameraRecord);
    expect((await s.cameras.get('b'))?.id).toBe('b');
    s.holdReads();
    s.advance(5000);
    const stale = s.cameras.get('a');
    s.cameras.forget(['a']);
    s.release();
    await stale;
    s.rows.set('a', { id: 'a', jurisdictionId: 'n9' } as CameraRecord);
    const fresh = s.cameras.get('a');
    s.release();
    expect((await fresh)?.jurisdictionId).toBe('n9');
  });

  it('concurrent reads of one camera share one SELECT', async () => {
    const s = setup();
    await Promise.all([s.cameras.get('a'), s.cameras.get('a'), s.cameras.get('a')]);
    expect(s.reads).toEqual(['a']);
  });
});
