export * from './patrol.types';
export * from './zoned-time';
export * from './schedule-expansion';
export * from './round-classification';
export * from './fulfilment-rate';
export * from './alert-level';
