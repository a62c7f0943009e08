/**
 * The browser tests (`npm run test:browser`): Chromium drives the console. Kept apart from
 * `npm test` (which matches *.test.ts only) so the main suite stays fast and needs no browser.
 * @type {import('jest').Config}
 */
module.exports = {
  rootDir: '../..',
  testEnvironment: 'node',
  roots: ['<rootDir>/test/browser'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 120000,
  // One browser at a time: the suites start servers and browsers of their own.
  maxWorkers: 1,
};
