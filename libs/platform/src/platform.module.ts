import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ConfigModule } from '@tiergate/config';
import { PersistenceModule } from '@tiergate/persistence';
import { MessagingModule } from '@tiergate/messaging';
import { AccessModule, AccessSnapshots, ExportDownloadTokens, PlaybackTokens, PLAYBACK_TOKEN_TTL_SECONDS, SecretBox, StreamTokens, TokenSigner } from '@tiergate/access';
import { AuthGuard, SESSION_SIGNER } from './auth.guard';
import { ErrorFilter } from './error.filter';
import type { Infrastructure } from './infrastructure';

/** The signer of the gateway's short-lived event-stream tickets (apps/gateway/src/events; its own key, never a login token). */
export const EVENT_TICKET_SIGNER = Symbol('EVENT_TICKET_SIGNER');

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
        // Login tokens: auth.sessionKey when set (rotating it ends every login session, camera credentials stay sealed), else the secret key.
        { provide: SESSION_SIGNER, useValue: new TokenSigner(infra.config.auth.sessionKey || infra.secretKey, 'session') },
        { provide: StreamTokens, useValue: new StreamTokens(new TokenSigner(infra.secretKey, 'stream'), infra.config.auth.streamTokenTtlSeconds) },
        // Recorded video (docs/recording.md): playback tokens checked like stream tokens (grants from the snapshot), export download tickets.
        { provide: PlaybackTokens, inject: [AccessSnapshots], useFactory: (snapshots: AccessSnapshots) => new PlaybackTokens(new TokenSigner(infra.secretKey, 'playback'), PLAYBACK_TOKEN_TTL_SECONDS).bindingGrants(snapshots) },
        { provide: ExportDownloadTokens, useValue: new ExportDownloadTokens(new TokenSigner(infra.secretKey, 'export-download')) },
        { provide: EVENT_TICKET_SIGNER, useValue: new TokenSigner(infra.secretKey, 'events-ticket') },
        { provide: SecretBox, useValue: new SecretBox(infra.secretKey) },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ErrorFilter },
      ],
      exports: [ConfigModule, PersistenceModule, MessagingModule, AccessModule, SESSION_SIGNER, StreamTokens, PlaybackTokens, ExportDownloadTokens, EVENT_TICKET_SIGNER, SecretBox],
    };
  }
}
