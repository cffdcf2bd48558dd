import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { In, QueryFailedError, Repository } from 'typeorm';
import { TiergateError } from '@tiergate/domain';
import { hashPassword, Principal, ScopeService } from '@tiergate/access';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { AuditWriter, InjectRepository, JurisdictionEntity, UserEntity } from '@tiergate/persistence';
import { CreateUserDto } from './users.dto';
import { toUserView } from './user.view';

@Injectable()
export class UsersService {
  private readonly logger = new Logger('Users');

  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @InjectRepository(JurisdictionEntity) private readonly jurisdictions: Repository<JurisdictionEntity>,
    @Inject(TIERGATE_CONFIG) private readonly config: TiergateConfig,
    private readonly audit: AuditWriter,
    private readonly scopes: ScopeService,
  ) {}

  /**
   * On an empty user table, creates the built-in `admin` (scope: everything). Its password comes from
   * TIERGATE_ADMIN_PASSWORD, or is generated and printed once.
   */
  async ensureBuiltInAdmin(): Promise<{ created: boolean; generatedPassword?: string }> {
    if ((await this.users.count()) > 0) return { created: false };
    const generated = this.config.auth.adminPassword ? undefined : randomBytes(12).toString('base64url');
    const password = this.config.auth.adminPassword || generated!;
    await this.users.insert({ username: 'admin', passwordHash: await hashPassword(password), role: 'admin', jurisdictionId: null, builtIn: true });
    return { created: true, generatedPassword: generated };
  }

  async create(actor: Principal, dto: CreateUserDto) {
    const jurisdictionId = dto.jurisdictionId ?? null;
    // An admin with a home node creates users only inside its subtree; a node outside it gets the same
    // answer as a missing one (400 naming the field), so the answer reveals nothing about other stations.
    const administered = await this.scopes.administeredJurisdictionIds(actor);
    const outside = administered !== undefined && jurisdictionId !== null && !administered.has(jurisdictionId);
    if (jurisdictionId && (outside || !(await this.jurisdictions.exist({ where: { id: jurisdictionId } })))) {
      throw new TiergateError('VALIDATION_FAILED', 'jurisdictionId: no such jurisdiction', { fields: ['jurisdictionId'] });
    }
    if (!jurisdictionId && actor.jurisdictionId) {
      throw new TiergateError('VALIDATION_FAILED', 'jurisdictionId: required (only the built-in admin has no home jurisdiction)', { fields: ['jurisdictionId'] });
    }
    const passwordHash = await hashPassword(dto.password);
    let user: UserEntity;
    try {
      user = await this.users.save(this.users.create({ username: dto.username, passwordHash, role: dto.role, jurisdictionId }));
    } catch (e) {
      if (e instanceof QueryFailedError && (e as any).code === '23505') throw new TiergateError('CONFLICT', `username ${dto.username} is taken`);
      throw e;
    }
    await this.audit.append({ userId: actor.userId, username: actor.username }, { action: 'user.create', targetType: 'user', targetId: user.id, details: { username: user.username, role: user.role, jurisdictionId } });
    return toUserView(user);
  }

  /** Every user for the built-in admin; the users whose home node is in its subtree for another admin. */
  async list(actor: Principal) {
    const administered = await this.scopes.administeredJurisdictionIds(actor);
    const where = administered === undefined ? {} : { jurisdictionId: In([...administered]) };
    return (await this.users.find({ where, order: { username: 'ASC' } })).map(toUserView);
  }
}
