import { chmodSync, lstatSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@tiergate/config';
import { Infrastructure, startInfrastructure } from '@tiergate/platform';

// Issue 11 item 9: the embedded data directory (PGlite's files, secret.key) is the owner's only.
// Always embedded PGlite in a real directory (that is what is under test), in both test modes.

/** Every entry under `root` that the group or others may read, write or enter, as "path mode". */
function exposed(root: string): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    const st = lstatSync(p);
    if (st.isSymbolicLink()) return;
    if ((st.mode & 0o077) !== 0) out.push(`${p.slice(root.length) || '/'} ${(st.mode & 0o777).toString(8)}`);
    if (st.isDirectory()) for (const e of readdirSync(p)) walk(join(p, e));
  };
  walk(root);
  return out;
}

const configFor = (dataDir: string) =>
  loadConfig({ env: {}, overrides: { dataDir, 'database.url': '', 'mqtt.url': '', 'auth.secretKey': '', 'log.level': 'warn', 'lifecycle.startRetrySeconds': 0 } });

describe('security: the embedded data directory is private', () => {
  const savedUmask = process.umask();
  let base: string;
  let infra: Infrastructure | undefined;

  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'tiergate-datadir-'));
  });
  afterEach(async () => {
    await infra?.close();
    infra = undefined;
  });
  afterAll(() => {
    process.umask(savedUmask);
    rmSync(base, { recursive: true, force: true });
  });

  it('creates the directory 0700 and every file 0600 (PGlite wrote ~970 files 0666), and keeps it so after writes', async () => {
    process.umask(0o022); // a usual login umask
    const dir = join(base, 'fresh');
    infra = await startInfrastructure(configFor(dir), 'datadir-test');
    await infra.database.dataSource.query('CREATE TABLE written_later (x int); INSERT INTO written_later SELECT generate_series(1, 1000)');
    await infra.database.dataSource.query('CHECKPOINT');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, 'pg')).length).toBeGreaterThan(5);
    expect(exposed(dir)).toEqual([]);
    await infra.close();
    infra = undefined;
    expect(exposed(dir)).toEqual([]);
  });

  it('tightens a data directory an older version left open (0755 directories, 0666 database files)', async () => {
    const dir = join(base, 'old');
    infra = await startInfrastructure(configFor(dir), 'datadir-test');
    await infra.close();
    infra = undefined;
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'pg'), 0o755);
    const pgFiles = readdirSync(join(dir, 'pg', 'global')).slice(0, 20);
    for (const f of pgFiles) chmodSync(join(dir, 'pg', 'global', f), 0o666);
    expect(exposed(dir).length).toBeGreaterThanOrEqual(2);
    infra = await startInfrastructure(configFor(dir), 'datadir-test');
    expect(exposed(dir)).toEqual([]);
  });

  it('refuses to start, in one line naming the file and the fix, when others can read secret.key', async () => {
    const dir = join(base, 'leaky-key');
    infra = await startInfrastructure(configFor(dir), 'datadir-test');
    await infra.close();
    infra = undefined;
    const key = join(dir, 'secret.key');
    chmodSync(key, 0o644);
    const refused = await startInfrastructure(configFor(dir), 'datadir-test').then(
      (i) => {
        infra = i;
        return 'started';
      },
      (e: Error) => e.message,
    );
    expect(refused).toContain(key);
    expect(refused).toMatch(/mode 0644/);
    expect(refused).toContain(`chmod 600 ${key}`);
    expect(refused).not.toContain('\n');
    // Left for the operator to judge (the key may have been copied): still 0644, and nothing was opened.
    expect(statSync(key).mode & 0o777).toBe(0o644);
    chmodSync(key, 0o600);
    infra = await startInfrastructure(configFor(dir), 'datadir-test');
    expect(infra.secretKey.length).toBeGreaterThanOrEqual(32);
  });
});
