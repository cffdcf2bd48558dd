export * from './jurisdiction-node.types';
export * from './jurisdiction.tree';
export * from './jurisdiction-import.planner';
export * from './jurisdiction-containment';
export * from './place-point';
