export * from './normal-distribution.math';
export * from './gi-star.calculator';
export * from './three-highs.profile';
export * from './nearest.search';
export * from './emerging-hotspots';
export * from './hotspot-areas';
