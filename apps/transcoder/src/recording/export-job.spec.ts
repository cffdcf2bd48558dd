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
    expect(patches[patches.length - 1]!.failure).toMatch(/ffmpeg exited 1: .*Invalid data found/);
    expect(existsSync(join(root, 'exports')) ? readdirSync(join(root, 'exports')) : []).toEqual([]);
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
