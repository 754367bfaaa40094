/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    // tsconfig sets isolatedModules, so ts-jest only transpiles (fast, low memory); `npm test` type-checks with tsc first.
    "^.+\\.ts$": "ts-jest",
  },
  setupFilesAfterEnv: ["<rootDir>/test/setup.js"],
  testSequencer: "<rootDir>/test/sequencer.js",
  // Two workers on these 2-core machines (jest's default is one fewer than the cores): the emulated
  // deploy mostly waits on terraform and moto, so the other tests run beside it.
  maxWorkers: 2,
  testTimeout: 60000,
  // Lists every test, so a skipped one shows its reason in the title.
  verbose: true,
};
