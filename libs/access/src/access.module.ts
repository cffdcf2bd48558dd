import { Global, Module } from '@nestjs/common';
import { JurisdictionLocator } from './jurisdiction.locator';
import { JurisdictionTreeCache } from './jurisdiction-tree.cache';
import { ScopeService } from './scope.service';
import { SessionUsers } from './session-users';
import { TreeChangeNotifier } from './tree-change.notifier';

/** Scope checks, point location and the users behind login tokens for every app; imported once by PlatformModule. */
@Global()
@Module({
  providers: [JurisdictionTreeCache, JurisdictionLocator, ScopeService, TreeChangeNotifier, SessionUsers],
  exports: [JurisdictionTreeCache, JurisdictionLocator, ScopeService, TreeChangeNotifier, SessionUsers],
})
export class AccessModule {}
