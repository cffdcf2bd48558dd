import { Injectable } from '@nestjs/common';
import { Principal, ScopeService } from '@tiergate/access';
import { isUuid, notFound } from '@tiergate/domain';
import { SweepRecord, SweepsRepository, UsersRepository } from '@tiergate/persistence';

/**
 * Pure: whether a caller may read a sweep and onboard its findings. A sweep probes a network range, so
 * what it found belongs to whoever started it and to the admins who administer that user: the starter
 * itself, an admin whose subtree contains the starter's home node, and the built-in admin (`administered`
 * undefined). A sweep whose starter is unknown (deleted) or has no home node is the built-in admin's only.
 * Grants never reach sweeps (they share cameras and nodes, not network scans).
 */
export function maySeeSweep(
  principal: Pick<Principal, 'userId' | 'role'>,
  administered: ReadonlySet<string> | undefined,
  sweep: { createdBy: string | null },
  starterHome: string | null | undefined,
): boolean {
  if (sweep.createdBy !== null && sweep.createdBy === principal.userId) return true;
  if (principal.role !== 'admin') return false;
  if (administered === undefined) return true;
  return typeof starterHome === 'string' && administered.has(starterHome);
}

/** Reads a sweep for a caller: one it may not see answers 404 exactly like a missing one. */
@Injectable()
export class SweepAccess {
  constructor(
    private readonly sweeps: SweepsRepository,
    private readonly users: UsersRepository,
    private readonly scopes: ScopeService,
  ) {}

  async visibleSweep(principal: Principal, id: string): Promise<SweepRecord> {
    const sweep = isUuid(id) ? await this.sweeps.find(id) : undefined;
    if (!sweep || !(await this.maySee(principal, sweep))) throw notFound('sweep');
    return sweep;
  }

  private async maySee(principal: Principal, sweep: SweepRecord): Promise<boolean> {
    if (sweep.createdBy === principal.userId) return true;
    if (principal.role !== 'admin') return false;
    const administered = await this.scopes.administeredJurisdictionIds(principal);
    const starter = sweep.createdBy ? ((await this.users.get(sweep.createdBy)) ?? null) : null;
    return maySeeSweep(principal, administered, sweep, starter?.jurisdictionId);
  }
}
