import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort, type Managed, type ProcessBook, sleep, until } from './processes';

const PG_BIN = '/usr/lib/postgresql/15/bin';

/** uid/gid of a system user, from `id` (the suite runs Postgres and Mosquitto as their own users when it is root). */
function userIds(name: string): { uid: number; gid: number } | undefined {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Runs as `user` when we are root (initdb and postgres refuse root); as ourselves otherwise. */
function runAs(user: string, dir: string): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const ids = userIds(user);
  if (!ids) throw new Error(`the fault suite runs as root and needs the system user ${user} (apt-get install postgresql mosquitto)`);
  chownSync(dir, ids.uid, ids.gid);
  return ids;
}

/**
 * A Postgres 15 cluster of the suite's own (initdb into a temporary directory, a free port on 127.0.0.1):
 * the suite may stop and restart it without touching the machine's shared server.
 */
export class OwnPostgres {
  private proc: Managed | undefined;
  readonly data: string;
  private ids: { uid?: number; gid?: number } = {};
  port = 0;

  constructor(
    private readonly book: ProcessBook,
    private readonly dir: string,
  ) {
    this.data = join(dir, 'data');
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  get pid(): number {
    return this.proc?.pid ?? -1;
  }

  async init(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    this.ids = runAs('postgres', this.dir);
    const r = spawnSync(`${PG_BIN}/initdb`, ['-D', this.data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync'], { ...this.ids, encoding: 'utf8', cwd: this.dir });
    if (r.status !== 0) throw new Error(`initdb failed: ${r.stderr || r.stdout}`);
    this.port = await freePort();
  }

  /** Starts the postmaster (a child of the suite) and waits until it accepts connections. */
  async start(): Promise<void> {
    this.proc = this.book.spawn('postgres', `${PG_BIN}/postgres`, [
      '-D', this.data, '-p', String(this.port), '-k', this.dir, '-c', 'listen_addresses=127.0.0.1',
      // a test cluster on a busy machine: no fsync, enough connections for seven processes' pools
      '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200',
    ], { ...this.ids, cwd: this.dir, logPath: join(this.dir, 'postgres.log') });
    const ready = await until(() => this.accepts(), 30_000, 200);
    if (!ready) throw new Error(`own Postgres did not start on port ${this.port}: ${this.proc.log().slice(-2000)}`);
  }

  /** Fast shutdown (SIGINT: clients are disconnected, the cluster stops cleanly). */
  async stop(): Promise<void> {
    if (!this.proc?.alive) return;
    this.proc.signal('SIGINT');
    if (!(await this.proc.waitExit(20_000))) {
      this.proc.killTree();
      await this.proc.waitExit(5000);
    }
  }

  async accepts(): Promise<boolean> {
    const c = new Client({ connectionString: this.url, connectionTimeoutMillis: 1000 });
    try {
      await c.connect();
      await c.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await c.end().catch(() => undefined);
    }
  }

  /** One query on a short-lived connection. */
  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    const c = new Client({ connectionString: this.url, connectionTimeoutMillis: 3000 });
    await c.connect();
    try {
      return (await c.query(sql, params)).rows as T[];
    } finally {
      await c.end().catch(() => undefined);
    }
  }
}

/**
 * A Mosquitto of the suite's own: a free port, a password file (mosquitto_passwd), `allow_anonymous false`,
 * an ACL limited to tiergate/v1/#, no persistence (so a restart loses every retained message, as a broker
 * replaced by a fresh one does).
 */
export class OwnMosquitto {
  private proc: Managed | undefined;
  private ids: { uid?: number; gid?: number } = {};
  readonly user = 'tiergate';
  readonly password = randomBytes(18).toString('base64url');
  port = 0;

  constructor(
    private readonly book: ProcessBook,
    private readonly dir: string,
  ) {}

  get url(): string {
    return `mqtt://${this.user}:${this.password}@127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.proc?.pid ?? -1;
  }

  async init(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    this.port = await freePort();
    const passwd = join(this.dir, 'passwd');
    const r = spawnSync('mosquitto_passwd', ['-c', '-b', passwd, this.user, this.password], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`mosquitto_passwd failed: ${r.stderr}`);
    writeFileSync(join(this.dir, 'acl'), `user ${this.user}\ntopic readwrite tiergate/v1/#\n`);
    writeFileSync(
      join(this.dir, 'mosquitto.conf'),
      `listener ${this.port} 127.0.0.1\nallow_anonymous false\npassword_file ${passwd}\nacl_file ${join(this.dir, 'acl')}\npersistence false\n`,
    );
    for (const f of ['passwd', 'acl', 'mosquitto.conf']) chmodSync(join(this.dir, f), 0o600);
    this.ids = runAs('mosquitto', this.dir);
    if (this.ids.uid !== undefined) for (const f of ['passwd', 'acl', 'mosquitto.conf']) chownSync(join(this.dir, f), this.ids.uid, this.ids.gid!);
  }

  async start(): Promise<void> {
    this.proc = this.book.spawn('mosquitto', 'mosquitto', ['-c', join(this.dir, 'mosquitto.conf')], { ...this.ids, cwd: this.dir, logPath: join(this.dir, 'mosquitto.log') });
    const { connect } = await import('node:net');
    const up = await until(
      () =>
        new Promise<boolean>((resolve) => {
          const s = connect(this.port, '127.0.0.1', () => (s.destroy(), resolve(true)));
          s.on('error', () => resolve(false));
        }),
      10_000,
      100,
    );
    if (!up) throw new Error(`own Mosquitto did not start on port ${this.port}: ${this.proc.log().slice(-2000)}`);
    await sleep(100);
  }

  async stop(): Promise<void> {
    if (!this.proc?.alive) return;
    this.proc.signal('SIGTERM');
    if (!(await this.proc.waitExit(10_000))) {
      this.proc.killTree();
      await this.proc.waitExit(5000);
    }
  }
}
