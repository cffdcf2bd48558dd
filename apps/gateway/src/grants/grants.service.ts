import { Injectable } from '@nestjs/common';
import { AccessSnapshots, Principal, ScopeService } from '@tiergate/access';
import { isUuid, notFound, TiergateError } from '@tiergate/domain';
import { AuditWriter, CameraRepository, GrantsRepository, GrantWithObjectNode, UsersRepository } from '@tiergate/persistence';
import { CreateGrantDto } from './grants.dto';
import { GrantView, toGrantView } from './grant.view';

const MAX_GRANT_MS = 90 * 86_400_000;
const invalid = (field: string, message: string) => new TiergateError('VALIDATION_FAILED', `${field}: ${message}`, { fields: [field] });

type Administered = ReadonlySet<string> | undefined;

/**
 * Temporary shares. An admin shares what it administers (its home subtree, never something it only
 * sees through a grant) with any user or node. Creation and revocation act at once in this process and,
 * through the access snapshot (AccessSnapshots, the partitioner), in every other within the bus latency;
 * expiry acts at its time everywhere (each check compares with the clock).
 */
@Injectable()
export class GrantsService {
  constructor(
    private readonly cameras: CameraRepository,
    private readonly scopes: ScopeService,
    private readonly grants: GrantsRepository,
    private readonly snapshots: AccessSnapshots,
    private readonly users: UsersRepository,
    private readonly audit: AuditWriter,
  ) {}

  async create(actor: Principal, dto: CreateGrantDto): Promise<GrantView> {
    if (!dto.cameraId === !dto.jurisdictionId) throw invalid('cameraId', 'give exactly one of cameraId and jurisdictionId');
    if ([dto.granteeUserId, dto.granteeUsername, dto.granteeJurisdictionId].filter(Boolean).length !== 1) {
      throw invalid('granteeUserId', 'give exactly one of granteeUserId, granteeUsername and granteeJurisdictionId');
    }
    const expiresAt = new Date(dto.expiresAt);
    const now = Date.now();
    if (!(expiresAt.getTime() > now)) throw invalid('expiresAt', 'must be in the future');
    if (expiresAt.getTime() - now > MAX_GRANT_MS) throw invalid('expiresAt', 'a grant lasts at most 90 days');
    const administered = await this.scopes.administeredJurisdictionIds(actor);
    const tree = await this.scopes.tree();
    if (dto.cameraId) {
      const [camera] = await this.cameras.placementsOf([dto.cameraId]);
      if (!camera || !inAdministered(administered, camera.jurisdictionId)) throw notFound('camera');
    } else if (!tree.has(dto.jurisdictionId!) || !inAdministered(administered, dto.jurisdictionId!)) {
      throw notFound('jurisdiction');
    }
    // An unknown grantee answers the 404 of any missing user or node (the same body as an object outside
    // what the caller administers), not a 400 that tells an existing id from a missing one.
    const grantee = dto.granteeUserId ? await this.users.get(dto.granteeUserId) : dto.granteeUsername ? await this.users.findByUsername(dto.granteeUsername) : undefined;
    if ((dto.granteeUserId || dto.granteeUsername) && !grantee) throw notFound('user');
    if (dto.granteeJurisdictionId && !tree.has(dto.granteeJurisdictionId)) throw notFound('jurisdiction');
    const saved = await this.grants.create({
      cameraId: dto.cameraId ?? null,
      jurisdictionId: dto.jurisdictionId ?? null,
      granteeUserId: grantee?.id ?? null,
      granteeJurisdictionId: dto.granteeJurisdictionId ?? null,
      reason: dto.reason ?? null,
      startsAt: new Date(now),
      expiresAt,
      createdBy: actor.userId,
    });
    await this.snapshots.changed({ created: saved });
    await this.audit.append(
      { userId: actor.userId, username: actor.username },
      { action: 'grant.create', targetType: 'grant', targetId: saved.id, details: { ...dto, granteeUserId: saved.granteeUserId ?? undefined } },
    );
    return toGrantView((await this.grants.get(saved.id)) ?? saved, new Date(), nodeNames(tree));
  }

  async list(actor: Principal): Promise<GrantView[]> {
    const administered = await this.scopes.administeredJurisdictionIds(actor);
    const [rows, tree] = await Promise.all([this.grants.list(), this.scopes.tree()]);
    const now = new Date();
    return rows.filter((g) => this.manages(actor, administered, g)).map((g) => toGrantView(g, now, nodeNames(tree)));
  }

  async revoke(actor: Principal, id: string): Promise<void> {
    if (!isUuid(id)) throw notFound('grant');
    const administered = await this.scopes.administeredJurisdictionIds(actor);
    const g = await this.grants.get(id);
    if (!g || !this.manages(actor, administered, g)) throw notFound('grant');
    if (!g.revokedAt) {
      await this.grants.revoke(id);
      await this.snapshots.changed({ revoked: id });
    }
    await this.audit.append({ userId: actor.userId, username: actor.username }, { action: 'grant.revoke', targetType: 'grant', targetId: id });
  }

  /** An admin sees and revokes grants of things it administers, and the grants it made. */
  private manages(actor: Principal, administered: Administered, g: GrantWithObjectNode): boolean {
    if (administered === undefined || g.createdBy === actor.userId) return true;
    const objectNode = g.cameraId ? g.cameraJurisdictionId : g.jurisdictionId;
    return objectNode !== null && administered.has(objectNode);
  }
}

const nodeNames = (tree: { get(id: string): { name: string } | undefined }) => (id: string) => tree.get(id)?.name;

function inAdministered(administered: Administered, jurisdictionId: string | null): boolean {
  return administered === undefined || (jurisdictionId !== null && administered.has(jurisdictionId));
}
