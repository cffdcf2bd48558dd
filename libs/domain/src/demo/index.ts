export * from './seeded.random';
export * from './district.generator';
