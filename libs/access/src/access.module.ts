import { Global, Module } from '@nestjs/common';
import { JurisdictionLocator } from './jurisdiction.locator';
import { JurisdictionTreeCache } from './jurisdiction-tree.cache';
import { ScopeService } from './scope.service';

/** Scope checks and point location for every app; imported once by PlatformModule. */
@Global()
@Module({
  providers: [JurisdictionTreeCache, JurisdictionLocator, ScopeService],
  exports: [JurisdictionTreeCache, JurisdictionLocator, ScopeService],
})
export class AccessModule {}
