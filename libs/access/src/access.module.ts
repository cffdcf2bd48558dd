import { Global, Module } from '@nestjs/common';
import { JurisdictionLocator } from './jurisdiction.locator';
import { JurisdictionTreeCache } from './jurisdiction-tree.cache';
import { ScopeService } from './scope.service';
import { TreeChangeNotifier } from './tree-change.notifier';

/** Scope checks and point location for every app; imported once by PlatformModule. */
@Global()
@Module({
  providers: [JurisdictionTreeCache, JurisdictionLocator, ScopeService, TreeChangeNotifier],
  exports: [JurisdictionTreeCache, JurisdictionLocator, ScopeService, TreeChangeNotifier],
})
export class AccessModule {}
