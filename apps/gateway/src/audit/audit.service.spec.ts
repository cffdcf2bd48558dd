import { randomUUID } from 'node:crypto';
import type { Principal, ScopeService } from '@tiergate/access';
import type { AuditEntryRecord, AuditFilter, AuditRepository } from '@tiergate/persistence';
import { auditCsv, AuditService } from './audit.service';

const HOME = randomUUID();
const stationAdmin: Principal = { userId: randomUUID(), username: 'station-admin', role: 'admin', jurisdictionId: HOME };
const builtIn: Principal = { userId: randomUUID(), username: 'admin', role: 'admin', jurisdictionId: null };

/** Records the filter it is asked for and answers one entry. */
class FakeAudit implements Pick<AuditRepository, 'search' | 'count'> {
  last: AuditFilter | undefined;
  async search(filter: AuditFilter): Promise<AuditEntryRecord[]> {
    this.last = filter;
    return [{ id: '7', at: new Date('2026-01-02T03:04:05Z'), actorId: null, actorName: 'x', action: 'user.create', targetType: 'user', targetId: 't', ip: null, details: { a: 1 }, targetName: '=cmd' }];
  }
  async count(filter: AuditFilter): Promise<number> {
    this.last = filter;
    return 41;
  }
}

function setup() {
  const entries = new FakeAudit();
  const scopes = { administeredJurisdictionIds: async (p: Principal) => (p.jurisdictionId ? new Set([HOME]) : undefined) };
  return { entries, service: new AuditService(entries as unknown as AuditRepository, scopes as unknown as ScopeService) };
}

describe('AuditService (fake repository)', () => {
  it('exports up to 10,000 rows as CSV by default, pages JSON by 100 and refuses a JSON page over 1000', async () => {
    const { service, entries } = setup();
    await service.query(builtIn, { format: 'csv' });
    expect(entries.last!.limit).toBe(10_000);
    await service.query(builtIn, {});
    expect(entries.last!.limit).toBe(100);
    await expect(service.query(builtIn, { limit: 1001 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it("limits an admin with a home to its own staff's entries; the built-in admin sees all", async () => {
    const { service, entries } = setup();
    await service.query(stationAdmin, {});
    expect(entries.last).toMatchObject({ actorJurisdictionIds: [HOME], limit: 100, offset: 0 });
    await service.query(builtIn, {});
    expect(entries.last!.actorJurisdictionIds).toBeUndefined();
  });

  it('reads a uuid actor as an id, another as a name, and a trailing * as a prefix', async () => {
    const { service, entries } = setup();
    const id = randomUUID();
    await service.query(builtIn, { actor: id, action: 'user.*' });
    expect(entries.last).toMatchObject({ actorId: id, actionPrefix: 'user.' });
    await service.query(builtIn, { actor: 'alice', action: 'user.create' });
    expect(entries.last).toMatchObject({ actorName: 'alice', action: 'user.create' });
  });

  it('answers ISO times, and the same entries as CSV', async () => {
    const { service } = setup();
    const { entries: [entry], total } = await service.query(builtIn, {});
    expect(total).toBe(41);
    expect(entry.at).toBe('2026-01-02T03:04:05.000Z');
    const line = auditCsv([entry]).split(/\r?\n/)[1];
    expect(line).toContain('user.create');
    expect(line.endsWith(",'=cmd")).toBe(true);
  });
});
