import { randomUUID } from 'node:crypto';
import type { Principal, ScopeService, SessionUsers } from '@tiergate/access';
import type { TiergateConfig } from '@tiergate/config';
import type { AuditRepository, GrantsRepository, NewUser, Transactor, Tx, UserPatch, UserRecord, UsersRepository } from '@tiergate/persistence';
import { UsersService } from './users.service';

const HOME = randomUUID();
const OUTSIDE = randomUUID();
const admin: Principal = { userId: randomUUID(), username: 'station-admin', role: 'admin', jurisdictionId: HOME };

/** The users table in memory: the part of UsersRepository's public interface the service uses. */
class FakeUsers implements Pick<UsersRepository, 'any' | 'create' | 'list' | 'get' | 'update' | 'delete'> {
  readonly rows: UserRecord[] = [];
  async any() {
    return this.rows.length > 0;
  }
  async create(u: NewUser) {
    if (this.rows.some((r) => r.username.toLowerCase() === u.username.toLowerCase())) return undefined;
    const row: UserRecord = { ...u, id: randomUUID(), builtIn: false, disabled: false, tokenVersion: 0, createdAt: new Date() };
    this.rows.push(row);
    return { ...row };
  }
  async list(ids?: readonly string[]) {
    return this.rows.filter((r) => ids === undefined || (r.jurisdictionId !== null && ids.includes(r.jurisdictionId)));
  }
  async get(id: string) {
    const row = this.rows.find((r) => r.id === id);
    return row && { ...row };
  }
  async update(id: string, patch: UserPatch, endSessions: boolean) {
    const row = this.rows.find((r) => r.id === id)!;
    Object.assign(row, patch);
    if (endSessions) row.tokenVersion++;
  }
  async delete(id: string) {
    this.rows.splice(this.rows.findIndex((r) => r.id === id), 1);
  }
}

function setup() {
  const users = new FakeUsers();
  const revoked: string[] = [];
  const audit = { append: jest.fn(async () => undefined) };
  const sessions = { changed: jest.fn(async () => undefined) };
  const scopes = { administeredJurisdictionIds: async () => new Set([HOME]), tree: async () => ({ has: (id: string) => id === HOME || id === OUTSIDE }) };
  const service = new UsersService(
    users as unknown as UsersRepository,
    { revokeAllTo: async (id: string) => void revoked.push(id) } as unknown as GrantsRepository,
    { run: <T>(work: (tx: Tx) => Promise<T>) => work({} as Tx) } as unknown as Transactor,
    { auth: { adminPassword: undefined } } as unknown as TiergateConfig,
    audit as unknown as AuditRepository,
    scopes as unknown as ScopeService,
    sessions as unknown as SessionUsers,
  );
  return { service, users, audit, sessions, revoked };
}

describe('UsersService (fake repositories)', () => {
  it('creates a user in the subtree, audited, and refuses the same name in another case (409)', async () => {
    const { service, audit } = setup();
    const view = await service.create(admin, { username: 'Officer1', password: 'a-long-enough-passphrase', role: 'operator', jurisdictionId: HOME });
    expect(view).toEqual({ id: expect.any(String), username: 'Officer1', role: 'operator', jurisdictionId: HOME, disabled: false });
    expect(audit.append).toHaveBeenCalledWith({ userId: admin.userId, username: admin.username }, expect.objectContaining({ action: 'user.create', targetId: view.id }));
    await expect(service.create(admin, { username: 'officer1', password: 'a-long-enough-passphrase', role: 'operator', jurisdictionId: HOME })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('refuses a home outside the subtree as if it did not exist', async () => {
    const { service } = setup();
    await expect(service.create(admin, { username: 'x1', password: 'a-long-enough-passphrase', role: 'operator', jurisdictionId: OUTSIDE })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('disabling a user ends its sessions; users outside the subtree look missing', async () => {
    const { service, users, sessions } = setup();
    const view = await service.create(admin, { username: 'officer2', password: 'a-long-enough-passphrase', role: 'operator', jurisdictionId: HOME });
    await service.update(admin, view.id, { disabled: true });
    expect(users.rows[0]).toMatchObject({ disabled: true, tokenVersion: 1 });
    expect(sessions.changed).toHaveBeenCalledWith(view.id);
    users.rows.push({ ...users.rows[0], id: randomUUID(), username: 'far', jurisdictionId: OUTSIDE });
    await expect(service.update(admin, users.rows[1].id, { disabled: true })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await service.list(admin)).map((u) => u.username)).toEqual(['officer2']);
  });

  it('deleting a user revokes its grants in the same unit of work', async () => {
    const { service, users, revoked } = setup();
    const view = await service.create(admin, { username: 'officer3', password: 'a-long-enough-passphrase', role: 'operator', jurisdictionId: HOME });
    await service.remove(admin, view.id);
    expect(revoked).toEqual([view.id]);
    expect(users.rows).toHaveLength(0);
  });
});
