// The jurisdiction tree: its cache per process and change notices (libs/jurisdictions); the pure rules
// (the tree, `placePoint`, the import planner) are in libs/domain, its SQL in libs/persistence.
export * from './jurisdiction-tree.cache';
export * from './tree-change.notifier';
export * from './jurisdiction.locator';
export * from './jurisdictions.module';
export { placePoint, JurisdictionTree } from '@tiergate/domain';
export type { PointPlacement } from '@tiergate/domain';
