import { Global, Module } from '@nestjs/common';
import { JurisdictionsModule } from '@tiergate/jurisdictions';
import { AccessSnapshots } from './access-snapshots';
import { ScopeService } from './scope.service';
import { SessionUsers } from './session-users';

/** Scope checks, point location and the users behind login tokens for every app; imported once by PlatformModule. */
@Global()
@Module({
  imports: [JurisdictionsModule],
  providers: [AccessSnapshots, ScopeService, SessionUsers],
  exports: [JurisdictionsModule, AccessSnapshots, ScopeService, SessionUsers],
})
export class AccessModule {}
