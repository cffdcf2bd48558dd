export * from './seeded.random';
export * from './district.generator';
export * from './incidents.generator';
