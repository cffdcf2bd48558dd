import { Global, Module } from '@nestjs/common';
import { JurisdictionLocator } from './jurisdiction.locator';
import { JurisdictionTreeCache } from './jurisdiction-tree.cache';
import { TreeChangeNotifier } from './tree-change.notifier';

/** The jurisdiction tree of this process (cache, change notices, point location); global, imported once by AccessModule. */
@Global()
@Module({
  providers: [JurisdictionTreeCache, JurisdictionLocator, TreeChangeNotifier],
  exports: [JurisdictionTreeCache, JurisdictionLocator, TreeChangeNotifier],
})
export class JurisdictionsModule {}
