import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeSpawner } from '../testing/fake-spawner';
import { ExportJobs, type ExportIndex, type ExportPatch, type ExportRow } from './export-job';

const T0 = Date.UTC(2026, 0, 5, 10);
const ID = '6f1c0a52-3c1e-4d39-9b7e-2f7f2f0d3c11';
const until = async (ok: () => boolean) => {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 5));
};

describe('ExportJobs', () => {
  let root: string;
  let spawner: FakeSpawner;
  let row: ExportRow;
  let patches: ExportPatch[];
  let published: { state: string; progress: number }[];
  let workers: string[];
  /** Rows failUnfinishedExports finds (ids of this worker left queued/running). */
  let unfinished: string[];
  let failedWith: string[];
  const init = 'c/sub/init/00112233445566aa.mp4';
  const seg = (i: number, worker = 'w1') => ({ id: String(i + 1), workerId: worker, rootId: 'r0', path: `c/sub/d/${i}.m4s`, initPath: init, startAt: new Date(T0 + i * 4000), endAt: new Date(T0 + (i + 1) * 4000), bytes: 4 });

  const jobs = () => {
    const index: ExportIndex = {
      getExport: async () => row,
      updateExport: async (_id, p) => {
        patches.push(p);
        if (p.state) row = { ...row, state: p.state };
      },
      segmentsOf: async () => workers.map((w, i) => seg(i, w)),
      failUnfinishedExports: async (workerId, failure) => {
        failedWith.push(`${workerId} ${failure}`);
        return unfinished;
      },
    };
    return new ExportJobs({ workerId: 'w1', roots: new Map([['r0', root]]), index, spawner, publish: async (_t, m) => void published.push(m) });
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'export-job-'));
    mkdirSync(join(root, 'c/sub/init'), { recursive: true });
    mkdirSync(join(root, 'c/sub/d'), { recursive: true });
    writeFileSync(join(root, init), 'INIT');
    for (let i = 0; i < 3; i++) writeFileSync(join(root, `c/sub/d/${i}.m4s`), `SEG${i}`);
    spawner = new FakeSpawner();
    row = { id: ID, cameraId: 'c', profile: 'sub', from: new Date(T0), to: new Date(T0 + 12_000), state: 'queued' };
    patches = [];
    published = [];
    workers = ['w1', 'w1', 'w1'];
    unfinished = [];
    failedWith = [];
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('concatenates init + segments, stream-copies with ffmpeg, hashes the result and reports done', async () => {
    expect(await jobs().request(ID)).toEqual({ accepted: true, workerId: 'w1' });
    await until(() => spawner.children.length === 1);
    const child = spawner.children[0]!;
    const input = child.args[child.args.indexOf('-i') + 1]!;
    expect(readFileSync(input, 'utf8')).toBe('INITSEG0SEG1SEG2');
    const output = child.args[child.args.length - 1]!;
    writeFileSync(output, 'MP4');
    child.writeStdout(Buffer.from('out_time_us=6000000\nprogress=continue\n'));
    child.die(0);
    await until(() => row.state === 'done');
    const done = patches[patches.length - 1]!;
    expect(done).toMatchObject({ state: 'done', progress: 1, bytes: 3, sha256: '20e1c25cddc640754645fab905da985a0bcb0754e7767209d0fb90d7b23b6580' }); // sha256 of "MP4"
    expect(readFileSync(done.path!, 'utf8')).toBe('MP4');
    expect(readdirSync(join(root, 'exports'))).toEqual([`${ID}.mp4`]); // temp files gone
    expect(published[published.length - 1]).toMatchObject({ state: 'done', progress: 1 });
  });

  it('marks the row failed with ffmpeg’s last lines and removes the temp files', async () => {
    await jobs().request(ID);
    await until(() => spawner.children.length === 1);
    spawner.children[0]!.die(1, 'line 1\nInvalid data found when processing input\n');
    await until(() => row.state === 'failed');
    expect(patches[patches.length - 1]!.failure).toMatch(/^ffmpeg-failed: ffmpeg exited 1: .*Invalid data found/);
    expect(existsSync(join(root, 'exports')) ? readdirSync(join(root, 'exports')) : []).toEqual([]);
  });

  it('at start-up fails the rows this worker left unfinished (worker-restarted) and removes its export temp files and their MP4s', async () => {
    const other = '11111111-2222-4333-8444-555555555555';
    mkdirSync(join(root, 'exports'));
    for (const f of [`${ID}-0.m4s.tmp`, `${ID}.mp4.tmp`, `${ID}.mp4`, `${other}.mp4`, `${other}.ffconcat.tmp`]) writeFileSync(join(root, 'exports', f), 'x');
    unfinished = [ID];
    expect(await jobs().recover()).toEqual({ failed: [ID], filesDeleted: 4 });
    expect(failedWith).toEqual(['w1 worker-restarted']);
    // a finished export of another row stays: it is evidence; any temp file goes (no job runs before recover)
    expect(readdirSync(join(root, 'exports'))).toEqual([`${other}.mp4`]);
    expect(published).toEqual([expect.objectContaining({ exportId: ID, state: 'failed', reason: 'worker-restarted' })]);
  });

  it('a graceful stop ends the running job as failed with worker-stopped, its ffmpeg stopped and its temp files gone', async () => {
    const j = jobs();
    await j.request(ID);
    await until(() => spawner.children.length === 1);
    await j.close();
    expect(spawner.children[0]!.stopped).toBe(true);
    expect(row.state).toBe('failed');
    expect(patches[patches.length - 1]).toMatchObject({ state: 'failed', failure: 'worker-stopped' });
    expect(readdirSync(join(root, 'exports'))).toEqual([]);
    expect(await j.request(ID)).toMatchObject({ accepted: false });
  });

  it('delete cancels a running job and removes its files; on a finished one it removes the MP4', async () => {
    const j = jobs();
    await j.request(ID);
    await until(() => spawner.children.length === 1);
    expect(await j.delete(ID)).toEqual({ deleted: true, workerId: 'w1', hadFile: false, cancelled: true });
    expect(patches[patches.length - 1]).toMatchObject({ state: 'failed', failure: 'cancelled' });
    expect(readdirSync(join(root, 'exports'))).toEqual([]);
    writeFileSync(join(root, 'exports', `${ID}.mp4`), 'MP4');
    expect(await j.delete(ID)).toEqual({ deleted: true, workerId: 'w1', hadFile: true, cancelled: false });
    expect(readdirSync(join(root, 'exports'))).toEqual([]);
  });

  it('refuses a range with segments on another worker, one not queued, or no segment', async () => {
    workers = ['w1', 'w2', 'w1'];
    expect(await jobs().request(ID)).toMatchObject({ accepted: false, reason: 'the range spans recordings held by several workers' });
    workers = [];
    expect(await jobs().request(ID)).toMatchObject({ accepted: false, reason: 'no recording in the range' });
    row = { ...row, state: 'done' };
    expect(await jobs().request(ID)).toMatchObject({ accepted: false, reason: 'the export is done' });
    expect(spawner.children).toHaveLength(0);
  });
});
