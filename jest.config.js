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
  testTimeout: 60000,
  // Lists every test, so a skipped one shows its reason in the title.
  verbose: true,
};
