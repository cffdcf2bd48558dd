import { Inject, Injectable } from '@nestjs/common';
import { Repository } from 'typeorm';
import { Role, TiergateError } from '@tiergate/domain';
import { SessionClaims, TokenSigner, verifyPassword } from '@tiergate/access';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { AuditWriter, InjectRepository, UserEntity } from '@tiergate/persistence';
import { SESSION_SIGNER } from '@tiergate/platform';
import { LoginResult } from './auth.dto';
import { toUserView } from '../users/user.view';

@Injectable()
export class AuthService {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @Inject(SESSION_SIGNER) private readonly signer: TokenSigner,
    @Inject(TIERGATE_CONFIG) private readonly config: TiergateConfig,
    private readonly audit: AuditWriter,
  ) {}

  async login(username: string, password: string, ip: string | undefined): Promise<LoginResult> {
    const user = await this.users.findOne({ where: { username } });
    const ok = user && !user.disabled ? await verifyPassword(password, user.passwordHash) : false;
    await this.audit.append({ userId: user?.id ?? null, username }, { action: ok ? 'auth.login' : 'auth.login-failed', ip });
    if (!user || !ok) throw new TiergateError('UNAUTHENTICATED', 'wrong username or password');
    const iat = Math.floor(Date.now() / 1000);
    const exp = iat + this.config.auth.sessionTtlSeconds;
    const claims: SessionClaims = { sub: user.id, usr: user.username, role: user.role as Role, jur: user.jurisdictionId, iat, exp };
    return { accessToken: this.signer.sign(claims as unknown as Record<string, unknown>), expiresAt: new Date(exp * 1000).toISOString(), user: toUserView(user) };
  }
}
