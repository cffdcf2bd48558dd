export * from './password-hasher';
export * from './token-signer';
export * from './secret-box';
export * from './principal';
export * from './scope';
export * from './scope.service';
export * from './access-snapshot';
export * from './access-snapshots';
export * from './access.module';
export * from './stream-token';
export * from './session-users';
export * from './expiring-cache';
export * from './password-policy';
export * from './login-throttle';
// Moved to @tiergate/jurisdictions; re-exported until every importer names it.
export { JurisdictionTreeCache, TREE_MAX_AGE_MS, JurisdictionLocator, TreeChangeNotifier } from '@tiergate/jurisdictions';
