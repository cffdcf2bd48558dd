// The fault-injection suite (npm run test:faults): its own Jest config, so `npm test` never runs it. It builds
// once (global-setup.js), then starts the production layout as separate processes and breaks it on purpose.
const root = require('node:path').join(__dirname, '..', '..');
module.exports = {
  rootDir: root,
  displayName: 'faults',
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: { '^@tiergate/([a-z-]+)$': '<rootDir>/libs/$1/src' },
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json', diagnostics: false }] },
  testMatch: ['<rootDir>/test/faults/**/*.spec.ts', '<rootDir>/test/faults/**/*.fault-spec.ts'],
  globalSetup: '<rootDir>/test/faults/global-setup.js',
};
