export * from './rate-period';
export * from './rate-value';
export * from './decline-rate';
export * from './preventable-rate';
export * from './capture-rate';
export * from './monitoring-rate';
export * from './stop-check';
