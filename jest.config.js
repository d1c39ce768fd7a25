// Unit tests sit beside the code; e2e tests in test/ run against the real services named by
// DATABASE_URL/REDIS_URL (or the embedded defaults). The Swagger plugin runs here as it does in
// `nest build`, so the OpenAPI document under test is the one the service serves.
const transform = {
  '^.+\\.ts$': [
    'ts-jest',
    {
      tsconfig: 'tsconfig.json',
      astTransformers: { before: ['<rootDir>/test/support/swagger-plugin-transformer.js'] },
    },
  ],
};
const common = { moduleFileExtensions: ['js', 'json', 'ts'], rootDir: '.', testEnvironment: 'node', transform };

const projects = [
  { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
  { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'], slowTestThreshold: 30 },
];

// JEST_PROJECT=unit|e2e picks one project (`npm run test:e2e -- test/x.e2e-spec.ts` then still takes
// paths; jest's own --selectProjects would swallow them as project names).
const only = process.env.JEST_PROJECT;

module.exports = {
  maxWorkers: 2,
  testTimeout: 60000,
  projects: only ? projects.filter((project) => project.displayName === only) : projects,
};
