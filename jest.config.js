// Jest runs three tiers: unit (pure logic, *.spec.ts beside the source), integration on the embedded
// default (PGlite + in-process broker), and, when DATABASE_URL and MQTT_URL are both set, the same
// integration files again against the real Postgres server and MQTT broker.
const moduleNameMapper = { '^@tiergate/([a-z-]+)$': '<rootDir>/libs/$1/src' };
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json', diagnostics: false }] };
const base = { rootDir: __dirname, moduleNameMapper, transform, testEnvironment: 'node', moduleFileExtensions: ['ts', 'js', 'json'] };

const projects = [
  { ...base, displayName: 'unit', testMatch: ['<rootDir>/apps/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts'] },
  { ...base, displayName: 'integration', testMatch: ['<rootDir>/test/**/*.int-spec.ts'], setupFiles: ['<rootDir>/test/support/mode-embedded.ts'] },
];
if (process.env.DATABASE_URL && process.env.MQTT_URL) {
  projects.push({ ...base, displayName: 'integration:external', testMatch: ['<rootDir>/test/**/*.int-spec.ts'], setupFiles: ['<rootDir>/test/support/mode-external.ts'] });
}
module.exports = { projects };
