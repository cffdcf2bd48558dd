export * from './errors';
export * from './roles';
export * from './geo';
export * from './jurisdiction-tree';
export * from './hotspots';
export * from './demo';
export * from './camera.types';
export * from './camera-status-reason';
