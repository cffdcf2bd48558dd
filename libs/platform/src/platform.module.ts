import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ConfigModule } from '@tiergate/config';
import { PersistenceModule } from '@tiergate/persistence';
import { MessagingModule } from '@tiergate/messaging';
import { AccessModule, SecretBox, StreamTokens, TokenSigner } from '@tiergate/access';
import { AuthGuard, SESSION_SIGNER } from './auth.guard';
import { ErrorFilter } from './error.filter';
import type { Infrastructure } from './infrastructure';

/**
 * What every app module stands on: configuration, database, broker, token signers, the global auth
 * guard and error filter. Imported once by each entry point.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(infra: Infrastructure): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        ConfigModule.forRoot(infra.config),
        PersistenceModule.forRoot(infra.database.dataSource),
        MessagingModule.forRoot(infra.bus),
        AccessModule,
      ],
      providers: [
        { provide: SESSION_SIGNER, useValue: new TokenSigner(infra.secretKey, 'session') },
        { provide: StreamTokens, useValue: new StreamTokens(new TokenSigner(infra.secretKey, 'stream'), infra.config.auth.streamTokenTtlSeconds) },
        { provide: SecretBox, useValue: new SecretBox(infra.secretKey) },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ErrorFilter },
      ],
      exports: [ConfigModule, PersistenceModule, MessagingModule, AccessModule, SESSION_SIGNER, StreamTokens, SecretBox],
    };
  }
}
